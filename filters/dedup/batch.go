package dedup

// Settler settles one batch of documents exactly as a sequential pass
// would, without touching the set until the batch is committed. It is the
// decision half of the run-wide protocol:
//
//  1. Query: for every shingle h of the batch, the owner of h answers the
//     mask of h's keys already set (Probe), against the set as it was
//     before the batch.
//  2. Settle: in canonical order, Decide each document of the batch with
//     the Settler as its Membership. A shingle is contained iff each of its
//     keys is in its pre-batch mask or was set earlier in this batch (by an
//     earlier document or an earlier kept unit of the same document): the
//     Settler keeps the keys set so far in the batch, so bloom bits shared
//     by different shingles count as they would in a sequential pass.
//  3. Commit: the owners set the Pending keys (Commit); only then may the
//     next batch be queried.
//
// The decisions and the final set are then identical, bit for bit, to a
// sequential pass over the same documents in the same order, whatever the
// batch boundaries. A partitioned set (Partitioned) stays identical as long
// as its number of partitions is fixed for the run.
type Settler struct {
	geom    Set
	probe   func(h uint64) uint64
	full    uint64
	overlay map[uint64]struct{}
	pending []uint64
	buf     []uint64
}

// NewSettler returns a settler for sets of geom's geometry (only K and Keys
// of geom are used). probe returns the pre-batch mask of a shingle of the
// batch (bit i: the i-th key of h was set).
func NewSettler(geom Set, probe func(h uint64) uint64) *Settler {
	return &Settler{geom: geom, probe: probe, full: fullMask(geom.K()), overlay: map[uint64]struct{}{}}
}

// Reset starts a new batch with a new probe.
func (s *Settler) Reset(probe func(h uint64) uint64) {
	s.probe = probe
	clear(s.overlay)
	s.pending = s.pending[:0]
}

// Contains reports whether h is contained in the set as a sequential pass
// would see it at this point of the batch.
func (s *Settler) Contains(h uint64) bool {
	mask := s.probe(h)
	if mask == s.full {
		return true
	}
	if len(s.overlay) == 0 {
		return false
	}
	s.buf = s.geom.Keys(h, s.buf[:0])
	for i, k := range s.buf {
		if mask&(1<<i) != 0 {
			continue
		}
		if _, ok := s.overlay[k]; !ok {
			return false
		}
	}
	return true
}

// Add records the insertion of h: its keys are set for the rest of the
// batch and pending for Commit.
func (s *Settler) Add(h uint64) {
	s.buf = s.geom.Keys(h, s.buf[:0])
	for _, k := range s.buf {
		if _, ok := s.overlay[k]; !ok {
			s.overlay[k] = struct{}{}
			s.pending = append(s.pending, k)
		}
	}
}

// Pending returns the keys the batch set, in the order it set them (to be
// given to Commit; keys already set before the batch may be among them).
func (s *Settler) Pending() []uint64 { return s.pending }

// ProbeAll answers step 1 for a local set: the pre-batch masks of hashes.
func ProbeAll(set Set, hashes []uint64) map[uint64]uint64 {
	out := make(map[uint64]uint64, len(hashes))
	var buf []uint64
	for _, h := range hashes {
		if _, ok := out[h]; ok {
			continue
		}
		var mask uint64
		mask, buf = Probe(set, h, buf)
		out[h] = mask
	}
	return out
}
