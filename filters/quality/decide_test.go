package quality_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/quality"
)

// decideDocs returns the fixture's real sentences, one per document and
// three per document.
func decideDocs(t *testing.T) []*filters.Doc {
	inputs, err := os.ReadFile("../../testdata/quality/models/data/inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(inputs), "\n"), "\n")
	var docs []*filters.Doc
	for i, l := range lines {
		docs = append(docs, &filters.Doc{ID: fmt.Sprint(i), Text: l})
		if i+3 <= len(lines) && i%3 == 0 {
			docs = append(docs, &filters.Doc{ID: fmt.Sprintf("%d+3", i), Text: strings.Join(lines[i:i+3], "\n")})
		}
	}
	return append(docs, &filters.Doc{ID: "empty"})
}

// TestDeciderMatchesFilter checks fasttext_quality's Decider: Filter is
// Decide(Measure), Decide with other thresholds is the Filter of a step
// built with them, and the keep_top form records the same score.
func TestDeciderMatchesFilter(t *testing.T) {
	docs := decideDocs(t)
	e, _ := filters.Lookup("fasttext_quality")
	changed, removed := 0, 0
	for _, join := range []bool{true, false} {
		p := quality.StepParams{Model: smsModel, PositiveLabel: "__label__ham", Key: "hq", Threshold: 0.5, JoinLines: join}
		base, err := e.Build(p, filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		var variants []any
		for _, q := range filters.VaryDecision(p) {
			if v, err := e.Build(q, filters.Env{}); err == nil {
				variants = append(variants, v)
			}
		}
		q := p
		q.Threshold, q.KeepTop, q.Key = 0, 0.25, "other"
		rk, err := e.Build(q, filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := rk.(filters.Ranker); !ok {
			t.Fatalf("keep_top built %T", rk)
		}
		variants = append(variants, rk)
		for _, d := range docs {
			if err := filters.CheckDecision(base, d); err != nil {
				t.Error(err)
			}
			if err := filters.CheckGauges(base, d); err != nil {
				t.Error(err)
			}
			reason, _ := base.(filters.Filter).Filter(d.Clone())
			if reason != "" {
				removed += checkRemovedScore(t, base, d)
			}
			for _, v := range variants {
				if err := filters.CheckDecisionWith(base, v, d); err != nil {
					t.Errorf("join_lines %v: %v", join, err)
				}
				if err := filters.CheckGauges(v, d); err != nil {
					t.Errorf("join_lines %v: %v", join, err)
				}
				if r, _ := v.(filters.Filter).Filter(d.Clone()); r != reason {
					changed++
				}
			}
		}
	}
	if changed == 0 || removed == 0 {
		t.Errorf("%d variant decisions differ, %d removals: a weak test", changed, removed)
	}
}

// topThreshold is the score that keeps the top fraction of scores.
func topThreshold(scores []float64, frac float64) float64 {
	if len(scores) == 0 {
		return math.Inf(1)
	}
	s := slices.Clone(scores)
	sort.Sort(sort.Reverse(sort.Float64Slice(s)))
	return s[max(1, int(math.Ceil(frac*float64(len(s)))))-1]
}

type sink struct {
	emit  func(d *filters.Doc, o filters.Outcome)
	stage func(node int, d *filters.Doc, score float64)
}

func (s sink) Emit(_ int, d *filters.Doc, o filters.Outcome) error { s.emit(d, o); return nil }
func (s sink) Stage(node int, d *filters.Doc, score float64, _ []byte) error {
	s.stage(node, d, score)
	return nil
}

func show(d *filters.Doc, o filters.Outcome) string {
	if !o.Kept {
		return fmt.Sprintf("removed by %s: %s", o.StepID, o.Reason)
	}
	sig, _ := json.Marshal(d.Signals)
	return fmt.Sprintf("kept %q %s", d.Text, sig)
}

func recipe(t *testing.T, with string) *filters.Recipe {
	t.Helper()
	abs, err := filepath.Abs(smsModel)
	if err != nil {
		t.Fatal(err)
	}
	r, err := filters.ParseRecipe("q.yaml", []byte(fmt.Sprintf("name: q\nsteps:\n  - use: fasttext_quality\n    id: q\n    with: {model: %s, positive_label: __label__ham, %s}\n", abs, with)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSelectKeepTop annotates a run with a threshold and selects the
// run's best quarter by score from it: the outcomes and counters of a run
// with keep_top, threshold fixed from every score, then Resume.
func TestSelectKeepTop(t *testing.T) {
	docs := decideDocs(t)
	source, target := recipe(t, "threshold: 0.5"), recipe(t, "keep_top: 0.25, key: top_score")

	// The fresh keep_top run.
	tree, err := filters.NewTree([]*filters.Recipe{target})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, len(docs))
	wantSt := tree.NewStats()
	var staged []int
	var stagedDocs []*filters.Doc
	var scores []float64
	cur := 0
	sk := sink{emit: func(d *filters.Doc, o filters.Outcome) { want[cur] = show(d, o) },
		stage: func(_ int, d *filters.Doc, score float64) {
			staged, stagedDocs, scores = append(staged, cur), append(stagedDocs, d), append(scores, score)
		}}
	for i, d := range docs {
		cur = i
		if err := tree.Process(d.Clone(), wantSt, sk); err != nil {
			t.Fatal(err)
		}
	}
	thr := topThreshold(scores, 0.25)
	for k, i := range staged {
		cur = i
		if err := tree.Resume(tree.Rankers()[0], stagedDocs[k], scores[k], thr, wantSt, sk); err != nil {
			t.Fatal(err)
		}
	}

	// The annotated run, then the selection.
	at, err := filters.NewTree([]*filters.Recipe{source})
	if err != nil {
		t.Fatal(err)
	}
	at.SetAnnotate(true)
	read := make([]*filters.Doc, len(docs))
	anns := make([][]filters.Annotation, len(docs))
	for i, d := range docs {
		err := at.Process(d.Clone(), at.NewStats(), filters.EmitFunc(func(ri int, d *filters.Doc, o filters.Outcome) error {
			a, err := at.Annotations(ri, d)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(a)
			if anns[i], err = filters.ParseAnnotations(b); err != nil {
				return err
			}
			read[i] = &filters.Doc{ID: d.ID, Text: d.Text, Signals: map[string]any{}}
			for k, v := range d.Signals {
				read[i].Signals[k] = v
			}
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	sel, err := filters.PlanSelection(source, target)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(sel.Rankers(), sel.KeepTop(0)); got != "[0] 0.25" {
		t.Fatalf("rankers %s", got)
	}
	st := sel.NewStats()
	var selScores []float64
	var selStaged []int
	for i, d := range read {
		dec, err := sel.Apply(d, anns[i], nil, st)
		if err != nil {
			t.Fatal(err)
		}
		if !dec.Staged || dec.StepID != "q" {
			t.Fatalf("document %d: %+v, want it staged at q", i, dec)
		}
		selScores, selStaged = append(selScores, dec.Score), append(selStaged, i)
	}
	if st.Nodes[0].In != 0 {
		t.Errorf("staged documents counted: %+v", st.Nodes[0])
	}
	selThr := topThreshold(selScores, 0.25)
	if selThr != thr {
		t.Fatalf("threshold %v from the annotations, %v from the run", selThr, thr)
	}
	got := make([]string, len(docs))
	kept := 0
	for _, i := range selStaged {
		dec, err := sel.Apply(read[i], anns[i], map[string]float64{"q": selThr}, st)
		if err != nil || dec.Staged {
			t.Fatal(dec, err)
		}
		got[i] = show(read[i], dec.Outcome)
		if dec.Outcome.Kept {
			kept++
		}
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("document %d: selected %s, keep_top run %s", i, got[i], want[i])
		}
	}
	w, g := wantSt.Nodes[0], st.Nodes[0]
	w.Nanos, g.Nanos = 0, 0
	if fmt.Sprint(w) != fmt.Sprint(g) {
		t.Errorf("stats %+v, keep_top run %+v", g, w)
	}
	if kept == 0 || kept == len(docs) {
		t.Errorf("kept %d of %d", kept, len(docs))
	}
}
