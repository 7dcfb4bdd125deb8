package ngram

import "slices"

// scratch is the per-call working memory of a Detector, pooled.
type scratch struct {
	runes []rune
	words []word
	set   keySet
	wset  wordSet

	biCnt, uniCnt         []uint32 // propagated counts per bigram / unigram slot
	biTouched, uniTouched []int32
	slots                 []int32 // trigram slots found
	touch                 uint64  // sink of the prefetching loads

	sums  [6][numLangs]float64 // per n-gram order
	neg   [6]langSet           // languages whose order sum is < 0 (lingua: present in the map)
	n1    [numLangs]uint32     // unigrams of the text each language's unigram model has
	total [numLangs + 1]uint32
	wc    [numLangs + 1]uint32
	wt    []int8

	entryCnt  []uint32
	seen      []rune
	res       []Confidence
	ambiguous bool
	ev        evidence
}

func (d *Detector) newScratch() *scratch {
	return &scratch{
		biCnt:    make([]uint32, len(d.m.tabs[2].keys)),
		uniCnt:   make([]uint32, len(d.m.tabs[1].keys)),
		entryCnt: make([]uint32, len(charsToLanguages)),
		set:      newKeySet(),
	}
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
	hash       uint64
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
	h := uint64(0x9E3779B97F4A7C15)
	for _, r := range runes[w.start:w.end] {
		h = (h ^ uint64(r)) * 0x100000001B3
	}
	h ^= h >> 29
	if s.n*2 >= int(s.mask) {
		return true // full: treat as new (only costs time)
	}
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		e := &s.e[i]
		if e.stamp != s.epoch {
			*e = wordEntry{h, w.start, w.end, s.epoch}
			s.n++
			return true
		}
		if e.hash == h && e.end-e.start == w.end-w.start &&
			slices.Equal(runes[e.start:e.end], runes[w.start:w.end]) {
			return false
		}
	}
}
