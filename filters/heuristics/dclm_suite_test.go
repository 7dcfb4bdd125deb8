package heuristics

import (
	"math"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// The cases of this file are those of DCLM's own test suite
// (tests/baselines/mappers/filters/test_content_filters.py), with DCLM's
// expected results.

// build builds a registered step from its defaults changed by set.
func build[P any](t *testing.T, name string, set func(p *P)) any {
	t.Helper()
	s, err := filters.BuildStep(name, set, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// kept runs a filter or modifier on a fresh document.
func kept(t *testing.T, s any, txt string, signals map[string]any) bool {
	t.Helper()
	d := &filters.Doc{Text: txt, Signals: signals}
	var reason string
	var err error
	switch st := s.(type) {
	case filters.Filter:
		reason, err = st.Filter(d)
	case filters.Modifier:
		reason, err = st.Modify(d)
	}
	if err != nil {
		t.Fatalf("%q: %v", txt, err)
	}
	return reason == ""
}

// ngramFracs returns the fraction of each n for which there is one.
func ngramFracs(txt string) map[int]float64 {
	out := map[int]float64{}
	(&scratch{}).ngramRepetition(UAXWords(&filters.Doc{Text: txt}), func(n, num, total int) bool { out[n] = float64(num) / float64(total); return false })
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestDCLMRepetitionFractions(t *testing.T) {
	lines := func(s string) []string { return Lines(&filters.Doc{Text: s}) }
	paras := func(s string) []string { return Paragraphs(&filters.Doc{Text: s}) }

	if c, ch := newScratch().segmentRepetition(lines("Hello\nHello\n\n\n\nHello")).fracs(); c != 1 || ch != 1 {
		t.Errorf("all-duplicate lines: %v %v, want 1 1", c, ch)
	}
	if c, ch := newScratch().segmentRepetition(lines("Hello, World.\nHello, World.\n\nHello")).fracs(); !near(c, 2.0/3) || !near(ch, 26.0/31) {
		t.Errorf("lines: %v %v, want 2/3 26/31", c, ch)
	}
	if c, ch := newScratch().segmentRepetition(paras("Hello, World.\n\nHello, World.\n\nHello, World.\nHello")).fracs(); !near(c, 2.0/3) || !near(ch, 26.0/45) {
		t.Errorf("paragraphs: %v %v, want 2/3 26/45", c, ch)
	}
	if c, ch := newScratch().segmentRepetition(lines("Hello, World.")).fracs(); c != 0 || ch != 0 {
		t.Errorf("one line: %v %v, want 0 0", c, ch)
	}

	if f := ngramFracs("hello"); len(f) != 0 {
		t.Errorf("one word: %v, want no n-gram", f)
	}
	f := ngramFracs("hello world hello world hello world")
	for n := 2; n <= 4; n++ {
		if f[n] <= 0.99 {
			t.Errorf("all repeated: %d-gram fraction %v, want > 0.99", n, f[n])
		}
	}
	f = ngramFracs("hello      world hello apple.... world hello\n world hello")
	if !near(f[2], 30.0/40) || !near(f[3], 30.0/40) {
		t.Errorf("punctuation and spaces: %v, want 2,3 -> 30/40", f)
	}
	if _, ok := f[4]; ok {
		t.Errorf("punctuation and spaces: 4-gram fraction %v, want no repeated 4-gram", f[4])
	}
	for _, s := range []string{"a b a b a b ab cd ab cd ab cd abc def abc def", "a b a b a b abc def abc def ab cd ab cd ab cd"} {
		if f := ngramFracs(s); !near(f[2], 12.0/30) {
			t.Errorf("%q: 2-gram fraction %v, want 12/30 (longest of the ties)", s, f[2])
		}
	}
	if f := ngramFracs("hello world hello\n world hello. apple world hello world hello world hello world"); !near(f[5], 60.0/65) {
		t.Errorf("5-gram fraction %v, want 60/65", f[5])
	}
}

func TestDCLMMassiveWebRepetition(t *testing.T) {
	s := build[RepetitionParams](t, "massive_web_repetition_filters", nil)
	long := "This is a complex sentence with unique words.\n" +
		"Here is another one.\n We can say a lot of things, because we want this page to not be filtered out.\n" +
		"However, in order to make sure all parts of the code are reached,\nwe craete a long n-gram that is repeated:\n" +
		"a complex sentence with unique words.\nNow just making sure that the freq count is low enough so it will not filter out anything.\n" +
		"Since our n-gram is quite long, need to add a lot of text here in order to verify it is indeed not filtered out. I hope that is enough.\n" +
		"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. " +
		"Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat."
	for _, c := range []struct {
		text string
		keep bool
	}{
		{"This is a complex sentence with unique words.\n Here is another one.", true},
		{"Repeat repeat repeat repeat.", false},
		{"", false},
		{"   \n  ", false},
		{long, true},
	} {
		if got := kept(t, s, c.text, nil); got != c.keep {
			t.Errorf("%.40q: kept %v, want %v", c.text, got, c.keep)
		}
	}
}

func TestDCLMPageLength(t *testing.T) {
	type pl = PageLengthParams
	for _, c := range []struct {
		text, unit string
		min        int
		punct      bool
		model      string
		keep       bool
	}{
		{"", "word", 1, false, "", false}, {"", "line", 1, false, "", false},
		{"", "paragraph", 1, false, "", false}, {"", "char", 1, false, "", false},
		{"Hello world.", "word", 3, false, "", false}, {"Hello world.", "word", 2, false, "", true},
		{"Hello world.", "line", 2, false, "", false}, {"Hello world.", "line", 1, false, "", true},
		{"Hello world.", "char", 13, false, "", false}, {"Hello world.", "char", 12, false, "", true},
		{"Hello world. This is a test.", "word", 7, false, "", false},
		{"Hello world. This is a test.", "word", 6, false, "", true},
		{"Hello world. This is a test.", "char", 29, false, "", false},
		{"Hello world. This is a test.", "char", 28, false, "", true},
		{"Hello world. \n This is a test.", "word", 7, true, "", false},
		{"Hello world. \n This is a test.", "word", 6, true, "", true},
		{"Hello world. \n This is a test.", "line", 3, false, "", false},
		{"Hello world. \n This is a test.", "line", 2, false, "", true},
		{"Hello world. \n This is a test.", "paragraph", 2, false, "", false},
		{"Hello world. \n This is a test.", "char", 31, false, "", false},
		{"Hello world. \n This is a test.", "char", 30, false, "", true},
		{"Hello world. \n\n This is a test.", "paragraph", 3, false, "", false},
		{"Hello world. \n\n This is a test.", "paragraph", 2, false, "", true},
		{"Hello world. \n\n\n \n\n\n This is a test.", "word", 7, true, "", false},
		{"Hello world. \n\n\n \n\n\n This is a test.", "word", 6, true, "", true},
		{"Hello world. \n\n\n \n\n\n This is a test.", "line", 3, false, "", false},
		{"Hello world. \n\n\n \n\n\n This is a test.", "line", 2, false, "", true},
		{"Hello world. \n\n\n \n\n\n This is a test.", "paragraph", 2, false, "", true},
		{"Hello world. \n\n\n \n\n\n This is a test.", "char", 37, false, "", false},
		{"Hello world. \n\n\n \n\n\n This is a test.", "char", 36, false, "", true},
		{"Mr. Smith bought 2.5 kilograms of fruit.", "word", 8, true, "", false},
		{"Mr. Smith bought 2.5 kilograms of fruit.", "word", 7, true, "", true},
		{"Hello world! That should be easy, right? I think so...yeah...", "word", 12, true, "uniseg", false},
		{"Hello world! That should be easy, right? I think so...yeah...", "word", 11, true, "uniseg", true},
		{"Hello.", "word", -1, false, "", true},
	} {
		s := build(t, "page_length_filter", func(p *pl) {
			p.LengthType, p.MinLength, p.IgnorePunctuation = c.unit, c.min, c.punct
			if c.model != "" {
				p.Model = c.model
			}
		})
		if got := kept(t, s, c.text, nil); got != c.keep {
			t.Errorf("%q %s >= %d: kept %v, want %v", c.text, c.unit, c.min, got, c.keep)
		}
	}
}

func TestDCLMSmallFilters(t *testing.T) {
	for _, ell := range []string{"...", ". . .", "\u2026"} {
		e := func(r float64) any {
			return build(t, "ellipsis_count_filter", func(p *EllipsisCountParams) { p.MaxEllipsisEndRatio = r })
		}
		t1 := "This text has one line that ends with an ellipsis" + ell + "\n and one line that doesn't."
		t2 := "This text has one" + ell + "line that ends with an ellipsis" + ell + "and one line that doesn't."
		t3 := "This text has one" + ell + ell + "\n" + ell + "line that ends with an ellipsis" + ell + "\nand one line that doesn't."
		if kept(t, e(0.49), t1, nil) || !kept(t, e(0.51), t1, nil) || !kept(t, e(0.01), t2, nil) ||
			kept(t, e(0.66), t3, nil) || !kept(t, e(0.67), t3, nil) {
			t.Errorf("ellipsis %q: wrong verdicts", ell)
		}
	}
	bullets := []string{"●", "•", "*", "-"}
	b := func(r float64) any {
		return build(t, "bullet_count_filter", func(p *BulletCountParams) { p.MaxBulletStartRatio = r })
	}
	for _, b1 := range bullets {
		for _, b2 := range bullets {
			t1 := b1 + " This text has two lines\n" + b2 + " that start with a bullet\n and one line that doesn't."
			t2 := "This text has two lines" + b2 + " that start with a bullet" + b1 + "\n and one line that doesn't."
			t3 := strings.Repeat(b1, 5) + "This text has two lines\n" + b2 + " that start with a bullet\n and one line that doesn't."
			if kept(t, b(0.66), t1, nil) || !kept(t, b(0.67), t1, nil) || !kept(t, b(0.01), t2, nil) ||
				kept(t, b(0.66), t3, nil) || !kept(t, b(0.67), t3, nil) {
				t.Errorf("bullets %q %q: wrong verdicts", b1, b2)
			}
		}
	}
	sw := func(unique bool, min int) any {
		return build(t, "stop_word_filter", func(p *StopWordParams) { p.CountUnique, p.MinStopWord = unique, min })
	}
	if !kept(t, sw(false, 3), "The best of the best", nil) || kept(t, sw(true, 3), "The best of the best", nil) ||
		!kept(t, sw(false, 8), "the be to of and that have with", nil) || !kept(t, sw(true, 8), "the be to of and that have with", nil) ||
		kept(t, sw(false, 2), "Then Tom and Sally withheld bees", nil) || kept(t, sw(true, 2), "Then Tom and Sally withheld bees", nil) {
		t.Error("stop_word_filter: wrong verdicts")
	}
	wl := func(min, max float64) any {
		return build(t, "word_length_filter", func(p *WordLengthParams) { p.MinLength, p.MaxLength = min, max })
	}
	if !kept(t, wl(4, 5), "The average word length is 4.33", nil) || kept(t, wl(3, 10), "The cat in the hat", nil) ||
		!kept(t, wl(0, 10), "The cat in the hat", nil) || kept(t, wl(3, 10), "Loquaciousness verylongwords", nil) ||
		!kept(t, wl(3, -1), "Loquaciousness verylongwords", nil) || kept(t, wl(3, 10), "  ", nil) {
		t.Error("word_length_filter: wrong verdicts")
	}
	sr := func(r float64) any {
		return build(t, "symbol_ratio_filter", func(p *SymbolRatioParams) { p.MaxSymbolToWordRatio = r })
	}
	if !kept(t, sr(0), "No symbols here.", nil) || !kept(t, sr(1), "#hashtags #on #every #word", nil) ||
		kept(t, sr(0.1), "#hashtags #on #every #word", nil) || kept(t, sr(0.3), "#hashtags and ellipses both count...", nil) ||
		kept(t, sr(0.3), "#hashtags and ellipses both count\u2026", nil) || kept(t, sr(0.25), "#hashtags and ellipses both count. . .", nil) ||
		kept(t, sr(0.1), "   ", nil) {
		t.Error("symbol_ratio_filter: wrong verdicts")
	}
	ar := func(r float64) any {
		return build(t, "alphabetic_word_ratio_filter", func(p *AlphabeticWordRatioParams) { p.MaxRatio = r })
	}
	for _, s := range []string{"This sentence contains <1,000 non-alphabetic w0rd5 within it but >1.",
		"This sentence contains <1,000     non-alphabetic \nw0rd5 within it but >1."} {
		if !kept(t, ar(0.2), s, nil) || kept(t, ar(0.1), s, nil) {
			t.Errorf("alphabetic_word_ratio_filter %q: wrong verdicts", s)
		}
	}
	if kept(t, ar(0.2), "", nil) {
		t.Error("alphabetic_word_ratio_filter keeps an empty page")
	}
}

func TestDCLMWordRemovalRatio(t *testing.T) {
	f := func(max float64, punct bool, newKey string) any {
		return build(t, "word_removal_ratio_filter", func(p *WordRemovalRatioParams) {
			p.PrevWordCountKey, p.MaxRemovedRatio, p.IgnorePunctuation, p.NewWordCountKey = "prev_word_count", max, punct, newKey
		})
	}
	prev := func(n int) map[string]any { return map[string]any{"prev_word_count": n} }
	messy := " Line 1\nLine 2!!!\t    \n\n\nLine  ????    3\t"
	for i, c := range []struct {
		s    any
		text string
		sig  map[string]any
		keep bool
	}{
		{f(0.05, true, ""), "word 1\nword 2\nword 3", prev(6), true},
		{f(0.05, true, ""), "word 1\nword 2", prev(6), false},
		{f(0.34, true, ""), "word 1\nword 2", prev(6), true},
		{f(0.05, true, ""), strings.Repeat("word\n", 95), prev(100), true},
		{f(0.05, true, ""), strings.Repeat("word\n", 94), prev(100), false},
		{f(0.05, true, ""), "", prev(0), false},
		{f(0.05, true, ""), "", prev(100), false},
		{f(0.5, true, ""), messy, prev(12), true},
		{f(0.5, true, ""), messy, prev(13), false},
		{f(0.5, false, ""), messy, prev(13), true},
		{f(0.05, true, "new_word_count"), "Line 1\nLine 2\nLine 3", map[string]any{"prev_word_count": 6, "new_word_count": 6}, true},
		{f(0.05, true, "new_word_count"), "Line 1\nLine 2\nLine 3", map[string]any{"prev_word_count": 99, "new_word_count": 6}, false},
		{f(0.05, true, "new_word_count"), "Line 1\nLine 2\nLine 3", map[string]any{"prev_word_count": 99, "new_word_count": 99}, true},
	} {
		if got := kept(t, c.s, c.text, c.sig); got != c.keep {
			t.Errorf("case %d (%q): kept %v, want %v", i+1, c.text, got, c.keep)
		}
	}
}

func newScratch() *scratch {
	return &scratch{}
}
