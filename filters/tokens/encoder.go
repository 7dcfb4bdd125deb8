package tokens

import (
	"fmt"
	"sync"
	"unicode/utf8"

	loader "github.com/pkoukk/tiktoken-go-loader"
)

const (
	r50kName = "r50k_base"
	// r50kVocab is the number of r50k_base token ids: 50,256 byte strings
	// and <|endoftext|>.
	r50kVocab = 50257
	// r50kMergeable is the number of mergeable byte strings, ids 0..50255.
	r50kMergeable = 50256
)

// Encoder is GPT-2's r50k_base BPE. Safe for concurrent use.
type Encoder struct {
	name  string
	vocab int
	ranks *rankTable // mergeable byte string -> rank (= token id)
	class *classTable
	cache *pieceCache // nil: no cache (benchmarks)
	// counts caches Count's number of ids of short pieces; nil: no cache.
	counts *countCache
}

// loadR50k builds the encoder once per process; the vocabulary is immutable.
var loadR50k = sync.OnceValues(func() (*Encoder, error) {
	ranks, err := loader.NewOfflineLoader().LoadTiktokenBpe("r50k_base.tiktoken")
	if err != nil {
		return nil, fmt.Errorf("tokens: load r50k_base.tiktoken from tiktoken-go-loader: %w", err)
	}
	return newEncoder(r50kName, ranks, r50kVocab, r50kMergeable)
})

// R50k returns the r50k_base encoder, loading its vocabulary once from the
// copy embedded in github.com/pkoukk/tiktoken-go-loader.
func R50k() (*Encoder, error) { return loadR50k() }

// newEncoder checks ranks (ids 0..mergeable-1, each once, every single byte
// present) and builds an Encoder.
func newEncoder(name string, ranks map[string]int, vocab, mergeable int) (*Encoder, error) {
	if len(ranks) != mergeable {
		return nil, fmt.Errorf("tokens: %s: %d mergeable ranks, want %d", name, len(ranks), mergeable)
	}
	seen := make([]bool, mergeable)
	m := make(map[string]uint32, len(ranks))
	for b, r := range ranks {
		if r < 0 || r >= mergeable || seen[r] || b == "" {
			return nil, fmt.Errorf("tokens: %s: bad rank %d for %q", name, r, b)
		}
		seen[r] = true
		m[b] = uint32(r)
	}
	for c := range 256 {
		if _, ok := m[string([]byte{byte(c)})]; !ok {
			return nil, fmt.Errorf("tokens: %s: byte %#02x has no token", name, c)
		}
	}
	return &Encoder{name: name, vocab: vocab, ranks: newRankTable(m),
		class: newClassTable(), cache: newPieceCache(), counts: newCountCache()}, nil
}

// Name is "r50k_base".
func (e *Encoder) Name() string { return e.name }

// VocabSize is the number of token ids (50257).
func (e *Encoder) VocabSize() int { return e.vocab }

// Count returns the number of tokens of text (no special tokens are recognized).
func (e *Encoder) Count(text string) int {
	text = validUTF8(text)
	n := 0
	var ends [countBatch]int
	var sink uint64
	for i := 0; i < len(text); {
		m, v := e.splitBatch(text, i, &ends)
		sink ^= v
		for _, j := range ends[:m] {
			piece := text[i:j]
			i = j
			if _, ok := e.ranks.get(piece); ok {
				n++
				continue
			}
			n += e.pieceCount(piece)
		}
	}
	consume(sink)
	return n
}

// splitBatch splits up to countBatch pieces of text from i, storing their
// ends, and touches their rank table slots: these loads are independent, so
// their cache misses overlap instead of each stalling the lookup of its
// piece in turn. It returns the number of pieces and the value of the
// touched slots (for consume).
func (e *Encoder) splitBatch(text string, i int, ends *[countBatch]int) (int, uint64) {
	m := 0
	for j := i; m < len(ends) && j < len(text); m++ {
		j = e.class.nextPiece(text, j)
		ends[m] = j
	}
	var sink uint64
	for _, j := range ends[:m] {
		sink ^= e.touch(text[i:j])
		i = j
	}
	return m, sink
}

// countBatch is the number of pieces Count and Encode split before looking
// them up.
const countBatch = 32

// touch loads the rank table slot that looking piece up will read first,
// and returns its value (for consume) so that the load is kept. (Touching
// count cache slots too was measured slower on the pool's first pass.)
func (e *Encoder) touch(piece string) uint64 {
	t := e.ranks
	var v uint64
	switch n := len(piece); {
	case n == 2:
		v = uint64(t.pair[uint16(piece[0])|uint16(piece[1])<<8])
	case n <= maxShort:
		v = t.short[t.shortHome(packShort(piece))]
	case n <= maxPacked:
		v = t.slots[t.home(pack(piece))].k1
	}
	return v
}

// consume keeps the value of touch's loads alive.
//
//go:noinline
func consume(uint64) {}

// Encode appends the token ids of text to dst and returns it.
func (e *Encoder) Encode(text string, dst []uint32) []uint32 {
	text = validUTF8(text)
	var ends [countBatch]int
	var sink uint64
	for i := 0; i < len(text); {
		m, v := e.splitBatch(text, i, &ends)
		sink ^= v
		for _, j := range ends[:m] {
			piece := text[i:j]
			i = j
			if id, ok := e.ranks.get(piece); ok {
				dst = append(dst, id)
				continue
			}
			dst = append(dst, e.pieceIDs(piece, dst[len(dst):])...)
		}
	}
	consume(sink)
	return dst
}

// pieceIDs returns the ids of piece, which is not a token, from the cache or
// by merging (appended to buf; the result may instead alias a cache entry
// and must not be modified).
func (e *Encoder) pieceIDs(piece string, buf []uint32) []uint32 {
	if len(piece) > maxCachedPiece || e.cache == nil {
		return e.bpe(piece, buf)
	}
	if ids, ok := e.cache.get(piece); ok {
		return ids
	}
	ids := e.bpe(piece, buf)
	e.cache.put(piece, ids)
	return ids
}

// pieceCount returns the number of ids of piece, which is not a token: from
// the count cache for pieces of up to maxCountPiece bytes, else by merging
// without producing the ids.
func (e *Encoder) pieceCount(piece string) int {
	if len(piece) > maxCountPiece || e.counts == nil {
		return e.bpeCount(piece)
	}
	k := e.counts.key(piece)
	if n, ok := e.counts.get(&k); ok {
		return n
	}
	n := e.bpeCount(piece)
	e.counts.put(&k, n)
	return n
}

// validUTF8 returns s with every byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD, as Go's []rune conversion (and therefore
// tiktoken-go) does; s itself when it is valid.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}
