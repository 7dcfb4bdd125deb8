package filters

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Test steps, registered under names no real step uses.

type minLenParams struct {
	Min int `yaml:"min" doc:"minimum text length"`
}

type minLen struct{ min int }

func (m minLen) Filter(d *Doc) (string, error) {
	if len(d.Text) < m.min {
		return "short", nil
	}
	return "", nil
}

type upperParams struct {
	Tags []string `yaml:"tags" doc:"ignored"`
}

type upper struct{}

func (upper) Modify(d *Doc) (string, error) {
	d.SetText(strings.ToUpper(d.Text))
	if d.Text == "" {
		return "empty", nil
	}
	return "", nil
}

type countParams struct {
	Key string `yaml:"key" doc:"signal name"`
}

type count struct{ key string }

func (c count) Annotate(d *Doc) error {
	n := d.Memo("len", func(s string) any { return len(s) }).(int)
	d.SetSignal(c.key, n)
	return nil
}

type failParams struct {
	Panic bool `yaml:"panic" doc:"panic instead of failing"`
}

type fail struct{ panic bool }

func (f fail) Filter(d *Doc) (string, error) {
	if f.panic {
		panic("boom")
	}
	return "", errors.New("no good")
}

func init() {
	Register(Spec{Name: "test_min_len", Kind: KindFilter, Doc: "test"}, minLenParams{Min: 3},
		func(p minLenParams, _ Env) (any, error) { return minLen{p.Min}, nil })
	Register(Spec{Name: "test_upper", Kind: KindModifier, Doc: "test"}, upperParams{Tags: []string{"a"}},
		func(p upperParams, _ Env) (any, error) { return upper{}, nil })
	Register(Spec{Name: "test_count", Kind: KindAnnotator, Doc: "test"}, countParams{Key: "n"},
		func(p countParams, _ Env) (any, error) { return count{p.Key}, nil })
	Register(Spec{Name: "test_fail", Kind: KindFilter, Doc: "test"}, failParams{},
		func(p failParams, _ Env) (any, error) { return fail{p.Panic}, nil })
}

