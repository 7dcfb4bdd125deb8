package eval

import (
	"fmt"
	"runtime"
	"sync"
	"unicode"
	"unicode/utf8"
)

// NearDupParams are the MinHash-LSH near-duplicate parameters.
type NearDupParams struct {
	// Shingle is the number of words in a shingle (5).
	Shingle int `json:"shingle"`
	// Bands and Rows split the Bands*Rows MinHash values into LSH bands
	// (20 x 5): two documents are compared when all Rows values of some band
	// agree.
	Bands int `json:"bands"`
	Rows  int `json:"rows"`
	// Threshold is the estimated Jaccard similarity from which a document is
	// a near duplicate (0.8).
	Threshold float64 `json:"threshold"`
	// Seed seeds the hash functions.
	Seed uint64 `json:"seed"`
}

// DefaultNearDupParams returns the default suite's parameters.
func DefaultNearDupParams() NearDupParams {
	return NearDupParams{Shingle: 5, Bands: 20, Rows: 5, Threshold: 0.8, Seed: 20240603}
}

// Validate reports parameters out of range.
func (p NearDupParams) Validate() error {
	switch {
	case p.Shingle < 1 || p.Shingle > 64:
		return fmt.Errorf("near_dup.shingle %d not in [1, 64]", p.Shingle)
	case p.Bands < 1 || p.Rows < 1 || p.Bands*p.Rows > 1024:
		return fmt.Errorf("near_dup.bands %d x rows %d: both must be positive, the product at most 1024", p.Bands, p.Rows)
	case !(p.Threshold >= 0 && p.Threshold <= 1):
		return fmt.Errorf("near_dup.threshold %v not in [0, 1]", p.Threshold)
	}
	return nil
}

// NearDupResult is the near-duplicate rate of a document set.
type NearDupResult struct {
	// Docs is the number of documents; Empty of them have no words and are
	// never near duplicates.
	Docs  int `json:"docs"`
	Empty int `json:"empty"`
	// NearDups is the number of near duplicates of an earlier document;
	// Rate is NearDups/Docs (0 for no documents).
	NearDups int     `json:"near_dups"`
	Rate     float64 `json:"rate"`
	// Params are the parameters used.
	Params NearDupParams `json:"params"`
}

// NearDupRate counts the documents of texts that are near duplicates of an
// earlier one (see NearDupFlags).
func NearDupRate(texts []string, p NearDupParams) NearDupResult {
	flags, empty := nearDupFlags(texts, p)
	r := NearDupResult{Docs: len(texts), Empty: empty, Params: p}
	for _, f := range flags {
		if f {
			r.NearDups++
		}
	}
	if r.Docs > 0 {
		r.Rate = float64(r.NearDups) / float64(r.Docs)
	}
	return r
}

// NearDupFlags reports, for each document of texts in order, whether it is
// a near duplicate of an earlier document. A document's words are its
// text lower-cased (strings.ToLower) and split on white space
// (strings.Fields); its shingles are its runs of p.Shingle consecutive
// words (the whole text if it has fewer words; none if it has no words). Each
// shingle is hashed to 64 bits (FNV-1a of each word, combined and mixed by
// splitmix64's finalizer), and the document's MinHash signature holds, for
// each of the Bands*Rows functions x -> a_i*x + b_i (mod 2^64, a_i odd, a_i
// and b_i drawn from splitmix64 seeded with p.Seed), the least value over
// its shingles. Document j is a near duplicate when some earlier document
// i < j has the same Rows values in some band and the two signatures agree
// in at least p.Threshold of their positions (the MinHash estimate of the
// Jaccard similarity of their shingle sets). Earlier documents that are
// themselves near duplicates count too. Signatures are computed in
// parallel; the result does not depend on scheduling. Parameters are
// assumed valid (Validate).
func NearDupFlags(texts []string, p NearDupParams) []bool {
	flags, _ := nearDupFlags(texts, p)
	return flags
}

