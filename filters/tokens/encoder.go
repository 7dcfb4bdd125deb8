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
		class: newClassTable(), cache: newPieceCache()}, nil
}

// Name is "r50k_base".
func (e *Encoder) Name() string { return e.name }

// VocabSize is the number of token ids (50257).
func (e *Encoder) VocabSize() int { return e.vocab }

// Count returns the number of tokens of text (no special tokens are recognized).
func (e *Encoder) Count(text string) int {
	text = validUTF8(text)
	n := 0
	var scratch [64]uint32
	for i := 0; i < len(text); {
		j := e.class.nextPiece(text, i)
		piece := text[i:j]
		i = j
		if _, ok := e.ranks.get(piece); ok {
			n++
			continue
		}
		n += len(e.pieceIDs(piece, scratch[:0]))
	}
	return n
}

// Encode appends the token ids of text to dst and returns it.
func (e *Encoder) Encode(text string, dst []uint32) []uint32 {
	text = validUTF8(text)
	for i := 0; i < len(text); {
		j := e.class.nextPiece(text, i)
		piece := text[i:j]
		i = j
		if id, ok := e.ranks.get(piece); ok {
			dst = append(dst, id)
			continue
		}
		dst = append(dst, e.pieceIDs(piece, dst[len(dst):])...)
	}
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

// validUTF8 returns s with every byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD, as Go's []rune conversion (and therefore
// tiktoken-go) does; s itself when it is valid.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}
