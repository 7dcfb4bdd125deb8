package filters

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
)

var selectTexts = []string{"", "a", "ab", "abc", "abcd", "héllo", "a b c d e", "aaaa", "eeeeeee", "x y z",
	"the cat", "a longer text here", "áéíóú", "ee", "bbbbbbbbbbbbbb", "a\nb\nc", "AEAEAE", "zzz", "hello world"}

// runFresh runs r over texts in a tree: outcomes (with the kept document's
// text and signals, as JSON) and stats, keep_top steps resolved with
// topThreshold.
func runFresh(t *testing.T, r *Recipe, texts []string) ([]string, *TreeStats) {
	t.Helper()
	tree, err := NewTree([]*Recipe{r})
	if err != nil {
		t.Fatal(err)
	}
	st := tree.NewStats()
	out := make([]string, len(texts))
	type stagedDoc struct {
		i     int
		d     *Doc
		score float64
	}
	var staged []stagedDoc
	var cur int
	sk := &funcSink{
		emit: func(_ int, d *Doc, o Outcome) error {
			out[cur] = outcomeString(d, o)
			return nil
		},
		stage: func(node int, d *Doc, score float64) error {
			staged = append(staged, stagedDoc{cur, d, score})
			return nil
		},
	}
	for i, s := range texts {
		cur = i
		if err := tree.Process(&Doc{ID: fmt.Sprint(i), Text: s}, st, sk); err != nil {
			t.Fatal(err)
		}
	}
	for _, node := range tree.Rankers() {
		var scores []float64
		for _, s := range staged {
			scores = append(scores, s.score)
		}
		thr := topThreshold(scores, tree.KeepTop(node))
		batch := staged
		staged = nil
		for _, s := range batch {
			cur = s.i
			if err := tree.Resume(node, s.d, s.score, thr, st, sk); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out, st
}

// topThreshold is the score that keeps the top fraction of scores.
func topThreshold(scores []float64, frac float64) float64 {
	if len(scores) == 0 {
		return math.Inf(1)
	}
	s := slices.Clone(scores)
	sort.Sort(sort.Reverse(sort.Float64Slice(s)))
	k := max(1, int(math.Ceil(frac*float64(len(s)))))
	return s[k-1]
}

type funcSink struct {
	emit  func(int, *Doc, Outcome) error
	stage func(int, *Doc, float64) error
}

func (f *funcSink) Emit(ri int, d *Doc, o Outcome) error { return f.emit(ri, d, o) }
func (f *funcSink) Stage(node int, d *Doc, score float64, _ []byte) error {
	return f.stage(node, d, score)
}

func outcomeString(d *Doc, o Outcome) string {
	if !o.Kept {
		return fmt.Sprintf("removed by %s: %s", o.StepID, o.Reason)
	}
	sig, _ := json.Marshal(d.Signals)
	return fmt.Sprintf("kept %q %s", d.Text, sig)
}

// annotateRun runs r in annotate mode over texts and returns each
// document as written (signals through JSON) with its parsed annotations.
func annotateRun(t *testing.T, r *Recipe, texts []string) ([]*Doc, [][]Annotation, *TreeStats) {
	t.Helper()
	tree, err := NewTree([]*Recipe{r})
	if err != nil {
		t.Fatal(err)
	}
	tree.SetAnnotate(true)
	st := tree.NewStats()
	docs := make([]*Doc, len(texts))
	anns := make([][]Annotation, len(texts))
	for i, s := range texts {
		err := tree.Process(&Doc{ID: fmt.Sprint(i), Text: s}, st, EmitFunc(func(ri int, d *Doc, o Outcome) error {
			if !o.Kept {
				t.Errorf("annotate mode: document %d: outcome %+v", i, o)
			}
			a, err := tree.Annotations(ri, d)
			if err != nil {
				return err
			}
			b, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if anns[i], err = ParseAnnotations(b); err != nil {
				return err
			}
			sig, _ := json.Marshal(d.Signals)
			back := &Doc{ID: d.ID, Text: d.Text}
			if err := json.Unmarshal(sig, &back.Signals); err != nil {
				return err
			}
			docs[i] = back
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs, anns, st
}

// selectRun applies sel to the annotated documents, keep_top steps resolved
// as runFresh does.
func selectRun(t *testing.T, sel *Selection, docs []*Doc, anns [][]Annotation) ([]string, *TreeStats) {
	t.Helper()
	st := sel.NewStats()
	out := make([]string, len(docs))
	thr := map[string]float64{}
	pending := make([]int, len(docs))
	for i := range docs {
		pending[i] = i
	}
	for len(pending) > 0 {
		var staged []int
		var scores []float64
		stepID := ""
		for _, i := range pending {
			dec, err := sel.Apply(docs[i], anns[i], thr, st)
			if err != nil {
				t.Fatal(err)
			}
			if dec.Staged {
				staged = append(staged, i)
				scores = append(scores, dec.Score)
				stepID = dec.StepID
				continue
			}
			out[i] = outcomeString(docs[i], dec.Outcome)
		}
		if len(staged) > 0 {
			thr[stepID] = topThreshold(scores, sel.KeepTop(slices.Index(sel.Target().StepIDs(), stepID)))
		}
		pending = staged
	}
	return out, st
}

func sameStats(a, b *TreeStats) bool {
	if len(a.Nodes) != len(b.Nodes) {
		return false
	}
	for i := range a.Nodes {
		x, y := a.Nodes[i], b.Nodes[i]
		x.Nanos, y.Nanos = 0, 0
		if fmt.Sprint(x) != fmt.Sprint(y) {
			return false
		}
	}
	return true
}

const selectSource = `
name: src
steps:
  - use: test_min_len_d
    with: {min: 2}
  - use: test_score_d
    id: vowels
    with: {vowels: true, threshold: 1}
  - use: test_upper
  - use: test_min_len
    with: {min: 3}
  - use: test_count
    with: {key: len}
  - use: test_min_len_d
    id: runes
    with: {min: 5, runes: true, key: runes_ok}
  - use: test_score_d
    id: length
    with: {threshold: 4}
`

func TestSelectionMatchesFreshRun(t *testing.T) {
	src := mustRecipe(t, selectSource)
	docs, anns, _ := annotateRun(t, src, selectTexts)
	targets := map[string]string{
		"same": selectSource,
		"thresholds": strings.NewReplacer("{min: 2}", "{min: 4, key: long}", "threshold: 1}", "threshold: 3}",
			"{min: 5, runes: true, key: runes_ok}", "{min: 7, runes: true, key: runes_ok}", "{threshold: 4}", "{threshold: 9}").Replace(selectSource),
		"reordered": `
name: reordered
steps:
  - use: test_score_d
    id: vowels
    with: {vowels: true, threshold: 2}
  - use: test_min_len_d
    with: {min: 3}
  - use: test_upper
  - use: test_min_len
    with: {min: 3}
  - use: test_count
    with: {key: len}
  - use: test_score_d
    id: length
    with: {threshold: 6}
  - use: test_min_len_d
    id: runes
    with: {min: 5, runes: true, key: runes_ok}
`,
		"dropped": `
name: dropped
steps:
  - use: test_upper
  - use: test_count
    with: {key: len}
  - use: test_score_d
    id: length
    with: {threshold: 8}
`,
		"keep_top": `
name: top
steps:
  - use: test_min_len_d
    with: {min: 2}
  - use: test_score_d
    id: vowels
    with: {vowels: true, keep_top: 0.5}
  - use: test_upper
  - use: test_count
    with: {key: len}
  - use: test_score_d
    id: length
    with: {keep_top: 0.5}
`,
	}
	srcOut, _ := runFresh(t, src, selectTexts)
	for name, y := range targets {
		tgt := mustRecipe(t, y)
		sel, err := PlanSelection(src, tgt)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, wantSt := runFresh(t, tgt, selectTexts)
		copies := make([]*Doc, len(docs))
		for i, d := range docs {
			copies[i] = d.Clone()
		}
		got, gotSt := selectRun(t, sel, copies, anns)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: document %d (%q): selected %s, fresh run %s", name, i, selectTexts[i], got[i], want[i])
			}
		}
		if !sameStats(gotSt, wantSt) {
			t.Errorf("%s: stats\n%+v\nfresh run\n%+v", name, gotSt.Nodes, wantSt.Nodes)
		}
		if name != "same" && slices.Equal(want, srcOut) {
			t.Errorf("%s: the target decides as the source: a weak test", name)
		}
	}
}

func TestSelectionRefusals(t *testing.T) {
	src := mustRecipe(t, selectSource)
	cases := map[string][]string{
		// A changed modifier, a changed measurement parameter, a step the
		// source lacks.
		strings.Replace(selectSource, "use: test_upper", "use: test_upper\n    with: {tags: [b]}", 1): {
			"modifier test_upper changed: tags: [\"a\"] vs [\"b\"]"},
		strings.Replace(selectSource, "{min: 5, runes: true, key: runes_ok}", "{min: 5, key: runes_ok}", 1): {
			"step runes (test_min_len_d): measurement parameter runes differs: true vs false"},
		selectSource + "  - use: test_fail\n": {"step test_fail: not in the source recipe"},
		// A filter that records no measurements: any parameter.
		strings.Replace(selectSource, "{min: 3}", "{min: 4}", 1): {
			"step test_min_len: parameter (the step records no measurements, so any change needs it run again) min differs: 3 vs 4"},
		// A filter moved across a modifier.
		`
name: moved
steps:
  - use: test_upper
  - use: test_min_len_d
    with: {min: 2}
  - use: test_count
    with: {key: len}
`: {"step test_min_len_d: measured after 1 modifiers and annotators in the target but after 0 in the source"},
		// Modifiers and annotators in another order; one missing.
		`
name: swapped
steps:
  - use: test_count
    with: {key: len}
  - use: test_upper
`: {"annotator test_count moved: it is modifier or annotator 2 of the source and 1 of the target"},
		"name: less\nsteps: [{use: test_upper}]": {"annotator test_count of the source recipe is missing from the target"},
		// A keep_top step without measurements.
		selectSource + "  - use: test_rank\n": {"step test_rank: a keep_top step that cannot decide from measurements"},
	}
	for y, wants := range cases {
		tgt := mustRecipe(t, y)
		_, err := PlanSelection(src, tgt)
		var se *SelectionError
		if err == nil || !errorsAs(err, &se) {
			t.Errorf("%s: error %v, want a SelectionError", y, err)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error\n%v\ndoes not say %q", err, w)
			}
		}
	}
}

func errorsAs(err error, se **SelectionError) bool {
	e, ok := err.(*SelectionError)
	*se = e
	return ok
}

func TestApplyChecksAnnotations(t *testing.T) {
	src := mustRecipe(t, selectSource)
	sel, err := PlanSelection(src, src)
	if err != nil {
		t.Fatal(err)
	}
	docs, anns, _ := annotateRun(t, src, []string{"hello"})
	if _, err := sel.Apply(docs[0], anns[0][1:], nil, nil); err == nil || !strings.Contains(err.Error(), "6 annotations for recipe src of 7 steps") {
		t.Errorf("short annotations: %v", err)
	}
	bad := slices.Clone(anns[0])
	bad[0].M = Measurements{"n": "many"}
	if _, err := sel.Apply(docs[0], bad, nil, nil); err == nil || !strings.Contains(err.Error(), `measurement "n"`) {
		t.Errorf("bad measurement: %v", err)
	}
	bad[0].M, bad[0].Step = anns[0][0].M, "other"
	if _, err := sel.Apply(docs[0], bad, nil, nil); err == nil || !strings.Contains(err.Error(), "annotation 1 is of step other") {
		t.Errorf("wrong step: %v", err)
	}
}
