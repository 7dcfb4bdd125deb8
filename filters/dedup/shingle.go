package dedup

import (
	"fmt"
	"strings"
)

// Unit is one unit of a document: a paragraph (old-both and paragraph
// mode) or the whole text (document mode).
type Unit struct {
	// Start and End are the unit's byte window in the text.
	Start, End int
	// Lo and Hi delimit the unit's shingle hashes in Shingles.Hashes.
	Lo, Hi int
}

// Shingles are the units of one document and their shingle hashes. A
// Shingler reuses them from one document to the next.
type Shingles struct {
	Units  []Unit
	Hashes []uint64
	// Tokens counts the document's tokens.
	Tokens int
}

// Of returns the hashes of unit i.
func (s *Shingles) Of(i int) []uint64 { u := s.Units[i]; return s.Hashes[u.Lo:u.Hi] }

// Clone returns a copy of s that does not share memory with it.
func (s *Shingles) Clone() *Shingles {
	return &Shingles{Units: append([]Unit(nil), s.Units...), Hashes: append([]uint64(nil), s.Hashes...), Tokens: s.Tokens}
}

// Shingler cuts documents into units and hashes their shingles. It is not
// safe for concurrent use: give each goroutine its own (it is cheap). In
// steady state it allocates nothing.
type Shingler struct {
	n, min int
	whole  bool
	pN1    uint64 // P^(n-1)

	out   Shingles
	ring  []uint64
	ntok  int
	poly  uint64
	tokFn func(string) bool
}

// NewShingler returns a shingler for windows of n tokens; units with fewer
// tokens than n but at least min get one shingle made of all their tokens
// (DCLM's min_ngram_size; min = n turns that off). whole makes the whole
// text one unit (document mode). It fails unless 1 <= min <= n.
func NewShingler(n, min int, whole bool) (*Shingler, error) {
	if n < 1 || min < 1 || min > n {
		return nil, fmt.Errorf("shingler: need 1 <= min_ngram (%d) <= ngram (%d)", min, n)
	}
	z := &Shingler{n: n, min: min, whole: whole, pN1: powP(n - 1), ring: make([]uint64, n)}
	z.tokFn = z.token
	return z, nil
}

// Shingle computes the units and shingle hashes of text. The result is
// valid until the next call.
func (z *Shingler) Shingle(text string) *Shingles {
	o := &z.out
	o.Units, o.Hashes, o.Tokens = o.Units[:0], o.Hashes[:0], 0
	if z.whole {
		z.unit(text, 0, len(text))
		return o
	}
	// DCLM's windows: consecutive pairs of [0, every "\n" position, len].
	start := 0
	for p := 0; p < len(text); {
		i := strings.IndexByte(text[p:], '\n')
		if i < 0 {
			break
		}
		nl := p + i
		z.unit(text, start, nl)
		start, p = nl, nl+1
	}
	z.unit(text, start, len(text))
	return o
}

// unit tokenizes text[start:end] and appends its unit and hashes.
func (z *Shingler) unit(text string, start, end int) {
	o := &z.out
	lo := len(o.Hashes)
	z.ntok, z.poly = 0, 0
	Tokens(text[start:end], z.tokFn)
	if len(o.Hashes) == lo && z.ntok >= z.min && z.ntok > 0 {
		o.Hashes = append(o.Hashes, finish(z.poly, z.ntok))
	}
	o.Tokens += z.ntok
	o.Units = append(o.Units, Unit{Start: start, End: end, Lo: lo, Hi: len(o.Hashes)})
}

// token adds one token to the sliding window.
func (z *Shingler) token(tok string) bool {
	th := HashToken(tok)
	if z.ntok < z.n {
		z.ring[z.ntok] = th
		z.poly = z.poly*polyP + th
	} else {
		slot := z.ntok % z.n
		z.poly = (z.poly-z.ring[slot]*z.pN1)*polyP + th
		z.ring[slot] = th
	}
	z.ntok++
	if z.ntok >= z.n {
		z.out.Hashes = append(z.out.Hashes, finish(z.poly, z.n))
	}
	return true
}
