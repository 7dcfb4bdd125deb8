package dedup

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MinHash signatures as datatrove's MinhashDedupSignature computes them
// (huggingface/datatrove, src/datatrove/pipeline/dedup/minhash.py and
// utils/text.py at commit 3647626c977e33c79447e03439b190fe858c16f4):
//
//   - the text is simplified (simplify_text, TextNormConfig defaults):
//     lowercased, white space runs made one space, punctuation removed,
//     NFD with combining marks (Mn) dropped, digit runs made "0", stripped;
//   - it is split into words (English word_tokenize, NLTK's Treebank rules:
//     after simplification they reduce to splitting at white space, with
//     "cannot", "gimme", "gonna", "gotta", "lemme" and "wanna" split in two
//     and ‘ a word of its own);
//   - every window of n_grams consecutive words, joined by one space, is
//     hashed with XXH64 (seed 0): the shingles; a text of fewer words has
//     none and no signature (it is never a duplicate);
//   - permutation k maps a shingle h to ((h·a_k + b_k) mod 2^64) mod (2^61-1)
//     (numpy uint64 arithmetic wraps), a and b drawn by
//     np.random.RandomState(seed); the signature is the minimum of each
//     permutation over the shingles, num_buckets·hashes_per_bucket values.

// minhashPunct is datatrove's PUNCTUATION: these characters are removed
// (asciiPunct for the ASCII ones).
var minhashPunct, asciiPunct = func() (map[rune]bool, [128]bool) {
	m := map[rune]bool{}
	var ascii [128]bool
	for _, r := range "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»" {
		m[r] = true
	}
	for _, span := range [][2]rune{{0, 9}, {11, 13}, {13, 32}, {127, 160}} {
		for r := span[0]; r < span[1]; r++ {
			m[r] = true
		}
	}
	for r := range ascii {
		ascii[r] = m[rune(r)]
	}
	return m, ascii
}()

func isMinhashPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiPunct[r]
	}
	return minhashPunct[r]
}

// pySpace is Python's str.isspace (what \s and strip() match in a str).
func pySpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r >= '\t' && r <= '\r' || r >= 0x1c && r <= 0x1f
	}
	return unicode.IsSpace(r)
}

// textBufs are the buffers of simplify, reused from call to call.
type textBufs struct{ a, b []byte }

// simplify is datatrove's simplify_text with the default TextNormConfig.
// Known differences from Python: Go's per-rune lowercase (Python's final
// sigma and multi-rune special cases differ; those mostly vanish with the
// combining marks) and the Unicode version of the tables.
func (t *textBufs) simplify(s string) string {
	// Lowercase, white space runs to one space, punctuation removed (in
	// this order: a run of white space and punctuation leaves spaces
	// either side).
	a := t.a[:0]
	space := false
	ascii := true
	for _, r := range strings.TrimFunc(s, pySpace) {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		default:
			r = unicode.ToLower(r)
			ascii = false
		}
		switch {
		case pySpace(r):
			if !space {
				a = append(a, ' ')
			}
			space = true
			continue
		case isMinhashPunct(r):
		default:
			a = utf8.AppendRune(a, r)
		}
		space = false
	}
	// NFD, combining marks dropped, digit runs to "0".
	src := a
	if !ascii {
		t.b = norm.NFD.Append(t.b[:0], a...)
		src = t.b
	}
	out := make([]byte, 0, len(src))
	digits := false
	for i := 0; i < len(src); {
		r, n := rune(src[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(src[i:])
		}
		i += n
		if r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r) {
			continue // dropped before digit runs are seen
		}
		if r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r) {
			if !digits {
				out = append(out, '0')
			}
			digits = true
			continue
		}
		digits = false
		out = utf8.AppendRune(out, r)
	}
	t.a = a
	return strings.TrimFunc(string(out), pySpace)
}

// treebankSplits are NLTK's CONTRACTIONS2 that can still match a
// simplified (apostrophe-free, lowercase) word.
var treebankSplits = map[string][2]string{
	"cannot": {"can", "not"}, "gimme": {"gim", "me"}, "gonna": {"gon", "na"},
	"gotta": {"got", "ta"}, "lemme": {"lem", "me"}, "wanna": {"wan", "na"},
}

