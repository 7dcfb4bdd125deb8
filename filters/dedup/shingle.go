package dedup

import (
	"fmt"
	"strings"
	"unicode/utf8"
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
	ring  []uint64 // the hashes of the window's tokens
	slot  int      // the ring slot of the window's oldest token, once full
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
	z.ntok, z.poly, z.slot = 0, 0, 0
	z.tokens(text, start, end)
	if len(o.Hashes) == lo && z.ntok >= z.min && z.ntok > 0 {
		o.Hashes = append(o.Hashes, finish(z.poly, z.ntok))
	}
	o.Tokens += z.ntok
	o.Units = append(o.Units, Unit{Start: start, End: end, Lo: lo, Hi: len(o.Hashes)})
}

// tokens adds the tokens of text[i:end] to the window, as Tokens cuts
// them (the same safe points), the fast runs by fastNext and
// HashToken, which reads a short token's bytes with one 8-byte load of
// text when text has 8 bytes from it.
func (z *Shingler) tokens(text string, i, end int) {
	t := bmpClasses()
	for i < end {
		q := i + firstSlow(text[i:end], t)
		if q == end {
			z.fast(text, i, end, t)
			return
		}
		b := q - 1
		for b > i && !safeAt(text, b) {
			b--
		}
		b = max(b, i)
		if b > i {
			z.fast(text, i, b, t)
		}
		e := q + 1
		for e < end && !safeAt(text, e) {
			e++
		}
		uniTokens(text[b:e], z.tokFn)
		i = e
	}
}

// fast adds the tokens of text[i:end] (see fastNext): push and
// HashToken written out, on local copies of the window's state.
func (z *Shingler) fast(text string, i, end int, t *[1 << 16]uint8) {
	s := text[:end]
	n, ntok, slot, poly, pN1 := z.n, z.ntok, z.slot, z.poly, z.pN1
	ring := z.ring[:n]
	hs := z.out.Hashes
	for {
		// The common case inline: ASCII spaces, then an ASCII word that
		// an ASCII character other than a Mid one ends.
		for i < end && wbClass[s[i]]&cSpace != 0 {
			i++
		}
		var a, b int
		if i < end && wbClass[s[i]]&cWord != 0 {
			j := i + 1
			for j < end && wbClass[s[j]]&cWord != 0 {
				j++
			}
			if j == end || s[j] < utf8.RuneSelf && wbClass[s[j]]&(cMidL|cMidN) == 0 {
				a, b = i, j
			} else {
				a, b = fastNext(s, i, t)
			}
		} else {
			a, b = fastNext(s, i, t)
		}
		if a == end {
			break
		}
		i = b
		var th uint64
		if l := b - a; l < 8 && a+8 <= len(text) {
			w := le64(text[a:]) & (1<<(8*uint(l)) - 1)
			th = mum(mum(w^prime2, TokenSeed^uint64(l)*prime1^prime1)^prime3, prime2^uint64(l))
		} else {
			th = HashToken(text[a:b])
		}
		if ntok < n {
			ring[ntok] = th
			poly = poly*polyP + th
		} else {
			poly = (poly-ring[slot]*pN1)*polyP + th
			ring[slot] = th
			if slot++; slot == n {
				slot = 0
			}
		}
		ntok++
		if ntok >= n {
			hs = append(hs, finish(poly, n))
		}
	}
	z.ntok, z.slot, z.poly, z.out.Hashes = ntok, slot, poly, hs
}

// token adds one token to the sliding window.
func (z *Shingler) token(tok string) bool {
	z.push(HashToken(tok))
	return true
}

// push adds the token hash th to the sliding window.
func (z *Shingler) push(th uint64) {
	if z.ntok < z.n {
		z.ring[z.ntok] = th
		z.poly = z.poly*polyP + th
	} else {
		z.poly = (z.poly-z.ring[z.slot]*z.pN1)*polyP + th
		z.ring[z.slot] = th
		if z.slot++; z.slot == z.n {
			z.slot = 0
		}
	}
	z.ntok++
	if z.ntok >= z.n {
		z.out.Hashes = append(z.out.Hashes, finish(z.poly, z.n))
	}
}
