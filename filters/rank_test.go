package filters

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

type rankParams struct {
	KeepTop float64 `yaml:"keep_top" doc:"fraction kept"`
}

// rankLen scores a document by its length ("nan" scores NaN).
type rankLen struct{ top float64 }

func (r rankLen) Score(d *Doc) (float64, string, error) {
	if d.Text == "nan" {
		return math.NaN(), "", nil
	}
	d.SetSignal("len_score", len(d.Text))
	return float64(len(d.Text)), "", nil
}

func (r rankLen) KeepTop() float64 { return r.top }

func init() {
	Register(Spec{Name: "test_rank", Kind: KindFilter, Doc: "test"}, rankParams{KeepTop: 0.5},
		func(p rankParams, _ Env) (any, error) { return rankLen{p.KeepTop}, nil })
}

type staged struct {
	node  int
	doc   *Doc
	score float64
}

// sink records what a tree emits and stages.
type sink struct {
	out    []string
	staged []staged
}

func (s *sink) Emit(ri int, d *Doc, o Outcome) error {
	s.out = append(s.out, fmt.Sprintf("%d:%s:%v:%s:%s", ri, d.Text, o.Kept, o.StepID, o.Reason))
	return nil
}

func (s *sink) Stage(node int, d *Doc, score float64, _ []byte) error {
	s.staged = append(s.staged, staged{node, d, score})
	return nil
}

func TestRankerTwoPhases(t *testing.T) {
	a := mustRecipe(t, "name: a\nsteps: [{use: test_min_len, with: {min: 2}}, {use: test_rank, id: top}, {use: test_upper}]")
	b := mustRecipe(t, "name: b\nsteps: [{use: test_min_len, with: {min: 2}}]")
	c := mustRecipe(t, "name: c\nsteps: [{use: test_min_len, with: {min: 2}}, {use: test_rank, id: top2}]")
	tree, err := NewTree([]*Recipe{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	rankers := tree.Rankers()
	if len(rankers) != 1 || tree.KeepTop(rankers[0]) != 0.5 || tree.RankDepth(rankers[0]) != 0 {
		t.Fatalf("rankers %v", rankers)
	}
	rn := rankers[0]
	st := tree.NewStats()
	s := &sink{}
	for _, txt := range []string{"x", "aaaa", "bb", "ccc", "nan", "ddddd"} {
		if err := tree.Process(&Doc{ID: txt, Text: txt}, st, s); err != nil {
			t.Fatal(err)
		}
	}
	// Phase one: b's outcomes, and a's and c's for the documents removed
	// before the ranker; four documents staged once each for a and c.
	want := "[0:x:false:test_min_len:short 1:x:false:test_min_len:short 2:x:false:test_min_len:short 1:aaaa:true:: 1:bb:true:: 1:ccc:true:: " +
		"0:nan:false:top:error 1:nan:true:: 2:nan:false:top2:error 1:ddddd:true::]"
	if got := fmt.Sprint(s.out); got != want {
		t.Errorf("phase one:\n got %s\nwant %s", got, want)
	}
	if len(s.staged) != 4 || s.staged[0].node != rn || s.staged[0].score != 4 {
		t.Fatalf("staged %+v", s.staged)
	}
	if ns := st.Nodes[rn]; ns.In != 5 || ns.Errors != 1 || ns.Kept != 0 {
		t.Errorf("ranker stats after phase one %+v", ns)
	}
	// Phase two, threshold 4: aaaa and ddddd stay.
	s2 := &sink{}
	for _, sd := range s.staged {
		if err := tree.Resume(sd.node, sd.doc, sd.score, 4, st, s2); err != nil {
			t.Fatal(err)
		}
	}
	want = "[0:AAAA:true:: 2:aaaa:true:: 0:bb:false:top:below_top_fraction 2:bb:false:top2:below_top_fraction " +
		"0:ccc:false:top:below_top_fraction 2:ccc:false:top2:below_top_fraction 0:DDDDD:true:: 2:ddddd:true::]"
	if got := fmt.Sprint(s2.out); got != want {
		t.Errorf("phase two:\n got %s\nwant %s", got, want)
	}
	ns := st.Nodes[rn]
	if ns.In != 5 || ns.Kept != 2 || ns.Removed[ReasonNotTop] != 2 || ns.Errors != 1 {
		t.Errorf("ranker stats %+v", ns)
	}
	if ns.In != ns.Kept+ns.RemovedTotal()+ns.Errors {
		t.Error("ranker node does not balance")
	}
}

func TestNestedRankers(t *testing.T) {
	r := mustRecipe(t, "name: n\nsteps: [{use: test_rank, id: r1}, {use: test_upper}, {use: test_rank, id: r2, with: {keep_top: 0.25}}]")
	tree, _ := NewTree([]*Recipe{r})
	rk := tree.Rankers()
	if len(rk) != 2 || tree.RankDepth(rk[0]) != 0 || tree.RankDepth(rk[1]) != 1 || tree.KeepTop(rk[1]) != 0.25 {
		t.Fatalf("rankers %v", rk)
	}
	st := tree.NewStats()
	s := &sink{}
	_ = tree.Process(&Doc{ID: "d", Text: "abc"}, st, s)
	if len(s.out) != 0 || len(s.staged) != 1 {
		t.Fatalf("out %v staged %v", s.out, s.staged)
	}
	s2 := &sink{}
	if err := tree.Resume(rk[0], s.staged[0].doc, 3, 3, st, s2); err != nil {
		t.Fatal(err)
	}
	if len(s2.out) != 0 || len(s2.staged) != 1 || s2.staged[0].node != rk[1] || s2.staged[0].doc.Text != "ABC" {
		t.Fatalf("resume one: out %v staged %+v", s2.out, s2.staged)
	}
	s3 := &sink{}
	if err := tree.Resume(rk[1], s2.staged[0].doc, 3, 2, st, s3); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(s3.out) != "[0:ABC:true::]" {
		t.Errorf("resume two: %v", s3.out)
	}
	if err := tree.Resume(1, &Doc{}, 0, 0, st, s3); err == nil || !strings.Contains(err.Error(), "not a keep_top step") {
		t.Errorf("resume at a plain node: %v", err)
	}
}

func TestRankerNeedsARun(t *testing.T) {
	r := mustRecipe(t, "name: n\nsteps: [{use: test_rank}]")
	var se *StageError
	if o := r.Run(&Doc{ID: "d", Text: "abc"}); !errors.As(o.Err, &se) {
		t.Errorf("Recipe.Run: %+v", o)
	}
	tree, _ := NewTree([]*Recipe{r})
	err := tree.Process(&Doc{ID: "d", Text: "abc"}, tree.NewStats(), EmitFunc(func(int, *Doc, Outcome) error { return nil }))
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "keep_top") {
		t.Errorf("Process with an EmitFunc: %v", err)
	}
	if !slices.Equal(tree.Rankers(), []int{0}) {
		t.Error(tree.Rankers())
	}
}
