package ngram

import (
	"math/bits"
	"slices"
)

// scratch is the per-call working memory of a Detector, pooled.
type scratch struct {
	runes []rune
	words []word
	set   keySet
	tset  triSet
	wset  wordSet

	biCnt, uniCnt         []uint32 // propagated counts per bigram / unigram slot
	biTouched, uniTouched []int32
	probe                 []uint64 // code keys of unique trigrams to look up
	hits                  []uint64 // slot records of the trigrams found
	touch                 uint64   // sink of the prefetching loads

	acc   [128]float64         // trigram pass: sums by 7-bit language field
	sums  [6][numLangs]float64 // per n-gram order
	neg   [6]langSet           // languages whose order sum is < 0 (lingua: present in the map)
	n1    [numLangs]uint32     // unigrams of the text each language's unigram model has
	total [numLangs + 1]uint32
	wc    [numLangs + 1]uint32
	wt    []int8

	entryCnt  []uint32
	uniq      [0x2000 / 64]uint64 // runes < 0x2000 of d.unique (rules looks up those and any beyond)
	seen      []rune
	res       []Confidence
	ambiguous bool
	ev        evidence
}

func (d *Detector) newScratch() *scratch {
	s := &scratch{
		biCnt:    make([]uint32, len(d.m.tabs[2].keys)),
		uniCnt:   make([]uint32, len(d.m.tabs[1].keys)),
		entryCnt: make([]uint32, len(charsToLanguages)),
		set:      newKeySet(),
		tset:     triSet{e: make([]uint64, 1<<10)},
	}
	for r := range d.unique {
		if r < 0x2000 {
			s.uniq[r>>6] |= 1 << (r & 63)
		}
	}
	return s
}

// keySet is a set of n-gram identities (up to five raw 21-bit runes) that is
// cleared in O(1) by advancing an epoch. reset sizes the part of the arrays in
// use to the text, so a pooled set that once served a huge text does not
// spread a short one over megabytes.
type keySet struct {
	e     []keyEntry
	mask  uint64
	epoch uint32
	n     int
}

type keyEntry struct {
	lo, hi uint64
	stamp  uint32
}

func newKeySet() keySet {
	return keySet{e: make([]keyEntry, 1<<10), mask: 1<<10 - 1, epoch: 1}
}

// reset empties the set, sized for about expect keys.
func (s *keySet) reset(expect int) { s.e = resetSlots(s.e, &s.mask, &s.epoch, &s.n, 1<<10, expect) }

// insert adds (lo, hi) and reports whether it was new.
func (s *keySet) insert(lo, hi uint64) bool {
	if (s.n+1)*2 > int(s.mask+1) {
		s.grow()
	}
	mask := s.mask
	for i := ((lo ^ hi*0xC2B2AE3D27D4EB4F) * 0x9E3779B97F4A7C15 >> 32) & mask; ; i = (i + 1) & mask {
		e := &s.e[i]
		if e.stamp != s.epoch {
			*e = keyEntry{lo, hi, s.epoch}
			s.n++
			return true
		}
		if e.lo == lo && e.hi == hi {
			return false
		}
	}
}

func (s *keySet) grow() {
	old := append([]keyEntry(nil), s.e[:s.mask+1]...)
	oldEpoch := s.epoch
	s.reset(int(s.mask + 1))
	for _, e := range old {
		if e.stamp == oldEpoch {
			s.insert(e.lo, e.hi)
		}
	}
}

// triSet is a set of trigrams (three raw 21-bit runes, never 0) for the
// trigram pass: one word per slot, cleared by zeroing the part in use.
type triSet struct {
	e     []uint64
	shift uint8 // 64 - log2(slots in use)
	n     int
}

// reset empties the set, sized for about expect keys.
func (s *triSet) reset(expect int) {
	size := 1 << 10
	for size < 2*expect {
		size *= 2
	}
	if size > len(s.e) {
		s.e = make([]uint64, size)
	} else {
		clear(s.e[:size])
	}
	s.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	s.n = 0
}

// insert adds k and reports whether it was new.
func (s *triSet) insert(k uint64) bool {
	if (s.n+1)*2 > 1<<(64-s.shift) {
		s.grow()
	}
	mask := uint64(1)<<(64-s.shift) - 1
	for i := (k * 0x9E3779B97F4A7C15) >> s.shift; ; i = (i + 1) & mask {
		switch s.e[i] {
		case 0:
			s.e[i] = k
			s.n++
			return true
		case k:
			return false
		}
	}
}

func (s *triSet) grow() {
	old := append([]uint64(nil), s.e[:1<<(64-s.shift)]...)
	s.reset(len(old))
	for _, k := range old {
		if k != 0 {
			s.insert(k)
		}
	}
}

// wordSet remembers the distinct words of a text (as rune ranges of
// scratch.runes), so that the n-grams of a repeated word are not looked at
// again: they are all duplicates.
type wordSet struct {
	e     []wordEntry
	mask  uint64
	epoch uint32
	n     int
}

type wordEntry struct {
	hash       uint32
	start, end int32
	stamp      uint32
}

// reset empties the set, sized for about expect words.
func (s *wordSet) reset(expect int) { s.e = resetSlots(s.e, &s.mask, &s.epoch, &s.n, 1<<8, expect) }

// resetSlots empties an epoch-stamped open-addressing set (keySet, wordSet):
// it advances the epoch (clearing the slots when the epoch wraps), uses at
// least minSize slots and twice expect, growing e if needed, and returns e.
func resetSlots[E any](e []E, mask *uint64, epoch *uint32, n *int, minSize, expect int) []E {
	*epoch++
	*n = 0
	if *epoch == 0 {
		clear(e)
		*epoch = 1
	}
	size := minSize
	for size < 2*expect {
		size *= 2
	}
	if size > len(e) {
		e = make([]E, size)
		*epoch = 1
	}
	*mask = uint64(size - 1)
	return e
}

// insert adds word w of runes and reports whether it was new.
func (s *wordSet) insert(runes []rune, w word) bool {
	if s.n*2 >= int(s.mask) {
		return true // full: treat as new (only costs time)
	}
	h := uint64(w.hash) * 0x9E3779B97F4A7C15 >> 32
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		e := &s.e[i]
		if e.stamp != s.epoch {
			*e = wordEntry{w.hash, w.start, w.end, s.epoch}
			s.n++
			return true
		}
		if e.hash == w.hash && e.end-e.start == w.end-w.start &&
			slices.Equal(runes[e.start:e.end], runes[w.start:w.end]) {
			return false
		}
	}
}
