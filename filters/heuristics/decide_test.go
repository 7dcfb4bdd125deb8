package heuristics_test

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/heuristics"
)

// decideDocs returns the texts of the DCLM golden documents and of the
// example dolma documents.
func decideDocs(t testing.TB) []*filters.Doc {
	var docs []*filters.Doc
	for _, p := range []string{"../../testdata/dclm_golden/web_docs_golden.jsonl", "../../testdata/dclm_golden/edge_cases_golden.jsonl"} {
		for _, g := range readGolden(t, p) {
			docs = append(docs, &filters.Doc{ID: g.ID, Text: g.Text})
		}
	}
	f, err := os.Open("../../testdata/example/dolma_cc_en_head-0091.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var d struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &filters.Doc{ID: d.ID, Text: d.Text})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(docs) < 250 {
		t.Fatalf("only %d documents", len(docs))
	}
	return docs
}

// extraSteps are builds with other measurement parameters than the
// recipe's, checked where the recipe checks page_length_filter.
func extraSteps(t *testing.T) []filters.RecipeStep {
	var out []filters.RecipeStep
	add := func(use string, p any) {
		id := fmt.Sprintf("extra%d", len(out))
		e, _ := filters.Lookup(use)
		s, err := e.Build(p, filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filters.RecipeStep{ID: id, Use: use, Params: p, Step: s})
	}
	for _, lt := range []string{"char", "line", "paragraph"} {
		add("page_length_filter", heuristics.PageLengthParams{LengthType: lt, MinLength: 20, MaxLength: 400, Model: heuristics.ModelFastText})
	}
	for _, m := range []string{heuristics.ModelUniseg, heuristics.ModelSplit} {
		add("page_length_filter", heuristics.PageLengthParams{LengthType: "word", MinLength: 50, MaxLength: 1000, Model: m, IgnorePunctuation: true})
	}
	rp := heuristics.DefaultRepetitionParams()
	rp.SkipParagraph = true
	add("massive_web_repetition_filters", rp)
	add("stop_word_filter", heuristics.StopWordParams{CountUnique: true, MinStopWord: 3, StopWords: []string{"the", "be", "to", "of", "and", "that", "have", "with"}})
	return out
}

// TestDecidersMatchFilters checks every filter of the DCLM heuristics
// recipe (and other measurement parameters) on real documents at the point
// of the recipe where it runs: Filter is Decide(Measure), and Decide with
// other decision parameters is the Filter of a step built with them.
func TestDecidersMatchFilters(t *testing.T) {
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		t.Fatal(err)
	}
	extra := extraSteps(t)
	docs := decideDocs(t)
	if testing.Short() || raceEnabled {
		// Every fourth document: still every kind of decision.
		var sample []*filters.Doc
		for i := 0; i < len(docs); i += 4 {
			sample = append(sample, docs[i])
		}
		docs = sample
	}
	type variant struct {
		step any
		use  string
	}
	variants := map[string][]variant{} // by step id
	checked := map[string]int{}
	changed := map[string]int{} // variant decisions that differ from the recipe's
	violated := gaugeTally{}    // removals with a gauge value past a threshold
	for _, s := range append(append([]filters.RecipeStep{}, r.Steps...), extra...) {
		if _, ok := s.Step.(filters.Decider); !ok {
			continue
		}
		e, _ := filters.Lookup(s.Use)
		for _, p := range filters.VaryDecision(s.Params) {
			st, err := e.Build(p, filters.Env{Dir: filepath.Dir(recipePath)})
			if err != nil {
				continue
			}
			variants[s.ID] = append(variants[s.ID], variant{st, s.Use})
		}
		if len(variants[s.ID]) == 0 && s.ID == s.Use {
			t.Errorf("step %s: no variant of its decision parameters", s.ID)
		}
	}
	check := func(s filters.RecipeStep, d *filters.Doc) {
		dc, ok := s.Step.(filters.Decider)
		if !ok {
			return
		}
		checked[s.Use]++
		_, _ = dc.Filter(d) // fills d's memo for the clones the checks make
		if err := filters.CheckDecision(s.Step, d); err != nil {
			t.Errorf("step %s: %v", s.ID, err)
		}
		if err := filters.CheckGauges(s.Step, d); err != nil {
			t.Errorf("step %s: %v", s.ID, err)
		}
		if err := checkRemovalGauge(s.Use, s.Step, d, violated); err != nil {
			t.Errorf("step %s: %v", s.ID, err)
		}
		base, _ := dc.Filter(d.Clone())
		for _, v := range variants[s.ID] {
			if err := filters.CheckDecisionWith(s.Step, v.step, d); err != nil {
				t.Errorf("step %s, a variant: %v", s.ID, err)
			}
			if err := filters.CheckGauges(v.step, d); err != nil {
				t.Errorf("step %s, a variant: %v", s.ID, err)
			}
			if err := checkRemovalGauge(s.Use, v.step, d, violated); err != nil {
				t.Errorf("step %s, a variant: %v", s.ID, err)
			}
			if r, _ := v.step.(filters.Filter).Filter(d.Clone()); r != base {
				changed[s.Use]++
			}
		}
	}
	for _, d := range docs {
		d = d.Clone()
		for _, s := range r.Steps {
			check(s, d)
			if s.Use == "page_length_filter" {
				for _, x := range extra {
					check(x, d)
				}
			}
			if _, ok := s.Step.(filters.Decider); ok {
				continue
			}
			// Modifiers and annotators go on whatever they make of d.
			switch st := s.Step.(type) {
			case filters.Modifier:
				_, _ = st.Modify(d)
			case filters.Annotator:
				if err := st.Annotate(d); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, use := range []string{"page_length_filter", "word_length_filter", "symbol_ratio_filter", "bullet_count_filter",
		"ellipsis_count_filter", "alphabetic_word_ratio_filter", "stop_word_filter", "massive_web_repetition_filters", "word_removal_ratio_filter"} {
		if checked[use] < len(docs) || changed[use] == 0 || violated[use] == 0 {
			t.Errorf("%s: checked on %d documents, %d variant decisions differ from the recipe's, %d removals past a gauge's threshold",
				use, checked[use], changed[use], violated[use])
		}
	}
	t.Logf("checked %v; variant decisions that differ: %v; removals past a gauge threshold: %v", checked, changed, violated)
}

// FuzzDeciders checks Filter against Decide(Measure), and the gauges, for
// every filter of the DCLM heuristics recipe on any text.
func FuzzDeciders(f *testing.F) {
	for _, s := range []string{"", "a", "a b a b a b ab cd ab cd", "x\n\ny\n\nx\n\ny", "* a\n- b\n...\n…", "the and of to be"} {
		f.Add(s)
	}
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := &filters.Doc{ID: "fuzz", Text: s, Signals: map[string]any{"previous_word_count": len(s) / 3}}
		for _, st := range r.Steps {
			if _, ok := st.Step.(filters.Decider); ok {
				if err := filters.CheckDecision(st.Step, d); err != nil {
					t.Fatalf("%s: %v", st.ID, err)
				}
				if err := filters.CheckGauges(st.Step, d); err != nil {
					t.Fatalf("%s: %v", st.ID, err)
				}
				if err := checkRemovalGauge(st.Use, st.Step, d, gaugeTally{}); err != nil {
					t.Fatalf("%s: %v", st.ID, err)
				}
			}
		}
	})
}
