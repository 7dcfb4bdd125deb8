package filters

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// runJudged runs texts through tree in canonical order, the dedup node
// judged once every document is staged, and returns the emitted outcomes.
func runJudged(t *testing.T, tree *Tree, texts []string, st *TreeStats, emit func(i int, d *Doc, o Outcome)) {
	t.Helper()
	type stagedDoc struct {
		i  int
		d  *Doc
		fp []byte
	}
	var staged []stagedDoc
	cur := 0
	sk := &funcSink{
		emit: func(_ int, d *Doc, o Outcome) error { emit(cur, d, o); return nil },
		stage: func(int, *Doc, float64) error {
			t.Fatal("staged without a fingerprint")
			return nil
		},
	}
	stager := &fpSink{funcSink: sk, stage: func(node int, d *Doc, fp []byte) {
		staged = append(staged, stagedDoc{cur, d, append([]byte(nil), fp...)})
	}}
	for i, s := range texts {
		cur = i
		if err := tree.Process(&Doc{ID: fmt.Sprint(i), Text: s}, st, stager); err != nil {
			t.Fatal(err)
		}
	}
	node := tree.Barriers()[0]
	j, _ := tree.Deduper(node).NewJudge()
	for _, s := range staged {
		v, _ := j.Judge(s.fp, nil)
		cur = s.i
		if err := tree.ResumeJudged(node, s.d, v, st, stager); err != nil {
			t.Fatal(err)
		}
	}
}

type fpSink struct {
	*funcSink
	stage func(int, *Doc, []byte)
}

func (f *fpSink) Stage(node int, d *Doc, _ float64, fp []byte) error {
	f.stage(node, d, fp)
	return nil
}

// TestSelectionThroughDedup: a dedup step with only annotators before it
// saw the documents an annotated run saw; its verdicts are taken over.
func TestSelectionThroughDedup(t *testing.T) {
	texts := append(slices.Clone(selectTexts), "abc", "ABC", "hello world", "a", "zzz")
	src := mustRecipe(t, `
name: src
steps:
  - use: test_count
    with: {key: len}
  - use: test_dedup
    with: {fold: true}
  - use: test_upper
  - use: test_min_len_d
    with: {min: 3}
`)
	tgt := mustRecipe(t, `
name: tgt
steps:
  - use: test_count
    with: {key: len}
  - use: test_dedup
    id: dedup
    with: {fold: true}
  - use: test_upper
  - use: test_min_len_d
    with: {min: 6}
`)
	at, _ := NewTree([]*Recipe{src})
	at.SetAnnotate(true)
	docs := make([]*Doc, len(texts))
	anns := make([][]Annotation, len(texts))
	runJudged(t, at, texts, at.NewStats(), func(i int, d *Doc, o Outcome) {
		if !o.Kept {
			t.Errorf("annotate mode removed %d: %+v", i, o)
		}
		a, err := at.Annotations(0, d)
		if err != nil {
			t.Fatal(err)
		}
		docs[i], anns[i] = d, a
	})
	if got := fmt.Sprintf("%s %v", anns[len(texts)-5][1].Reason, anns[len(texts)-5][2].Modified); got != "dup true" {
		t.Errorf("annotations of a second \"abc\": %+v", anns[len(texts)-5])
	}

	ft, _ := NewTree([]*Recipe{tgt})
	want := make([]string, len(texts))
	wantSt := ft.NewStats()
	runJudged(t, ft, texts, wantSt, func(i int, d *Doc, o Outcome) { want[i] = outcomeString(d, o) })

	sel, err := PlanSelection(src, tgt)
	if err != nil {
		t.Fatal(err)
	}
	st := sel.NewStats()
	for i := range texts {
		d := docs[i].Clone()
		dec, err := sel.Apply(d, anns[i], nil, st)
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomeString(d, dec.Outcome); got != want[i] {
			t.Errorf("document %d (%q): selected %s, fresh run %s", i, texts[i], got, want[i])
		}
	}
	if !sameStats(st, wantSt) {
		t.Errorf("stats\n%+v\nfresh run\n%+v", st.Nodes, wantSt.Nodes)
	}
	if wantSt.Nodes[1].Removed["dup"] == 0 {
		t.Error("no duplicate: a weak test")
	}
	// A dedup step of the filter kind may be dropped: it changes no text.
	drop := mustRecipe(t, "name: drop\nsteps: [{use: test_count, with: {key: len}}, {use: test_upper}, {use: test_min_len_d, with: {min: 6}}]")
	if sel, err = PlanSelection(src, drop); err != nil {
		t.Fatal(err)
	}
	want, wantSt = runFresh(t, drop, texts)
	st = sel.NewStats()
	for i := range texts {
		d := docs[i].Clone()
		dec, err := sel.Apply(d, anns[i], nil, st)
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomeString(d, dec.Outcome); got != want[i] {
			t.Errorf("dropped dedup: document %d (%q): selected %s, fresh run %s", i, texts[i], got, want[i])
		}
	}
	if !sameStats(st, wantSt) {
		t.Errorf("dropped dedup: stats\n%+v\nfresh run\n%+v", st.Nodes, wantSt.Nodes)
	}
	// With a filter before it, the dedup step is refused.
	bad := mustRecipe(t, "name: bad\nsteps: [{use: test_min_len_d}, {use: test_count, with: {key: len}}, {use: test_dedup, with: {fold: true}}, {use: test_upper}]")
	if _, err := PlanSelection(src, bad); err == nil || !strings.Contains(err.Error(), "dedup step test_dedup: its verdicts depend on the documents that reach it; filter test_min_len_d before it can remove documents") {
		t.Errorf("error %v", err)
	}
}
