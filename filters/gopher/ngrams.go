package gopher

import "sync"

// The n-gram counts of gopher_repetition by hash: the same results as
// topDuplicate and allDuplicate (their string-keyed maps are the
// reference, and the fallback), without building a string key per n-gram.
//
// An n-gram is the span of the joined words from its first word's start to
// the start of the word after it (its trailing separator included, which
// every n-gram has), hashed with a polynomial hash whose prefixes are kept
// at word starts: hashing an n-gram is two multiplications. A hash keys
// the n-gram's first occurrence, and a hit is compared byte for byte with
// it; should two different n-grams share a hash, the document is counted
// again with the reference.

// gramBase is the polynomial hash's base (odd, so that no byte is lost).
const gramBase = 0x9E3779B97F4A7C15

// gramHashes holds the prefix hashes of a joined text and the scratch of
// the counts; one per goroutine (gramPool).
type gramHashes struct {
	prefix []uint64 // prefix[i]: hash of the joined text up to word i's start
	pow    []uint64 // pow[k]: gramBase^k
	first  gramTable
	counts []int32 // topDuplicate: per distinct n-gram
	firsts []int32 // and where it first occurs
}

// gramPool holds a step's gramHashes, one per goroutine at a time.
type gramPool struct{ p sync.Pool }

func (gp *gramPool) get() *gramHashes {
	if g, ok := gp.p.Get().(*gramHashes); ok {
		return g
	}
	return &gramHashes{pow: []uint64{1}}
}

// put returns g, without the buffers of a large document.
func (gp *gramPool) put(g *gramHashes) {
	if cap(g.first.slots) > 1<<20 {
		*g = gramHashes{pow: g.pow[:1]}
	}
	gp.p.Put(g)
}

// gramTable maps n-gram hashes to an int32, by open addressing (linear
// probing, Fibonacci hashing of the hash's high bits): emptied in time
// proportional to the document, not to the largest one seen.
type gramTable struct {
	slots []gramSlot
	shift uint
}

type gramSlot struct {
	key  uint64
	val  int32
	used bool
}

// reset empties t for up to n keys.
func (t *gramTable) reset(n int) {
	size, bits := 16, uint(4)
	for size < 2*n {
		size, bits = size*2, bits+1
	}
	if cap(t.slots) < size {
		t.slots = make([]gramSlot, size)
	} else {
		t.slots = t.slots[:size]
		clear(t.slots)
	}
	t.shift = 64 - bits
}

// get returns the value of key, and whether it is there.
func (t *gramTable) get(key uint64) (int32, bool) {
	mask := len(t.slots) - 1
	for i := int((key * 0x9E3779B97F4A7C15) >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.used {
			return 0, false
		}
		if s.key == key {
			return s.val, true
		}
	}
}

// put sets key's value; key must not be there.
func (t *gramTable) put(key uint64, val int32) {
	mask := len(t.slots) - 1
	for i := int((key * 0x9E3779B97F4A7C15) >> t.shift); ; i = (i + 1) & mask {
		if s := &t.slots[i]; !s.used {
			*s = gramSlot{key: key, val: val, used: true}
			return
		}
	}
}

// reset hashes the prefixes of j (its text, then the separator after the
// last word, as j.bytes counts it).
func (g *gramHashes) reset(j joined) {
	words := len(j.bytes) - 1
	g.prefix = append(g.prefix[:0], 0)
	var h uint64
	pos := 0
	for i := 1; i <= words; i++ {
		end := j.bytes[i]
		for ; pos < end && pos < len(j.s); pos++ {
			h = h*gramBase + uint64(j.s[pos])
		}
		for ; pos < end; pos++ { // the separator after the last word
			h = h*gramBase + ' '
		}
		g.prefix = append(g.prefix, h)
	}
}

// hash returns the hash of the n-gram at i.
func (g *gramHashes) hash(j joined, i, n int) uint64 {
	span := j.bytes[i+n] - j.bytes[i]
	for len(g.pow) <= span {
		g.pow = append(g.pow, g.pow[len(g.pow)-1]*gramBase)
	}
	return g.prefix[i+n] - g.prefix[i]*g.pow[span]
}

// sameGram reports whether the n-grams at a and b are the same text.
func sameGram(j joined, a, b, n int) bool {
	ga, _ := j.gram(a, n)
	gb, _ := j.gram(b, n)
	return ga == gb
}

// topDuplicateHashed is topDuplicate; g has been reset with j.
func (g *gramHashes) topDuplicateHashed(j joined, words, n int) int {
	if words < n {
		return -1
	}
	g.first.reset(words - n + 1)
	g.counts, g.firsts = g.counts[:0], g.firsts[:0]
	best := int32(-1)
	for i := 0; i+n <= words; i++ {
		h := g.hash(j, i, n)
		id, ok := g.first.get(h)
		switch {
		case !ok:
			id = int32(len(g.counts))
			g.first.put(h, id)
			g.counts = append(g.counts, 0)
			g.firsts = append(g.firsts, int32(i))
		case !sameGram(j, int(g.firsts[id]), i, n):
			return topDuplicate(j, words, n) // two n-grams, one hash
		}
		g.counts[id]++
		if best < 0 || g.counts[id] > g.counts[best] || (g.counts[id] == g.counts[best] && g.firsts[id] < g.firsts[best]) {
			best = id
		}
	}
	_, l := j.gram(int(g.firsts[best]), n)
	return l * int(g.counts[best])
}

// allDuplicateHashed is allDuplicate; g has been reset with j.
func (g *gramHashes) allDuplicateHashed(j joined, words, n int) int {
	g.first.reset(words - n + 1)
	repeated := 0
	for i := 0; i < words-n+1; {
		h := g.hash(j, i, n)
		if first, ok := g.first.get(h); ok {
			if !sameGram(j, int(first), i, n) {
				return allDuplicate(j, words, n) // two n-grams, one hash
			}
			_, l := j.gram(i, n)
			repeated += l
			i += n
		} else {
			g.first.put(h, int32(i))
			i++
		}
	}
	return repeated
}
