package heuristics

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// naiveNgram is DCLM's repetition_filter for one n, written plainly.
func naiveNgram(words []string, n int) (frac float64, ok bool) {
	if len(words) < n {
		return 0, false
	}
	total := 0
	for _, w := range words {
		total += text.RuneLen(w)
	}
	counts := map[string]int{}
	var grams []string
	for i := 0; i+n <= len(words); i++ {
		g := strings.Join(words[i:i+n], "\x00")
		grams = append(grams, g)
		counts[g]++
	}
	best, bestLen := 1, 0
	for i, g := range grams {
		l := 0
		for _, w := range words[i : i+n] {
			l += text.RuneLen(w)
		}
		if c := counts[g]; c > best || (c == best && l > bestLen) {
			best, bestLen = c, l
		}
	}
	if best == 1 {
		return 0, false
	}
	if n <= 4 {
		return float64(bestLen*best) / float64(total), true
	}
	covered := map[int]bool{}
	for i, g := range grams {
		if counts[g] > 1 {
			for j := i; j < i+n; j++ {
				covered[j] = true
			}
		}
	}
	c := 0
	for j := range covered {
		c += text.RuneLen(words[j])
	}
	return float64(c) / float64(total), true
}

var counterRe = regexp.MustCompile(`^[^\p{L}\p{N}_]*\p{Nd}(?:,|\.|\p{Nd})*(?:K|k|M|m|B|b)?[\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+(?:likes|shares|comments|retweets|reposts|quotes|bookmarks|upvotes|downvotes|downloads|views|followers)[^\p{L}\p{N}_]*$`)

func FuzzHeuristics(f *testing.F) {
	for _, s := range []string{"a b a b a b ab cd ab cd ab cd abc def abc def", "hello world hello\n world hello. apple world hello world hello world hello world",
		"1.2K likes", "  35 Views!!", "Read more... read moreXYZ", "x items in cart", "Sign-in now"} {
		f.Add(s)
	}
	cart, _ := compilePyPattern([]string{"items in cart", "read more..."}, "any", true, false)
	cartRe := regexp.MustCompile(`(?i)[\t-\r\x1c-\x20]?(?:items in cart|read more...)`)
	suffix, _ := compilePyPattern([]string{"read more...", "more"}, "suffix", true, false)
	suffixRe := regexp.MustCompile(`(?i)[\t-\r\x1c-\x20]?(?:read more...|more)$`)
	prefix, _ := compilePyPattern([]string{"sign-in", "sign"}, "prefix", true, false)
	prefixRe := regexp.MustCompile(`(?i)^(?:sign-in|sign)[\t-\r\x1c-\x20]?`)
	f.Fuzz(func(t *testing.T, s string) {
		// The n-gram fractions against a plain implementation.
		words := UAXWords(&filters.Doc{Text: s})
		got := map[int]float64{}
		newScratch().ngramRepetition(words, func(n, num, total int) bool { got[n] = float64(num) / float64(total); return false })
		for n := 2; n <= 10; n++ {
			want, ok := naiveNgram(words, n)
			g, gok := got[n]
			if ok != gok && !(ok && want == 0) || ok && gok && g != want {
				t.Fatalf("%q: %d-gram fraction %v (%v), want %v (%v)", s, n, g, gok, want, ok)
			}
		}
		// Line matchers against Go's regexp on ASCII lines, where Python's
		// and Go's classes agree.
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if !ascii || strings.Contains(s, "\n") {
			return
		}
		if got, want := isCounterLine(s), counterRe.MatchString(strings.ToLower(s)); got != want {
			t.Fatalf("counter %q: %v, want %v", s, got, want)
		}
		for _, c := range []struct {
			pm *pyPattern
			re *regexp.Regexp
		}{{cart, cartRe}, {suffix, suffixRe}, {prefix, prefixRe}} {
			if got, _ := c.pm.sub(s); got != c.re.ReplaceAllString(s, "") {
				t.Fatalf("%s on %q: %q, want %q", c.re, s, got, c.re.ReplaceAllString(s, ""))
			}
		}
	})
}
