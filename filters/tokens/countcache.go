package tokens

import "sync/atomic"

const (
	// countBits is log2 of the number of entries of the count cache.
	countBits = 17
	// maxCountPiece is the longest piece (in bytes) the count cache holds:
	// the bytes of its key words.
	maxCountPiece = 24
)

// countSlot is one entry of the count cache, 32 bytes (two per cache line):
// hdr is a sequence number (bits 0-31, odd while a writer fills the slot),
// the piece's length (bits 32-39, 0 when empty) and its count (bits 40-63);
// key is the piece's bytes, little-endian, zero-padded.
type countSlot struct {
	hdr atomic.Uint64
	key [3]atomic.Uint64
}

// countCache maps pieces of at most maxCountPiece bytes to their number of
// token ids, for Count. Unlike pieceCache, an entry is inline (a hit reads
// one 32-byte slot, not a slot, an entry and the piece's bytes) and a put
// allocates nothing. It is direct-mapped: a new piece replaces what its slot
// held. Each slot is a seqlock of atomic words: a reader takes the key and
// count only when the header is even and unchanged after reading the key,
// and a writer claims a slot by making its header odd (skipping the put when
// another writer holds it), so a hit is always a complete, matching entry.
type countCache struct {
	slots []countSlot
}

func newCountCache() *countCache {
	return &countCache{slots: make([]countSlot, 1<<countBits)}
}

// countKey is a piece packed into key words, and its slot.
type countKey struct {
	w    [3]uint64
	n    uint64
	slot *countSlot
}

// key packs piece (1 to maxCountPiece bytes) and finds its slot.
func (c *countCache) key(piece string) countKey {
	var k countKey
	k.n = uint64(len(piece))
	for i := range len(piece) {
		k.w[i>>3] |= uint64(piece[i]) << (8 * (i & 7))
	}
	h := (k.w[0]*0x9E3779B97F4A7C15 ^ k.w[1]*0xC2B2AE3D27D4EB4F ^ k.w[2]*0x165667B19E3779F9 ^ k.n) * 0xD6E8FEB86659FD93
	k.slot = &c.slots[h>>(64-countBits)]
	return k
}

// get returns the count of the piece of k, if cached.
func (c *countCache) get(k *countKey) (int, bool) {
	s := k.slot
	h := s.hdr.Load()
	if h&1 != 0 || (h>>32)&0xff != k.n {
		return 0, false
	}
	if s.key[0].Load() != k.w[0] || s.key[1].Load() != k.w[1] || s.key[2].Load() != k.w[2] {
		return 0, false
	}
	if s.hdr.Load() != h {
		return 0, false
	}
	return int(h >> 40), true
}

// put caches count for the piece of k, unless another writer holds its slot.
func (c *countCache) put(k *countKey, count int) {
	s := k.slot
	h := s.hdr.Load()
	if h&1 != 0 || !s.hdr.CompareAndSwap(h, h+1) {
		return
	}
	s.key[0].Store(k.w[0])
	s.key[1].Store(k.w[1])
	s.key[2].Store(k.w[2])
	seq := (h + 2) & (1<<32 - 1)
	s.hdr.Store(seq | k.n<<32 | uint64(count)<<40)
}
