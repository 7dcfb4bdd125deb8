package ngram

import (
	"math"
	"math/bits"
)

// table holds the n-grams of one order over all languages: one
// open-addressing hash table (linear probing) over the unique n-grams, whose
// slot s owns the postings [off[s], off[s+1]) of (language, value) pairs, one
// per language whose model has the n-gram. One lookup serves all languages.
// Orders 4 and 5 use a bucketed layout instead (wide.go), whose key index i
// owns the postings [off[i], off[i+1]); lookup and langOf serve both.
//
// Keys: unigrams use the rune itself; longer n-grams pack the dense 10-bit
// codes of their runes (first rune in the lowest bits), so the key of a
// prefix of length j is the key masked to 10*j bits. Key 0 marks a free slot.
type table struct {
	order int
	shift uint8    // 64 - log2(len(keys))
	keys  []uint64 // slot -> key, 0: free
	off   []uint32 // len(keys)+1 (orders 4, 5: len(wrem)+1) posting offsets
	lang  []uint8  // posting -> language (lingua.Language)
	logp  []float64
	// Orders 4 and 5 (wide.go): no keys, lang or logp, but a bucketed
	// layout whose postings pack the language and an index into vals.
	hbits, rbits uint8
	wdir         []uint32  // bucket -> first key index; one more at the end
	wrem         []uint32  // key index -> low rbits of the key's hash
	wpost        []uint32  // posting -> language | index into vals << 7
	vals         []float64 // distinct log-probabilities
	// Orders 2 and 3 (the trigram engine): parent is the slot of the
	// longest proper prefix present in a lower-order table (parentUni flag:
	// unigram table, noParent: none), delta the posting's log-probability
	// minus the value the language backs off to at the parent.
	parent []uint32
	delta  []float64
	// recs and packed are the trigram engine's copy of orders 2 and 3, laid
	// out for few cache misses: recs[slot] packs the slot's key, its number
	// of postings and the offset in packed of its run (see rec*), so a probe
	// reads one word; the run is a header (parent) and the postings, each
	// the delta with the language in its low 7 bits (relative error
	// <= 2^-45, about 3e-14).
	recs   []uint64
	packed []uint64
	n      int    // unique n-grams
	sink   uint64 // see touch
}

// A rec is key | postings<<recCntShift | offset<<recOffShift; key 0: free.
const (
	recKeyMask  = 1<<(3*codeBits) - 1
	recCntShift = 3 * codeBits
	recCntMask  = 0x7f
	recOffShift = recCntShift + 7
	langMask    = 0x7f
)

// findRec is find on the slot records: the slot of key k, or -1.
func (t *table) findRec(k uint64) int {
	mask := uint64(len(t.recs) - 1)
	for i := t.home(k); ; i = (i + 1) & mask {
		kk := t.recs[i] & recKeyMask
		if kk == k {
			return int(i)
		}
		if kk == 0 {
			return -1
		}
	}
}

// run returns the parent and the postings of the slot record r.
func (t *table) run(r uint64) (parent uint32, post []uint64) {
	off := r >> recOffShift
	n := r >> recCntShift & recCntMask
	return uint32(t.packed[off]), t.packed[off+1 : off+1+n]
}

// pack fills recs and packed from keys, off, lang, parent and delta.
func (t *table) pack() {
	t.recs = makeHuge(len(t.keys))
	t.packed = makeHuge(t.n + len(t.delta))
	q := uint64(0)
	for s, k := range t.keys {
		if k == 0 {
			continue
		}
		n := uint64(t.off[s+1] - t.off[s])
		if k > recKeyMask || n > recCntMask {
			panic("ngram: trigram table does not fit its records")
		}
		t.recs[s] = k | n<<recCntShift | q<<recOffShift
		t.packed[q] = uint64(t.parent[s])
		q++
		for p := t.off[s]; p < t.off[s+1]; p++ {
			t.packed[q] = math.Float64bits(t.delta[p])&^langMask | uint64(t.lang[p])
			q++
		}
	}
}

const (
	parentUni = 1 << 31
	noParent  = ^uint32(0)
)

func newTable(order, capacity int) *table {
	size := 1 << bits.Len(uint(capacity-1))
	if size < 16 {
		size = 16
	}
	return &table{order: order, keys: make([]uint64, size), off: make([]uint32, size+1),
		shift: uint8(64 - bits.TrailingZeros(uint(size)))}
}

func (t *table) home(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> t.shift }

// find returns the slot of key k, or -1.
func (t *table) find(k uint64) int {
	mask := uint64(len(t.keys) - 1)
	for i := t.home(k); ; i = (i + 1) & mask {
		kk := t.keys[i]
		if kk == k {
			return int(i)
		}
		if kk == 0 {
			return -1
		}
	}
}

// count adds key k during construction (off[slot+1] counts its postings),
// growing the table at a load factor of 3/4.
func (t *table) count(k uint64) {
	if (t.n+1)*4 > len(t.keys)*3 {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for i := t.home(k); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			t.off[i+1]++
			return
		case 0:
			t.keys[i] = k
			t.off[i+1] = 1
			t.n++
			return
		}
	}
}

func (t *table) grow() {
	old, oldOff := t.keys, t.off
	size := 2 * len(old)
	t.keys, t.off = make([]uint64, size), make([]uint32, size+1)
	t.shift--
	mask := uint64(size - 1)
	for s, k := range old {
		if k == 0 {
			continue
		}
		i := t.home(k)
		for t.keys[i] != 0 {
			i = (i + 1) & mask
		}
		t.keys[i], t.off[i+1] = k, oldOff[s+1]
	}
}

// layout turns the per-slot counts into offsets and allocates the postings;
// afterwards off[s+1] is the fill cursor of slot s until fill completes.
func (t *table) layout() {
	total := uint32(0)
	for s := 1; s < len(t.off); s++ {
		c := t.off[s]
		t.off[s] = total
		total += c
	}
	t.lang = make([]uint8, total)
	t.logp = make([]float64, total)
}

// put stores a posting of key k (which must have been counted) and returns its index.
func (t *table) put(k uint64, lang uint8) uint32 {
	s := t.find(k)
	p := t.off[s+1]
	t.off[s+1]++
	t.lang[p] = lang
	return p
}

// lookup returns the slot (orders 1 to 3) or key index (orders 4 and 5) of
// key k, or -1; the key's postings are [off[i], off[i+1]).
func (t *table) lookup(k uint64) int {
	if t.wdir != nil {
		return t.findWide(k)
	}
	return t.find(k)
}

// langOf returns the language of posting p.
func (t *table) langOf(p uint32) int {
	if t.wpost != nil {
		return int(t.wpost[p] & langMask)
	}
	return int(t.lang[p])
}

// value returns the log-probability of posting p.
func (t *table) value(p uint32) float64 {
	if t.wpost != nil {
		return t.vals[t.wpost[p]>>postLangBits]
	}
	return t.logp[p]
}

// lookupLang returns the log-probability language l has at slot s.
func (t *table) lookupLang(s int, l uint8) (float64, bool) {
	for p := t.off[s]; p < t.off[s+1]; p++ {
		if t.langOf(p) == int(l) {
			return t.value(p), true
		}
	}
	return 0, false
}

// bytes is the table's heap size.
func (t *table) bytes() int {
	return 8*len(t.keys) + 4*len(t.off) + len(t.lang) + 8*len(t.logp) + 4*len(t.wdir) +
		4*len(t.wrem) + 4*len(t.wpost) + 8*len(t.vals) + 4*len(t.parent) + 8*len(t.delta) + 8*len(t.recs) + 8*len(t.packed)
}
