package urlfilter

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The fuzz alphabet: runes whose Python semantics matter (case folding
// beyond ASCII, word characters beyond ASCII, regex metacharacters), each
// with an ASCII stand-in of the same word-ness, so that Go's ASCII-only \b
// on the stand-ins behaves as Python's Unicode \b on the runes.
var fuzzAlphabet = []struct {
	r     rune
	ascii byte
}{
	{'a', 'a'}, {'b', 'b'}, {'c', 'c'}, {'i', 'i'}, {'I', 'I'}, {'ı', 'j'}, {'İ', 'J'},
	{'s', 's'}, {'S', 'S'}, {'ſ', 't'}, {'k', 'k'}, {'K', 'K'}, {'\u212a', 'L'},
	{'é', 'e'}, {'_', '_'}, {'1', '1'}, {'²', '2'}, {'σ', 'x'}, {'ς', 'y'}, {'Σ', 'X'},
	{'-', '-'}, {'.', '.'}, {' ', ' '}, {'/', '/'}, {'\u0301', '~'}, {'🖕', '!'},
}

// pyIgnoreCase lists, for this alphabet, the runes Python's re.IGNORECASE
// takes as equal (printed by Python 3.11: re.fullmatch(re.escape(c), x, re.I)).
var pyIgnoreCase = [][]rune{{'i', 'I', 'ı', 'İ'}, {'s', 'S', 'ſ'}, {'k', 'K', '\u212a'}, {'σ', 'ς', 'Σ'}}

func pyEquals(c rune, fold bool) []rune {
	if fold {
		for _, cl := range pyIgnoreCase {
			if slices.Contains(cl, c) {
				return cl
			}
		}
	}
	return []rune{c}
}

func toASCII(r rune) byte {
	for _, a := range fuzzAlphabet {
		if a.r == r {
			return a.ascii
		}
	}
	panic(fmt.Sprintf("rune %q not in the fuzz alphabet", r))
}

func fromASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		for _, a := range fuzzAlphabet {
			if a.ascii == s[i] {
				b.WriteRune(a.r)
			}
		}
	}
	return b.String()
}

// refPattern writes retrie's Trie.pattern for keys as a Go regexp over the
// ASCII stand-ins: alternatives are ordered by Python's regex text, as
// retrie sorts them, and each key rune becomes the class of stand-ins that
// Python's re would match to it.
func refPattern(keys []string, fold bool) string {
	type trie map[rune]trie
	root := trie{}
	for _, k := range keys {
		n := root
		for _, r := range k {
			if n[r] == nil {
				n[r] = trie{}
			}
			n = n[r]
		}
		n[0] = trie{} // 0 stands for retrie's "" end marker
	}
	class := func(rs []rune) string {
		var b strings.Builder
		b.WriteByte('[')
		for _, r := range rs {
			for _, e := range pyEquals(r, fold) {
				fmt.Fprintf(&b, `\x{%x}`, toASCII(e))
			}
		}
		b.WriteByte(']')
		return b.String()
	}
	type alt struct{ py, gore string }
	var pat func(t trie) *alt
	pat = func(t trie) *alt {
		if len(t) == 0 || len(t) == 1 && t[0] != nil {
			return nil
		}
		var chars []rune
		leaf := false
		for r := range t {
			if r == 0 {
				leaf = true
				continue
			}
			chars = append(chars, r)
		}
		slices.Sort(chars)
		var deeper, final []alt
		var current []rune
		for _, r := range chars {
			if sub := pat(t[r]); sub == nil {
				current = append(current, r)
			} else {
				deeper = append(deeper, alt{reEscape(r) + sub.py, class([]rune{r}) + sub.gore})
			}
		}
		final = append(final, deeper...)
		if len(current) == 1 {
			final = append(final, alt{reEscape(current[0]), class(current)})
		} else if len(current) > 1 {
			py := "["
			for _, r := range current {
				py += reEscape(r)
			}
			final = append(final, alt{py + "]", class(current)})
		}
		var res alt
		if len(final) == 1 {
			res = final[0]
		} else {
			sort.Slice(final, func(i, j int) bool { return final[i].py < final[j].py })
			var py, gore []string
			for _, a := range final {
				py = append(py, a.py)
				gore = append(gore, a.gore)
			}
			res = alt{"(?:" + strings.Join(py, "|") + ")", "(?:" + strings.Join(gore, "|") + ")"}
		}
		if leaf {
			if len(deeper) == 0 {
				res = alt{res.py + "?", res.gore + "?"}
			} else {
				res = alt{"(?:" + res.py + ")?", "(?:" + res.gore + ")?"}
			}
		}
		return &res
	}
	p := pat(root)
	if p == nil {
		return ""
	}
	return p.gore
}

