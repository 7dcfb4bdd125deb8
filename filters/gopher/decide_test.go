package gopher

import (
	"fmt"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
	"github.com/curator-dev/curator/internal/golden"
)

func isPySpace(r rune) bool { return text.IsSpace(r) }

// realDocs reads the real pages of testdata/dclm_golden.
func realDocs(t testing.TB) []*filters.Doc {
	t.Helper()
	var docs []*filters.Doc
	for _, p := range golden.Pages(t) {
		d := &filters.Doc{ID: p.ID, Text: p.Text}
		words(d) // memoized: the clones the checks make share the words
		docs = append(docs, d)
	}
	return docs
}

// edgeDocs are synthetic edge cases: empty, no words, symbols only,
// non-ASCII scripts, control characters, invalid UTF-8.
var edgeDocs = []string{"", " ", "\n\n\n", "...", "# # #", "•\n•\n•", "---\n---", "\x00\x01", "\xff\xfe abc",
	"Привет, как дела? Это тест.", "这是一个测试。这是一个测试。", "🙂🙂🙂 🙂", "e\u0301te\u0301", "a\r\nb\rc\u2028d\u0085e"}

func TestDecisionContract(t *testing.T) {
	docs := realDocs(t)
	varied := 60
	if testing.Short() || raceEnabled {
		docs, varied = docs[:40], 10 // a sample: the race detector is slow
	}
	for _, s := range edgeDocs {
		docs = append(docs, &filters.Doc{ID: "edge", Text: s})
	}
	for _, name := range []string{"gopher_quality", "gopher_repetition"} {
		e, ok := filters.Lookup(name)
		if !ok {
			t.Fatalf("%s is not registered", name)
		}
		base, err := e.Build(e.Defaults(), filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		reasons := map[string]int{}
		for _, d := range docs {
			r, err := base.(filters.Filter).Filter(d.Clone())
			if err != nil {
				t.Fatal(err)
			}
			reasons[r]++
			if err := filters.CheckDecision(base, d); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := filters.CheckGauges(base, d); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		t.Logf("%s on %d documents: %v", name, len(docs), reasons)
		if reasons[""] == 0 || len(reasons) < 4 {
			t.Errorf("%s: reasons %v: want kept documents and several rules firing", name, reasons)
		}
		for _, p := range filters.VaryDecision(e.Defaults()) {
			s, err := e.Build(p, filters.Env{})
			if err != nil {
				continue // a value the step refuses
			}
			for _, d := range docs[:varied] {
				if err := filters.CheckDecisionWith(base, s, d); err != nil {
					t.Fatalf("%s with %+v: %v", name, p, err)
				}
				if err := filters.CheckGauges(s, d); err != nil {
					t.Fatalf("%s with %+v: %v", name, p, err)
				}
			}
		}
	}
}

func TestParams(t *testing.T) {
	for _, name := range []string{"gopher_quality", "gopher_repetition"} {
		e, _ := filters.Lookup(name)
		if e.Kind != filters.KindFilter || e.Doc == "" {
			t.Errorf("%s: kind %s, doc %q", name, e.Kind, e.Doc)
		}
		if len(e.Params()) == 0 {
			t.Errorf("%s has no parameters", name)
		}
	}
	if err := DefaultQualityParams().Validate(); err != nil {
		t.Error(err)
	}
	if err := DefaultRepetitionParams().Validate(); err != nil {
		t.Error(err)
	}
	bad := DefaultQualityParams()
	bad.MinDocWords = -1
	if bad.Validate() == nil {
		t.Error("negative min_doc_words accepted")
	}
	bad = DefaultQualityParams()
	bad.StopWords = nil
	if bad.Validate() == nil {
		t.Error("empty stop_words with min_stop_words accepted")
	}
	badR := DefaultRepetitionParams()
	badR.TopNGrams = append(badR.TopNGrams, NGramFrac{0, 0.1})
	if badR.Validate() == nil {
		t.Error("0-gram accepted")
	}
	// datatrove's defaults.
	q := DefaultQualityParams()
	if q.MinDocWords != 50 || q.MaxDocWords != 100000 || q.MinAvgWordLength != 3 || q.MaxAvgWordLength != 10 ||
		q.MaxSymbolWordRatio != 0.1 || q.MaxBulletLinesRatio != 0.9 || q.MaxEllipsisLinesRatio != 0.3 ||
		q.MaxNonAlphaWordsRatio != 0.8 || q.MinStopWords != 2 || len(q.StopWords) != 8 {
		t.Errorf("quality defaults %+v", q)
	}
	r := DefaultRepetitionParams()
	if r.DupLineFrac != 0.3 || r.DupParaFrac != 0.3 || r.DupLineCharFrac != 0.2 || r.DupParaCharFrac != 0.2 ||
		len(r.TopNGrams) != 3 || r.TopNGrams[2] != (NGramFrac{4, 0.16}) || len(r.DupNGrams) != 6 || r.DupNGrams[5] != (NGramFrac{10, 0.10}) {
		t.Errorf("repetition defaults %+v", r)
	}
}

// TestRecipeYAML builds both steps from a recipe with datatrove-style
// parameters.
func TestRecipeYAML(t *testing.T) {
	r, err := filters.ParseRecipe("gopher.yaml", []byte(`name: gopher
steps:
  - use: gopher_quality
    with: {min_doc_words: 10, stop_words: [the, and]}
  - use: gopher_repetition
    with:
      top_n_grams: [{n: 2, frac: 0.5}]
      dup_n_grams: []
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 2 {
		t.Fatalf("%d steps", len(r.Steps))
	}
}

// TestConcurrent runs one instance of each step from several goroutines,
// as workers share it (run with -race).
func TestConcurrent(t *testing.T) {
	docs := realDocs(t)[:20]
	for _, name := range []string{"gopher_quality", "gopher_repetition"} {
		e, _ := filters.Lookup(name)
		s, err := e.Build(e.Defaults(), filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		f := s.(filters.Filter)
		want := make([]string, len(docs))
		for i, d := range docs {
			want[i], _ = f.Filter(&filters.Doc{Text: d.Text})
		}
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				for i, d := range docs {
					if got, _ := f.Filter(&filters.Doc{Text: d.Text}); got != want[i] {
						errs <- fmt.Errorf("%s: document %d: %q, want %q", name, i, got, want[i])
						return
					}
				}
				errs <- nil
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
}
