package c4

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
	"github.com/curator-dev/curator/internal/golden"
)

// realTexts reads the real pages of testdata/dclm_golden.
func realTexts(t testing.TB) []string { return golden.Texts(t) }

// edgeDocs are synthetic edge cases: empty, only newlines, no words,
// non-ASCII scripts, control characters, invalid UTF-8.
var edgeDocs = []string{"", " ", "\n", "\n\n\n", "...", "{", "[1]", "[", "a.\n{.", "\x00\x01", "\xff\xfe abc.",
	"Привет, как дела? Это тест.", "这是一个测试。这是一个测试。", "🙂🙂🙂 🙂", "a\r\nb\rc\u2028d\u0085e", "[١٢] x y z."}

// checkKept checks the invariants of a text c4_quality kept (defaults):
// every line is a stripped line of the input (citations cut) that ends in
// terminal punctuation and passes the line rules.
func checkKept(t *testing.T, in, out string) {
	t.Helper()
	if out == "" {
		t.Errorf("%.60q kept with an empty text and min_num_sentences 5", in)
		return
	}
	var inLines = map[string]bool{}
	for _, l := range text.Splitlines(in) {
		inLines[removeCitations(text.Strip(l))] = true
	}
	for _, l := range strings.Split(out, "\n") {
		low := text.Lower(l)
		switch {
		case !inLines[l]:
			t.Errorf("kept line %.60q is not an input line", l)
		case !endsWithTerminal(l) || strings.HasSuffix(l, "..."):
			t.Errorf("kept line %.60q has no terminal punctuation", l)
		case strings.Contains(low, "javascript") || strings.Contains(l, "{") || containsAny(low, policySubstrings):
			t.Errorf("kept line %.60q breaks a line rule", l)
		}
	}
}

func TestRealDocs(t *testing.T) {
	q := buildQuality(t, nil)
	bw := buildBadWords(t, nil)
	reasons := map[string]int{}
	bad := 0
	for _, s := range realTexts(t) {
		d := &filters.Doc{ID: "real", Text: s}
		r, err := q.Modify(d)
		if err != nil {
			t.Fatal(err)
		}
		reasons[r]++
		if r == "" {
			checkKept(t, s, d.Text)
		} else if d.Text != s {
			t.Errorf("removed (%s) but its text changed", r)
		}
		if r, _ := bw.Filter(&filters.Doc{Text: s}); r != "" {
			bad++
		}
	}
	t.Logf("c4_quality reasons %v; c4_badwords removed %d", reasons, bad)
	if reasons[""] == 0 || reasons[ReasonTooFewSentences] == 0 {
		t.Errorf("reasons %v: want some kept and some with too few sentences", reasons)
	}
	if bad == 0 || bad > 100 {
		t.Errorf("c4_badwords removed %d of the real pages", bad)
	}
}

func TestEdgeCases(t *testing.T) {
	q := buildQuality(t, nil)
	off := buildQuality(t, func(p *QualityParams) { p.MinNumSentences = -1 })
	bw := buildBadWords(t, nil)
	for _, s := range edgeDocs {
		for _, m := range []filters.Modifier{q, off} {
			d := &filters.Doc{ID: "edge", Text: s}
			if _, err := m.Modify(d); err != nil {
				t.Errorf("%q: %v", s, err)
			}
		}
		if _, err := bw.Filter(&filters.Doc{Text: s}); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, r := modify(t, q, ""); r != ReasonTooFewSentences {
		t.Errorf("empty: %q", r)
	}
	if d, r := modify(t, off, "\n\n\n"); r != "" || d.Text != "" {
		t.Errorf("only newlines, no sentence minimum: %q, %q", r, d.Text)
	}
}

// TestConcurrent runs one instance of each step from several goroutines
// (go test -race checks it).
func TestConcurrent(t *testing.T) {
	q := buildQuality(t, nil)
	bw := buildBadWords(t, func(p *BadWordsParams) { p.KeepFraction = 0.5 })
	texts := realTexts(t)[:40]
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range texts {
				if _, err := q.Modify(&filters.Doc{Text: s}); err != nil {
					t.Error(err)
				}
				if _, err := bw.Filter(&filters.Doc{Text: s}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestRecipeYAML(t *testing.T) {
	r, err := filters.ParseRecipe("c4.yaml", []byte(`name: c4
steps:
  - use: c4_quality
    with: {min_num_sentences: 3, filter_policy: false}
  - use: c4_badwords
    with: {keep_fraction: 0.1, seed: 42}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 2 {
		t.Fatalf("%d steps", len(r.Steps))
	}
	if _, err := filters.ParseRecipe("x.yaml", []byte("name: x\nsteps:\n  - use: c4_quality\n    with: {language: fr}\n")); err == nil {
		t.Error("language fr parsed")
	}
}

// TestRealParagraphs runs c4_paragraph over the real pages: its decision
// from measurements and its gauge agree with Filter, for mC4's values and
// for others, and the rule both keeps and removes pages.
func TestRealParagraphs(t *testing.T) {
	base, err := filters.BuildStep[ParagraphParams]("c4_paragraph", nil, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := filters.BuildStep[ParagraphParams]("c4_paragraph", func(p *ParagraphParams) { p.MinParagraphs, p.MinParagraphLen = 5, 80 }, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	removed := 0
	texts := realTexts(t)
	for i, s := range texts {
		d := &filters.Doc{ID: fmt.Sprint(i), Text: s}
		for _, step := range []any{base, other} {
			if err := filters.CheckDecision(step, d); err != nil {
				t.Error(err)
			}
			if err := filters.CheckGauges(step, d); err != nil {
				t.Error(err)
			}
		}
		if err := filters.CheckDecisionWith(base, other, d); err != nil {
			t.Error(err)
		}
		if r, _ := base.(filters.Filter).Filter(d); r != "" {
			removed++
		}
	}
	if removed == 0 || removed == len(texts) {
		t.Errorf("c4_paragraph removed %d of %d real pages", removed, len(texts))
	}
	t.Logf("c4_paragraph removed %d of %d real pages", removed, len(texts))
}