func mustRecipe(t *testing.T, src string) *Recipe {
	t.Helper()
	r, err := ParseRecipe("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTreeSharesPrefix(t *testing.T) {
	a := mustRecipe(t, `
name: a
steps:
  - use: test_min_len
    with: {min: 4}
  - use: test_upper
  - use: test_count
`)
	b := mustRecipe(t, `
name: b
steps:
  - use: test_min_len
    id: long_enough
    with: {min: 4}
  - use: test_upper
  - use: test_min_len
    id: longer
    with: {min: 6}
`)
	c := mustRecipe(t, `
name: c
steps:
  - use: test_min_len
    with: {min: 5}
`)
	tree, err := NewTree([]*Recipe{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	nodes := tree.Nodes()
	// a and b share min_len(4) and upper; c has its own min_len(5).
	if len(nodes) != 5 {
		t.Fatalf("got %d nodes, want 5: %+v", len(nodes), nodes)
	}
	if got := fmt.Sprint(tree.RecipeNodes(0), tree.RecipeNodes(1), tree.RecipeNodes(2)); got != "[0 1 2] [0 1 3] [4]" {
		t.Fatalf("recipe paths %s", got)
	}
	if got := fmt.Sprint(nodes[0].IDs); got != "[test_min_len long_enough]" {
		t.Errorf("shared node ids %s", got)
	}

	st := tree.NewStats()
	texts := []string{"abc", "abcd", "abcde", "abcdefg"}
	got := map[string][]string{}
	for _, s := range texts {
		d := &Doc{ID: s, Text: s}
		err := tree.Process(d, st, EmitFunc(func(ri int, d *Doc, o Outcome) error {
			v := fmt.Sprintf("%s:%v:%s:%s", d.Text, o.Kept, o.StepID, o.Reason)
			got[tree.Recipes()[ri].Name] = append(got[tree.Recipes()[ri].Name], v)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"a": "[abc:false:test_min_len:short ABCD:true:: ABCDE:true:: ABCDEFG:true::]",
		"b": "[abc:false:long_enough:short ABCD:false:longer:short ABCDE:false:longer:short ABCDEFG:true::]",
		"c": "[abc:false:test_min_len:short abcd:false:test_min_len:short abcde:true:: abcdefg:true::]",
	}
	for k, w := range want {
		if g := fmt.Sprint(got[k]); g != w {
			t.Errorf("recipe %s: got %s, want %s", k, g, w)
		}
	}
	// The shared first node saw every document once, not once per recipe.
	if n := st.Nodes[0]; n.In != 4 || n.Kept != 3 || n.Removed["short"] != 1 || n.BytesIn != 3+4+5+7 {
		t.Errorf("shared node stats %+v", n)
	}
	if n := st.Nodes[1]; n.In != 3 || n.Modified != 3 {
		t.Errorf("upper node stats %+v", n)
	}
	if n := st.Nodes[3]; n.In != 3 || n.Kept != 1 || n.Removed["short"] != 2 {
		t.Errorf("longer node stats %+v", n)
	}
}

func TestTreeBranchesDoNotShareText(t *testing.T) {
	a := mustRecipe(t, "name: a\nsteps: [{use: test_min_len, with: {min: 1}}, {use: test_upper}]")
	b := mustRecipe(t, "name: b\nsteps: [{use: test_min_len, with: {min: 1}}, {use: test_count, with: {key: len}}]")
	e := mustRecipe(t, "name: e\nsteps: []")
	tree, err := NewTree([]*Recipe{a, b, e})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var sig any
	err = tree.Process(&Doc{Text: "mixed Case"}, tree.NewStats(), EmitFunc(func(ri int, d *Doc, o Outcome) error {
		texts = append(texts, d.Text)
		if ri == 1 {
			sig = d.Signals["len"]
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(texts) != "[MIXED CASE mixed Case mixed Case]" || sig != 10 {
		t.Errorf("texts %q, signal %v", texts, sig)
	}
}

func TestStepErrorsAndPanicsFailOneDocument(t *testing.T) {
	for _, src := range []string{"name: x\nsteps: [{use: test_fail}]", "name: x\nsteps: [{use: test_fail, with: {panic: true}}]"} {
		r := mustRecipe(t, src)
		tree, _ := NewTree([]*Recipe{r})
		st := tree.NewStats()
		var out Outcome
		if err := tree.Process(&Doc{ID: "d1", Text: "x"}, st, EmitFunc(func(_ int, _ *Doc, o Outcome) error { out = o; return nil })); err != nil {
			t.Fatal(err)
		}
		if out.Kept || out.Reason != ReasonError || out.Err == nil || out.StepID != "test_fail" || st.Nodes[0].Errors != 1 {
			t.Errorf("%s: outcome %+v stats %+v", src, out, st.Nodes[0])
		}
		if got := r.Run(&Doc{ID: "d1", Text: "x"}); got.Err == nil {
			t.Errorf("Recipe.Run: %+v", got)
		}
	}
}

func TestRecipeErrors(t *testing.T) {
	cases := map[string]string{
		"name: x\nsteps: [{use: nope}]":                                  `unknown step "nope"`,
		"name: x\nsteps: [{use: test_min_len, with: {mni: 3}}]":          `unknown parameter "mni"`,
		"name: x\nsteps: [{use: test_min_len, with: {min: many}}]":       `parameter "min"`,
		"name: x\nsteps: [{use: test_min_len, colour: red}]":             `field colour not found`,
		"name: x\nstepz: []":                                             `field stepz not found`,
		"name: x\nsteps: [{use: test_min_len}, {use: test_min_len}]":     `already used by step 1`,
		"name: ../x\nsteps: []":                                          `name "../x"`,
		"name: x\nsteps: [{use: test_min_len, id: ../../y}]":             `id "../../y"`,
		"name: x\nsteps: [{use: test_min_len, with: [1]}]":               "must be a mapping",
		"name: x\nsteps: [{id: y}]":                                      "missing `use`",
		"":                                                               "empty file",
		"name: x\nsteps: [{use: test_upper, with: {tags: [b]}}]\nfoo: 1": "field foo not found",
	}
	for src, want := range cases {
		_, err := ParseRecipe("bad.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("%q: error %v, want one naming bad.yaml and containing %q", src, err, want)
		}
	}
}

func TestDefaultsAreNotMutated(t *testing.T) {
	r := mustRecipe(t, "name: x\nsteps: [{use: test_upper, with: {tags: [b, c]}}]")
	if got := fmt.Sprint(r.Steps[0].Params.(upperParams).Tags); got != "[b c]" {
		t.Errorf("params %s", got)
	}
	e, _ := Lookup("test_upper")
	if got := fmt.Sprint(e.Defaults().(upperParams).Tags); got != "[a]" {
		t.Errorf("defaults changed to %s", got)
	}
	if r.Hash == "" || len(r.Hash) != 64 {
		t.Errorf("hash %q", r.Hash)
	}
}

func TestMemoForgetsOldText(t *testing.T) {
	d := &Doc{Text: "abc"}
	l := func() int { return d.Memo("len", func(s string) any { return len(s) }).(int) }
	if l() != 3 {
		t.Fatal("memo")
	}
	c := d.Clone()
	d.SetText("abcdef")
	if l() != 6 {
		t.Error("memo kept a value for an old text")
	}
	if c.Memo("len", func(string) any { return -1 }).(int) != 3 {
		t.Error("clone lost its memo")
	}
}

// TestMemoSharedByClones: clones that keep the text share what either
// memoizes after the split (recipes branching after a step identify a
// language once), one that changes its text or has it assigned does not,
// and clones on several goroutines compute a value once each at most.
func TestMemoSharedByClones(t *testing.T) {
	calls := 0
	count := func(s string) any { calls++; return len(s) }
	d := &Doc{Text: "abc"}
	a, b := d.Clone(), d.Clone()
	if a.Memo("len", count) != 3 || b.Memo("len", count) != 3 || d.Memo("len", count) != 3 || calls != 1 {
		t.Errorf("%d computations for three documents of one text, want 1", calls)
	}
	b.SetText("abcd")
	if b.Memo("len", count) != 4 || a.Memo("len", count) != 3 || calls != 2 {
		t.Errorf("after one clone's new text: %d computations, want 2", calls)
	}
	a.Text = "xy" // assigned, not set: the memo must not answer for the old text
	if a.Memo("len", count) != 2 || d.Memo("len", count) != 3 {
		t.Error("a memo answered for another text")
	}

	var n atomic.Int32
	slow := func(s string) any { n.Add(1); return strings.ToUpper(s) }
	root := &Doc{Text: "shared"}
	var wg sync.WaitGroup
	for range 8 {
		c := root.Clone()
		wg.Go(func() {
			if c.Memo("up", slow) != "SHARED" {
				t.Error("wrong value")
			}
		})
	}
	wg.Wait()
	if got := n.Load(); got < 1 || got > 8 || root.Memo("up", slow) != "SHARED" || n.Load() != got {
		t.Errorf("%d computations on 8 goroutines, then more for the root", got)
	}
}

func TestBuildStep(t *testing.T) {
	s, err := BuildStep("test_min_len", func(p *minLenParams) { p.Min = 10 }, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := s.(Filter).Filter(&Doc{Text: "short"}); r != "short" {
		t.Errorf("min 10 kept a 5-byte text")
	}
	if _, err := BuildStep[upperParams]("test_min_len", nil, Env{}); err == nil {
		t.Error("wrong parameter type accepted")
	}
	if _, err := BuildStep[minLenParams]("no_such_step", nil, Env{}); err == nil {
		t.Error("unknown step accepted")
	}
}
