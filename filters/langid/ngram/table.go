package ngram

import (
	"math"
	"math/bits"
)

// table holds the n-grams of one order over all languages: one
// open-addressing hash table (linear probing) over the unique n-grams, whose
// slot s owns the postings [off[s], off[s+1]) of (language, value) pairs, one
// per language whose model has the n-gram. One lookup serves all languages.
//
// Keys: unigrams use the rune itself; longer n-grams pack the dense 10-bit
// codes of their runes (first rune in the lowest bits), so the key of a
// prefix of length j is the key masked to 10*j bits. Key 0 marks a free slot.
type table struct {
	order int
	shift uint8    // 64 - log2(len(keys))
	keys  []uint64 // slot -> key, 0: free
	off   []uint32 // len(keys)+1 posting offsets
	lang  []uint8  // posting -> language (lingua.Language)
	logp  []float64
	vidx  []uint32  // orders 4 and 5: posting -> index into vals (logp unused)
	vals  []float64 // distinct log-probabilities of orders 4 and 5
	// Orders 2 and 3 (the trigram engine): parent is the slot of the
	// longest proper prefix present in a lower-order table (parentUni flag:
	// unigram table, noParent: none), delta the posting's log-probability
	// minus the value the language backs off to at the parent.
	parent []uint32
	delta  []float64
	// recs and packed are the trigram engine's copy of orders 2 and 3, laid
	// out for few cache misses: slot records (key, first posting, parent;
	// one sentinel record at the end) and postings packing the language into
	// the low 7 bits of the delta (relative error <= 2^-45, about 3e-14).
	recs   []slotRec
	keys32 []uint32 // slot keys of orders 2 and 3 (they fit 30 bits), probed by findRec
	packed []uint64
	n      int    // unique n-grams
	sink   uint64 // see touch
}

type slotRec struct {
	off    uint32
	parent uint32
}

const langMask = 0x7f

// findRec is find on the slot records.
func (t *table) findRec(k uint64) int {
	mask := uint64(len(t.keys) - 1)
	for i := t.home(k); ; i = (i + 1) & mask {
		kk := uint64(t.keys32[i])
		if kk == k {
			return int(i)
		}
		if kk == 0 {
			return -1
		}
	}
}

// pack fills recs and packed from keys, off, parent and delta.
func (t *table) pack() {
	t.recs = make([]slotRec, len(t.keys)+1)
	t.keys32 = make([]uint32, len(t.keys))
	for s, k := range t.keys {
		t.recs[s] = slotRec{off: t.off[s], parent: t.parent[s]}
		t.keys32[s] = uint32(k)
	}
	t.recs[len(t.keys)].off = t.off[len(t.keys)]
	t.packed = make([]uint64, len(t.delta))
	for p, d := range t.delta {
		t.packed[p] = math.Float64bits(d)&^langMask | uint64(t.lang[p])
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
func (t *table) layout(wide bool) {
	total := uint32(0)
	for s := 1; s < len(t.off); s++ {
		c := t.off[s]
		t.off[s] = total
		total += c
	}
	t.lang = make([]uint8, total)
	if wide {
		t.vidx = make([]uint32, total)
	} else {
		t.logp = make([]float64, total)
	}
}

// put stores a posting of key k (which must have been counted) and returns its index.
func (t *table) put(k uint64, lang uint8) uint32 {
	s := t.find(k)
	p := t.off[s+1]
	t.off[s+1]++
	t.lang[p] = lang
	return p
}

// value returns the log-probability of posting p.
func (t *table) value(p uint32) float64 {
	if t.vidx != nil {
		return t.vals[t.vidx[p]]
	}
	return t.logp[p]
}

// lookupLang returns the log-probability language l has at slot s.
func (t *table) lookupLang(s int, l uint8) (float64, bool) {
	for p := t.off[s]; p < t.off[s+1]; p++ {
		if t.lang[p] == l {
			return t.value(p), true
		}
	}
	return 0, false
}

// bytes is the table's heap size.
func (t *table) bytes() int {
	return 8*len(t.keys) + 4*len(t.off) + len(t.lang) + 8*len(t.logp) + 4*len(t.vidx) +
		8*len(t.vals) + 4*len(t.parent) + 8*len(t.delta) + 8*len(t.recs) + 4*len(t.keys32) + 8*len(t.packed)
}
