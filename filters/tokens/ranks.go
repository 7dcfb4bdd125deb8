package tokens

// rankTable maps byte strings to ranks. Nearly every lookup is of a short
// string, so it keeps them in open-addressing tables of packed keys (one
// probe, no string comparison): strings of at most maxShort bytes in 8-byte
// slots (a table small enough to stay in a core's L2 cache), strings of at
// most maxPacked bytes in 16-byte slots, and longer ones in a Go map.
type rankTable struct {
	pair       []uint16 // rank of 2-byte string b0|b1<<8, or noPair
	pairLong   bool     // some 2-byte string has a rank >= noPair (kept in long)
	short      []uint64 // packed key | rank<<48; 0 is empty
	shortShift uint     // 64 - log2(len(short))
	slots      []rankSlot
	shift      uint // 64 - log2(len(slots))
	long       map[string]uint32
	// filter is a bitset with one bit set per packed key (3 to maxPacked
	// bytes), at filterBit: a clear bit proves a string is not a token
	// without probing the larger tables (most pairs bpe tries are not).
	filter []uint64
}

// filterBits is log2 of the number of bits of rankTable.filter (64 KB,
// about a tenth set).
const filterBits = 19

// filterBit is the bit of rankTable.filter of a packed key.
func filterBit(k0, k1 uint64) uint64 {
	return ((k0 ^ k1*0xFF51AFD7ED558CCD) * 0xC4CEB9FE1A85EC53) >> (64 - filterBits)
}

// mayHave reports whether the packed key may be in the table.
func (t *rankTable) mayHave(k0, k1 uint64) bool {
	b := filterBit(k0, k1)
	return t.filter[b>>6]&(1<<(b&63)) != 0
}

// rankSlot holds a packed key and its rank: k0 is bytes 0-7 of the key, and
// k1 bytes 8-12 (bits 0-39), the length (bits 40-43, never zero in a used
// slot) and the rank (bits 48-63).
type rankSlot struct {
	k0, k1 uint64
}

const (
	// noPair marks a 2-byte string that is not in rankTable.pair.
	noPair = 1<<16 - 1
	// maxShort is the longest string kept in rankTable.short.
	maxShort = 5
	// maxPacked is the longest string kept in rankTable.slots.
	maxPacked = 13
	// keyBits are the bits of a packed word that belong to the key.
	keyBits = 1<<48 - 1
	// maxRank is the largest rank a slot can hold.
	maxRank = 1<<16 - 1
)

// tableBits is log2 of a table size at most half full with n keys.
func tableBits(n int) uint {
	bits := uint(4)
	for 1<<bits < 2*n {
		bits++
	}
	return bits
}

// denseTableBits is log2 of a table size at most 3/4 full with n keys: the
// short table, which is looked up most, then fits in a core's L2 cache.
func denseTableBits(n int) uint {
	bits := uint(4)
	for 3<<bits < 4*n {
		bits++
	}
	return bits
}

func newRankTable(ranks map[string]uint32) *rankTable {
	nShort, nPacked := 0, 0
	for s := range ranks {
		switch {
		case len(s) == 2:
		case len(s) <= maxShort:
			nShort++
		case len(s) <= maxPacked:
			nPacked++
		}
	}
	sb, pb := denseTableBits(nShort), tableBits(nPacked)
	t := &rankTable{short: make([]uint64, 1<<sb), shortShift: 64 - sb,
		slots: make([]rankSlot, 1<<pb), shift: 64 - pb, long: map[string]uint32{}}
	t.filter = make([]uint64, 1<<filterBits/64)
	t.pair = make([]uint16, 1<<16)
	for i := range t.pair {
		t.pair[i] = noPair
	}
	for s, r := range ranks {
		if len(s) == 2 {
			if r < noPair {
				t.pair[uint16(s[0])|uint16(s[1])<<8] = uint16(r)
			} else {
				t.pairLong = true
				t.long[s] = r
			}
			continue
		}
		switch {
		case r > maxRank || len(s) > maxPacked:
			t.long[s] = r
		case len(s) <= maxShort:
			k := packShort(s)
			if len(s) > 2 {
				b := filterBit(k, 0)
				t.filter[b>>6] |= 1 << (b & 63)
			}
			i := t.shortHome(k)
			for t.short[i] != 0 {
				i = (i + 1) & (uint64(len(t.short)) - 1)
			}
			t.short[i] = k | uint64(r)<<48
		default:
			k0, k1 := pack(s)
			b := filterBit(k0, k1)
			t.filter[b>>6] |= 1 << (b & 63)
			i := t.home(k0, k1)
			for t.slots[i].k1 != 0 {
				i = (i + 1) & (uint64(len(t.slots)) - 1)
			}
			t.slots[i] = rankSlot{k0: k0, k1: k1 | uint64(r)<<48}
		}
	}
	return t
}

// packShort returns s (at most maxShort bytes) as a little-endian word, the
// length in bits 40-43, so that it is never zero.
func packShort(s string) uint64 {
	var k uint64
	for i := range len(s) {
		k |= uint64(s[i]) << (8 * i)
	}
	return k | uint64(len(s))<<40
}

// pack returns s (at most maxPacked bytes, more than 8) as two little-endian
// words, the length in bits 40-43 of the second, so that k1 is never zero.
func pack(s string) (k0, k1 uint64) {
	n := len(s)
	if n >= 8 {
		k0 = uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		for i := 8; i < n; i++ {
			k1 |= uint64(s[i]) << (8 * (i - 8))
		}
	} else {
		for i := range n {
			k0 |= uint64(s[i]) << (8 * i)
		}
	}
	return k0, k1 | uint64(n)<<40
}

func (t *rankTable) shortHome(k uint64) uint64 {
	return (k * 0x9E3779B97F4A7C15) >> t.shortShift
}

func (t *rankTable) home(k0, k1 uint64) uint64 {
	return ((k0*0x9E3779B97F4A7C15 ^ k1) * 0xC2B2AE3D27D4EB4F) >> t.shift
}

// pairRank returns the rank of the 2-byte string a, b, or noRank.
func (t *rankTable) pairRank(a, b byte) uint32 {
	if r := t.pair[uint16(a)|uint16(b)<<8]; r != noPair {
		return uint32(r)
	}
	if t.pairLong {
		if r, ok := t.long[string([]byte{a, b})]; ok {
			return r
		}
	}
	return noRank
}

// get returns the rank of s, if s is a token.
func (t *rankTable) get(s string) (uint32, bool) {
	switch {
	case len(s) == 2:
		r := t.pairRank(s[0], s[1])
		return r, r != noRank
	case len(s) <= maxShort:
		k := packShort(s)
		if len(s) > 2 && !t.mayHave(k, 0) {
			return 0, false
		}
		mask := uint64(len(t.short)) - 1
		for i := t.shortHome(k); ; i = (i + 1) & mask {
			v := t.short[i]
			if v&keyBits == k {
				return uint32(v >> 48), true
			}
			if v == 0 {
				return 0, false
			}
		}
	case len(s) <= maxPacked:
		k0, k1 := pack(s)
		if !t.mayHave(k0, k1) {
			return 0, false
		}
		mask := uint64(len(t.slots)) - 1
		for i := t.home(k0, k1); ; i = (i + 1) & mask {
			sl := &t.slots[i]
			if sl.k1&keyBits == k1 && sl.k0 == k0 {
				return uint32(sl.k1 >> 48), true
			}
			if sl.k1 == 0 {
				return 0, false
			}
		}
	}
	r, ok := t.long[s]
	return r, ok
}
