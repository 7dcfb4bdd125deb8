package dedup

// Set is a membership set of shingle hashes seen as keys: a shingle h is
// contained iff every one of its keys is set. A bloom filter's keys are its
// k bit positions; an exact set's only key is h itself. Keys are a pure
// function of h and the set's geometry, which lets a batch be settled away
// from the set (see Settler).
type Set interface {
	// K is the number of keys of every shingle (at most 64).
	K() int
	// Keys appends the keys of h to dst.
	Keys(h uint64, dst []uint64) []uint64
	// Has reports whether key is set.
	Has(key uint64) bool
	// Put sets key.
	Put(key uint64)
}

// Membership is what a decision reads and writes: the set itself for a
// sequential pass (SetMembership), or a batch's view of it (Settler).
type Membership interface {
	// Contains reports whether shingle h is contained.
	Contains(h uint64) bool
	// Add inserts shingle h.
	Add(h uint64)
}

// SetMembership is the Membership of a sequential pass: queries and
// insertions go straight to the set.
type SetMembership struct {
	Set Set
	buf []uint64
}

// Contains reports whether every key of h is set.
func (m *SetMembership) Contains(h uint64) bool {
	if b, ok := m.Set.(*Bloom); ok {
		return b.Contains(h)
	}
	m.buf = m.Set.Keys(h, m.buf[:0])
	for _, k := range m.buf {
		if !m.Set.Has(k) {
			return false
		}
	}
	return true
}

// Add sets every key of h.
func (m *SetMembership) Add(h uint64) {
	if b, ok := m.Set.(*Bloom); ok {
		b.Add(h)
		return
	}
	m.buf = m.Set.Keys(h, m.buf[:0])
	for _, k := range m.buf {
		m.Set.Put(k)
	}
}

// Exact is an exact set of shingle hashes (its one key is the hash). It is
// the reference the bloom filter is tested against; it is not safe for
// concurrent use.
type Exact struct{ m map[uint64]struct{} }

// NewExact returns an empty exact set.
func NewExact() *Exact { return &Exact{m: map[uint64]struct{}{}} }

// K is 1.
func (*Exact) K() int { return 1 }

// Keys appends h.
func (*Exact) Keys(h uint64, dst []uint64) []uint64 { return append(dst, h) }

// Has reports whether key was put.
func (e *Exact) Has(key uint64) bool { _, ok := e.m[key]; return ok }

// Put adds key.
func (e *Exact) Put(key uint64) { e.m[key] = struct{}{} }

// Len returns the number of keys.
func (e *Exact) Len() int { return len(e.m) }

// Probe returns, for shingle h, a mask whose bit i says whether the i-th
// key of h is set in s: what an owner answers for a batch (see Settler).
func Probe(s Set, h uint64, buf []uint64) (mask uint64, keys []uint64) {
	keys = s.Keys(h, buf[:0])
	for i, k := range keys {
		if s.Has(k) {
			mask |= 1 << i
		}
	}
	return mask, keys
}

// Commit sets the keys a batch inserted (Settler.Pending) in s.
func Commit(s Set, keys []uint64) {
	for _, k := range keys {
		s.Put(k)
	}
}

// fullMask is the mask of k keys all set.
func fullMask(k int) uint64 {
	if k >= 64 {
		return ^uint64(0)
	}
	return 1<<k - 1
}

var (
	_ Set        = (*Bloom)(nil)
	_ Set        = (*Partitioned)(nil)
	_ Set        = (*Exact)(nil)
	_ Membership = (*Bloom)(nil)
	_ Membership = (*SetMembership)(nil)
	_ Membership = (*Settler)(nil)
)