func nearDupFlags(texts []string, p NearDupParams) ([]bool, int) {
	k := p.Bands * p.Rows
	mh := newMinHasher(p)
	sigs := make([]uint64, len(texts)*k)
	has := make([]bool, len(texts))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(texts)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var wh []uint64
			for i := w; i < len(texts); i += workers {
				wh = mh.words(texts[i], wh[:0])
				has[i] = mh.signature(wh, sigs[i*k:(i+1)*k])
			}
		})
	}
	wg.Wait()

	flags := make([]bool, len(texts))
	empty := 0
	buckets := make([]map[uint64][]int32, p.Bands)
	for b := range buckets {
		buckets[b] = map[uint64][]int32{}
	}
	checked := make([]int32, len(texts)) // checked[i] == j+1: i compared with j
	need := p.Threshold * float64(k)
	keys := make([]uint64, p.Bands)
	for j := range texts {
		if !has[j] {
			empty++
			continue
		}
		sj := sigs[j*k : (j+1)*k]
		for b := range keys {
			h := p.Seed ^ uint64(b)*0x9e3779b97f4a7c15
			for _, v := range sj[b*p.Rows : (b+1)*p.Rows] {
				h = mix64(h ^ v)
			}
			keys[b] = h
		}
	search:
		for b, key := range keys {
			for _, i := range buckets[b][key] {
				if checked[i] == int32(j+1) {
					continue
				}
				checked[i] = int32(j + 1)
				si := sigs[int(i)*k : (int(i)+1)*k]
				same := 0
				for t := range si {
					if si[t] == sj[t] {
						same++
					}
				}
				if float64(same) >= need {
					flags[j] = true
					break search
				}
			}
		}
		for b, key := range keys {
			buckets[b][key] = append(buckets[b][key], int32(j))
		}
	}
	return flags, empty
}

// minHasher holds the hash functions of a MinHash signature.
type minHasher struct {
	shingle int
	a, b    []uint64
}

func newMinHasher(p NearDupParams) *minHasher {
	k := p.Bands * p.Rows
	m := &minHasher{shingle: p.Shingle, a: make([]uint64, k), b: make([]uint64, k)}
	rng := newSplitMix(p.Seed)
	for i := range k {
		m.a[i] = rng.next() | 1
		m.b[i] = rng.next()
	}
	return m
}

// words appends to dst the FNV-1a hash of each word of text lower-cased:
// the hashes of strings.Fields(strings.ToLower(text)), computed without
// building either (ASCII bytes are lower-cased directly, other runes by
// unicode.ToLower, invalid bytes read as U+FFFD as strings.ToLower does).
func (m *minHasher) words(text string, dst []uint64) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h, in := uint64(offset), false
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				if in {
					dst = append(dst, h)
					h, in = offset, false
				}
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * prime
			in = true
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsSpace(r) {
			if in {
				dst = append(dst, h)
				h, in = offset, false
			}
			continue
		}
		for _, b := range utf8.AppendRune(buf[:0], unicode.ToLower(r)) {
			h = (h ^ uint64(b)) * prime
		}
		in = true
	}
	if in {
		dst = append(dst, h)
	}
	return dst
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// signature fills sig with the MinHash values of the shingles of the
// hashed words wh; it reports false, leaving sig alone, when there are none.
func (m *minHasher) signature(wh []uint64, sig []uint64) bool {
	if len(wh) == 0 {
		return false
	}
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	n := min(m.shingle, len(wh))
	for s := 0; s+n <= len(wh); s++ {
		x := uint64(0x51ed270b27c9f3a7)
		for _, h := range wh[s : s+n] {
			x = (x ^ h) * 0x100000001b3
		}
		x = mix64(x)
		a, b := m.a, m.b[:len(m.a)]
		sig := sig[:len(a)]
		for i := range a {
			if v := a[i]*x + b[i]; v < sig[i] {
				sig[i] = v
			}
		}
	}
	return true
}
