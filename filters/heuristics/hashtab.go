package heuristics

import (
	"hash/maphash"
	"math/bits"
)

// Open-addressing hash tables for the repetition filter. Unlike Go maps they
// are reset in time proportional to the size of the current document, so
// one table can serve documents of any size in turn.

var tableSeed = maphash.MakeSeed()

// tableSize returns the power of two >= 2n (at least 16) and its log2.
func tableSize(n int) (int, uint) {
	size := max(16, 2*n)
	shift := uint(bits.Len(uint(size - 1)))
	return 1 << shift, shift
}

// strTable numbers distinct strings in order of first appearance.
type strTable struct {
	keys  []string
	ids   []int32 // id+1; 0 marks an empty slot
	mask  int
	count int32
}

// reset empties the table for up to n keys.
func (t *strTable) reset(n int) {
	size, _ := tableSize(n)
	if cap(t.ids) < size {
		t.keys, t.ids = make([]string, size), make([]int32, size)
	} else {
		t.keys, t.ids = t.keys[:size], t.ids[:size]
		clear(t.ids)
	}
	t.mask, t.count = size-1, 0
}

// id returns the number of s, adding it if new.
func (t *strTable) id(s string) int32 {
	i := int(maphash.String(tableSeed, s)) & t.mask
	for {
		switch id := t.ids[i]; {
		case id == 0:
			t.keys[i], t.ids[i] = s, t.count+1
			t.count++
			return t.count - 1
		case t.keys[i] == s:
			return id - 1
		}
		i = (i + 1) & t.mask
	}
}

// pairTable numbers distinct uint64 keys in order of first appearance.
type pairTable struct {
	keys  []uint64 // key+1; 0 marks an empty slot
	ids   []int32
	shift uint
	count int32
}

func (t *pairTable) reset(n int) {
	size, shift := tableSize(n)
	if cap(t.keys) < size {
		t.keys, t.ids = make([]uint64, size), make([]int32, size)
	} else {
		t.keys, t.ids = t.keys[:size], t.ids[:size]
		clear(t.keys)
	}
	t.shift, t.count = 64-shift, 0
}

func (t *pairTable) id(k uint64) int32 {
	k++
	mask := len(t.keys) - 1
	i := int((k * 0x9e3779b97f4a7c15) >> t.shift)
	for {
		switch t.keys[i] {
		case 0:
			t.keys[i], t.ids[i] = k, t.count
			t.count++
			return t.count - 1
		case k:
			return t.ids[i]
		}
		i = (i + 1) & mask
	}
}