// refFindAll is Python's len(set(findall)) by way of Go's regexp, whose
// default (non-POSIX) semantics are leftmost-first like Python's.
func refFindAll(keys []string, text string, fold, words bool) []string {
	p := refPattern(keys, fold)
	if words {
		p = `\b` + p + `\b`
	}
	re := regexp.MustCompile(p)
	var asc []byte
	for _, r := range text {
		asc = append(asc, toASCII(r))
	}
	var out []string
	for _, m := range re.FindAllString(string(asc), -1) {
		if s := fromASCII(m); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// fuzzInput turns fuzz bytes into keys and a text over the fuzz alphabet.
// Empty keys are dropped: Go's FindAll skips empty matches next to a
// previous match, Python's findall does not (the golden test covers them).
func fuzzInput(keyBytes, textBytes []byte) ([]string, string) {
	n := len(fuzzAlphabet)
	var keys []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 && len(keys) < 24 {
			keys = append(keys, string(cur))
		}
		cur = cur[:0]
	}
	for _, b := range keyBytes {
		if int(b)%(n+1) == n || len(cur) == 8 {
			flush()
			if int(b)%(n+1) == n {
				continue
			}
		}
		cur = append(cur, fuzzAlphabet[int(b)%(n+1)].r)
	}
	flush()
	var text []rune
	for _, b := range textBytes {
		if len(text) == 80 {
			break
		}
		text = append(text, fuzzAlphabet[int(b)%n].r)
	}
	return keys, string(text)
}

// FuzzMatcher checks the trie matcher against the regexp reference.
func FuzzMatcher(f *testing.F) {
	f.Add([]byte("ab\xffabc\xffbcd"), []byte("abcd abc"), false, true)
	f.Add([]byte{3, 26, 5, 0, 26, 7}, []byte{5, 0, 3, 0, 9, 7, 20}, true, true)
	f.Add([]byte{11, 26, 12, 13}, []byte{11, 12, 13, 22, 11}, true, false)
	f.Fuzz(func(t *testing.T, keyBytes, textBytes []byte, fold, words bool) {
		keys, text := fuzzInput(keyBytes, textBytes)
		if len(keys) == 0 {
			return
		}
		got := newMatcher(keys, fold, words).findAll(text, 0)
		want := refFindAll(keys, text, fold, words)
		if !slices.Equal(got, want) {
			t.Fatalf("keys %q text %q fold %v words %v: matcher %q, reference %q (pattern %s)",
				keys, text, fold, words, got, want, refPattern(keys, fold))
		}
	})
}

// TestMatcherRandom runs the fuzz comparison on seeded random inputs, so
// that plain `go test` exercises it too.
func TestMatcherRandom(t *testing.T) {
	var seed uint64 = 0x9e3779b97f4a7c15
	next := func() byte {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return byte(seed)
	}
	withMatches, collisions := 0, 0
	for i := range 3000 {
		kb := make([]byte, int(next())%40)
		for j := range kb {
			kb[j] = next()
		}
		tb := make([]byte, int(next())%60)
		for j := range tb {
			// Favour the first letters, so that keys match often.
			tb[j] = next() % byte(8+i%20)
		}
		for j := range kb {
			if kb[j]%3 == 0 {
				kb[j] = byte(len(fuzzAlphabet)) // a key separator
			} else {
				kb[j] %= byte(8 + i%20)
			}
		}
		keys, text := fuzzInput(kb, tb)
		if len(keys) == 0 {
			continue
		}
		for _, mode := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			got := newMatcher(keys, mode[0], mode[1]).findAll(text, 0)
			want := refFindAll(keys, text, mode[0], mode[1])
			if !slices.Equal(got, want) {
				t.Fatalf("keys %q text %q fold %v words %v: matcher %q, reference %q",
					keys, text, mode[0], mode[1], got, want)
			}
			if len(got) > 0 {
				withMatches++
			}
		}
		if slices.ContainsFunc(keys, func(k string) bool { return strings.ContainsAny(k, "ıİ") }) &&
			slices.ContainsFunc(keys, func(k string) bool { return strings.ContainsAny(k, "iI") }) {
			collisions++
		}
	}
	if withMatches < 3000 || collisions < 100 {
		t.Errorf("weak inputs: %d comparisons with matches, %d key sets with case collisions", withMatches, collisions)
	}
	t.Logf("%d comparisons with matches, %d key sets with case collisions", withMatches, collisions)
}

// FuzzNetloc checks the urllib netloc port on any input: no panic, and the
// result is a piece of the input free of the delimiters that end it.
func FuzzNetloc(f *testing.F) {
	for _, s := range []string{"https://user:pw@www.Example.com:8080/x?y#z", "//a/b", "http://[::1]:80/", "http://[v1.x]/",
		"mailto:x@y", " \thttp://a\nb.com/", "http://\uff03x.com/", "https://[::1/x", "a:b://c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		n, err := netloc(url)
		if err != nil {
			return
		}
		clean := strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
		if !strings.Contains(clean, n) || strings.ContainsAny(n, "/?#") {
			t.Fatalf("netloc(%q) = %q", url, n)
		}
		h := hostname(n)
		if !strings.Contains(n, strings.TrimSuffix(h, ".")) {
			t.Fatalf("hostname(%q) = %q", n, h)
		}
	})
}