// minhashWords appends the words of a simplified text to dst.
func minhashWords(s string, dst []string) []string {
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if pySpace(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := rune(s[j]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[j:])
			}
			if pySpace(r) {
				break
			}
			j += n
		}
		dst = appendWord(dst, s[i:j])
		i = j
	}
	return dst
}

// appendWord appends the tokens of one white-space-free word: NLTK's
// splits, and ‘ a token of its own.
func appendWord(dst []string, w string) []string {
	if len(w) >= 5 && len(w) <= 6 {
		if sp, ok := treebankSplits[w]; ok {
			return append(dst, sp[0], sp[1])
		}
	}
	for w != "" {
		i := strings.Index(w, "‘")
		if i < 0 {
			return append(dst, w)
		}
		if i > 0 {
			dst = append(dst, w[:i])
		}
		dst = append(dst, "‘")
		w = w[i+len("‘"):]
	}
	return dst
}

// minhasher computes signatures; one per goroutine (it reuses buffers).
type minhasher struct {
	p      *MinHashParams
	a, b   []uint64
	tb     textBufs
	words  []string
	joined []byte   // the words, one space between two
	starts []int    // where each word starts in joined
	hashes []uint64 // XXH64 of each shingle
	sig    []uint64
	band   []byte
	keys   []uint64
}

// signature returns the document's signature (num_buckets ×
// hashes_per_bucket minimums, bucket after bucket), or nil when the text
// has fewer than n_grams words. The slice is reused by the next call.
func (m *minhasher) signature(text string) []uint64 {
	m.words = minhashWords(m.tb.simplify(text), m.words[:0])
	n := m.p.NGrams
	if len(m.words) < n {
		return nil
	}
	// The shingles: n words joined by one space are a span of joined.
	m.joined, m.starts = m.joined[:0], m.starts[:0]
	for i, w := range m.words {
		if i > 0 {
			m.joined = append(m.joined, ' ')
		}
		m.starts = append(m.starts, len(m.joined))
		m.joined = append(m.joined, w...)
	}
	m.hashes = m.hashes[:0]
	for i := 0; i+n <= len(m.words); i++ {
		end := len(m.joined)
		if i+n < len(m.words) {
			end = m.starts[i+n] - 1
		}
		m.hashes = append(m.hashes, XXH64(m.joined[m.starts[i]:end], 0))
	}
	m.sig = slices.Grow(m.sig[:0], len(m.a))[:len(m.a)]
	minPermutations(m.sig, m.a, m.b, m.hashes)
	return m.sig
}

// minPermutations sets sig[k] to the minimum over hashes of permutation k,
// mod61(h·a[k] + b[k]); four permutations at a time, each a pass over the
// hashes with its parameters and minimums in registers.
func minPermutations(sig, a, b, hashes []uint64) {
	k := 0
	for ; k+4 <= len(sig); k += 4 {
		a0, a1, a2, a3 := a[k], a[k+1], a[k+2], a[k+3]
		b0, b1, b2, b3 := b[k], b[k+1], b[k+2], b[k+3]
		m0, m1, m2, m3 := uint64(mersenne61), uint64(mersenne61), uint64(mersenne61), uint64(mersenne61)
		for _, h := range hashes {
			m0 = min(m0, mod61(h*a0+b0))
			m1 = min(m1, mod61(h*a1+b1))
			m2 = min(m2, mod61(h*a2+b2))
			m3 = min(m3, mod61(h*a3+b3))
		}
		sig[k], sig[k+1], sig[k+2], sig[k+3] = m0, m1, m2, m3
	}
	for ; k < len(sig); k++ {
		mk := uint64(mersenne61)
		for _, h := range hashes {
			mk = min(mk, mod61(h*a[k]+b[k]))
		}
		sig[k] = mk
	}
}

// bandKeys appends the document's band keys to dst: per bucket, the XXH64
// (seeded with the bucket's index) of its hashes_per_bucket values, 8
// bytes little-endian each. datatrove compares the values themselves; two
// different bands of one bucket share a key with probability 2^-64.
func (m *minhasher) bandKeys(sig []uint64, dst []uint64) []uint64 {
	r := m.p.HashesPerBucket
	for bi := 0; bi < m.p.NumBuckets; bi++ {
		m.band = m.band[:0]
		for _, v := range sig[bi*r : (bi+1)*r] {
			m.band = binary.LittleEndian.AppendUint64(m.band, v)
		}
		dst = append(dst, XXH64(m.band, uint64(bi)))
	}
	return dst
}
