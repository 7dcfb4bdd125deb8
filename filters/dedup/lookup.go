package dedup

// Lookup is one goroutine's Membership over a Bloom for the documents it
// decides. Load computes the bit positions of a document's shingles once (a
// pure function of the filter's geometry: it reads no bit, so it needs no
// lock) and asks the CPU to fetch the first shingles' cache lines; Contains
// and Add then use those positions, in the order Decide asks for them, and
// fetch the lines of the shingles further ahead, so that a large filter's k
// random reads per shingle overlap instead of stalling one after another.
// A hash that was not loaded (or is asked for out of order) is computed on
// the spot: the answers and the bits set are always exactly those of the
// Bloom's own Contains and Add.
//
// A Lookup is not safe for concurrent use; Contains and Add need the same
// exclusion as the Bloom's.
type Lookup struct {
	b      *Bloom
	hs     []uint64
	pos    []uint64 // k positions per loaded hash
	qc, ac int      // next loaded hash for Contains, for Add
	ahead  int      // shingles fetched ahead of Contains
	fetch  int      // positions to fetch per shingle: k, or 1 in a blocked filter
}

// lookAhead is how many shingles ahead of the one queried a Lookup fetches
// (k cache lines each, one in a blocked filter), for filters of more than
// prefetchBytes (smaller ones stay in a core's L2 cache). Measured on the
// make_pool.py pool with its 3.3 MB filter (in L3): 27 -> 52 MB/s per core.
const (
	lookAhead     = 16
	prefetchBytes = 512 << 10
)

// NewLookup returns a Lookup over b.
func NewLookup(b *Bloom) *Lookup {
	l := &Lookup{b: b, fetch: b.k}
	if b.Blocked() {
		l.fetch = 1 // all k bits are in one cache line
	}
	if b.Bytes() > prefetchBytes {
		l.ahead = lookAhead
	}
	return l
}

// Load prepares the Lookup for the document whose shingle hashes are
// hashes (in the order Decide queries them: Shingles.Hashes).
func (l *Lookup) Load(hashes []uint64) {
	l.hs = append(l.hs[:0], hashes...)
	l.pos = l.pos[:0]
	for _, h := range hashes {
		l.pos = l.b.positions(h, l.pos)
	}
	l.qc, l.ac = 0, 0
	k := l.b.k
	for j := range min(len(l.hs), l.ahead) {
		prefetchBits(l.b.words, l.pos[j*k:j*k+l.fetch])
	}
}

// Contains reports whether all k bits of shingle h are set.
func (l *Lookup) Contains(h uint64) bool {
	i := l.qc
	if i >= len(l.hs) || l.hs[i] != h {
		return l.b.Contains(h)
	}
	l.qc++
	k := l.b.k
	if j := i + l.ahead; l.ahead > 0 && j < len(l.hs) {
		prefetchBits(l.b.words, l.pos[j*k:j*k+l.fetch])
	}
	w := l.b.words
	for _, p := range l.pos[i*k : (i+1)*k] {
		if w[p>>6]&(1<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

// Add sets the k bits of shingle h.
func (l *Lookup) Add(h uint64) {
	i := l.ac
	// Decide adds the shingles of the units it keeps, after querying them:
	// skip the loaded hashes of units it removed.
	for i < l.qc && l.hs[i] != h {
		i++
	}
	if i >= l.qc {
		l.b.Add(h)
		return
	}
	l.ac = i + 1
	k := l.b.k
	w := l.b.words
	for _, p := range l.pos[i*k : (i+1)*k] {
		w[p>>6] |= 1 << (p & 63)
	}
}

var _ Membership = (*Lookup)(nil)
