package tokens

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

// cacheSlots is the number of entries of the piece cache (a power of two).
const cacheSlots = 1 << 17

// maxCachedPiece is the longest piece (in bytes) that is cached: longer ones
// are rare and would make the cache's memory unbounded in practice.
const maxCachedPiece = 64

// cacheEntry is a piece and its token ids.
type cacheEntry struct {
	piece string
	ids   []uint32
}

// pieceCache maps pieces to their token ids. It is direct-mapped: each piece
// has one slot, and a new piece replaces whatever the slot held. Reads and
// writes are single atomic pointer operations, so it needs no lock and its
// size is bounded (cacheSlots entries of at most maxCachedPiece bytes).
type pieceCache struct {
	seed  maphash.Seed
	slots []atomic.Pointer[cacheEntry]
}

func newPieceCache() *pieceCache {
	return &pieceCache{seed: maphash.MakeSeed(), slots: make([]atomic.Pointer[cacheEntry], cacheSlots)}
}

func (c *pieceCache) slot(piece string) *atomic.Pointer[cacheEntry] {
	return &c.slots[maphash.String(c.seed, piece)&(cacheSlots-1)]
}

// get returns the ids of piece, if cached. They must not be modified.
func (c *pieceCache) get(piece string) ([]uint32, bool) {
	if e := c.slot(piece).Load(); e != nil && e.piece == piece {
		return e.ids, true
	}
	return nil, false
}

// put caches the ids of piece, copying both.
func (c *pieceCache) put(piece string, ids []uint32) {
	e := &cacheEntry{piece: strings.Clone(piece), ids: append([]uint32(nil), ids...)}
	c.slot(piece).Store(e)
}
