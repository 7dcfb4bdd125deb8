package filters

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestAnnotateKeepsEverything(t *testing.T) {
	r := mustRecipe(t, selectSource)
	docs, anns, st := annotateRun(t, r, selectTexts)
	for i, d := range docs {
		if d.Text != strings.ToUpper(selectTexts[i]) {
			t.Errorf("document %d: text %q", i, d.Text)
		}
		if len(anns[i]) != len(r.Steps) {
			t.Fatalf("document %d: %d annotations", i, len(anns[i]))
		}
		for j, a := range anns[i] {
			if a.Step != r.Steps[j].ID || a.Use != r.Steps[j].Use {
				t.Errorf("document %d: annotation %d is %s/%s", i, j, a.Step, a.Use)
			}
		}
	}
	// "a": too short for the first step, recorded, and it goes on.
	a := anns[1]
	if a[0].Reason != "short" || fmt.Sprint(a[0].M["n"]) != "1" || a[2].Use != "test_upper" || !a[2].Modified || a[3].Reason != "short" {
		t.Errorf("annotations of %q: %+v", selectTexts[1], a)
	}
	for i, n := range st.Nodes {
		if n.In != int64(len(selectTexts)) || n.Kept+n.RemovedTotal()+n.Errors != n.In {
			t.Errorf("node %d: %+v", i, n)
		}
	}
	if st.Nodes[0].Removed["short"] != 2 || st.Nodes[2].Modified == 0 {
		t.Errorf("stats %+v", st.Nodes)
	}
}

func TestParseAnnotations(t *testing.T) {
	good := `[{"step":"a","use":"test_min_len_d","reason":"short","m":{"n":1},"bytes":1},{"step":"b","use":"test_upper","bytes":1,"modified":true}]`
	a, err := ParseAnnotations([]byte(good))
	if err != nil || len(a) != 2 || a[0].Reason != "short" || !a[1].Modified {
		t.Fatalf("%+v %v", a, err)
	}
	for _, bad := range []string{"", "{}", "null", `[{"use":"x","bytes":1}]`, `[{"step":"a","use":"x","bytes":-1}]`,
		`[{"step":"a","use":"x","bytes":1,"colour":1}]`, `[{"step":"a","use":"x","reason":"r","error":"e","bytes":1}] `,
		`[] []`, `[{"step":"a","use":"x","m":{"n":1e999}}]`} {
		if _, err := ParseAnnotations([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestCloneCopiesTrace(t *testing.T) {
	d := &Doc{Trace: make([]TraceEntry, 1, 8)}
	c := d.Clone()
	d.Trace = append(d.Trace, TraceEntry{Node: 1})
	c.Trace = append(c.Trace, TraceEntry{Node: 2})
	if d.Trace[1].Node != 1 || c.Trace[1].Node != 2 {
		t.Errorf("branches share a trace: %v %v", d.Trace, c.Trace)
	}
}

func TestDecisionParamsAndVariants(t *testing.T) {
	e, _ := Lookup("test_min_len_d")
	if got := fmt.Sprint(e.DecisionParams()); got != "[min key]" {
		t.Errorf("decision params %s", got)
	}
	if got := string(MeasurementParams(minLenDParams{Min: 9, Runes: true, Key: "x"})); got != `{"runes":true}` {
		t.Errorf("measurement params %s", got)
	}
	for _, s := range selectTexts {
		base, _ := e.Build(minLenDParams{Min: 3, Key: "k"}, Env{})
		for _, p := range VaryDecision(minLenDParams{Min: 3, Key: "k"}) {
			v, _ := e.Build(p, Env{})
			if err := CheckDecisionWith(base, v, &Doc{Text: s}); err != nil {
				t.Error(err)
			}
		}
	}
	// A Decider that breaks the contract is caught.
	if err := CheckDecisionWith(minLenD{minLenDParams{Min: 4}}, minLenD{minLenDParams{Min: 4, Runes: true}}, &Doc{Text: "ééé"}); err == nil {
		t.Error("a measurement parameter change went unnoticed")
	}
}

// TestAnnotateSharedPrefix: recipes that share steps get their own ids in
// their annotations, and branches keep their own traces.
func TestAnnotateSharedPrefix(t *testing.T) {
	a := mustRecipe(t, "name: a\nsteps: [{use: test_min_len_d, id: first, with: {min: 4}}, {use: test_upper}]")
	b := mustRecipe(t, "name: b\nsteps: [{use: test_min_len_d, id: one, with: {min: 4}}, {use: test_count, with: {key: n}}, {use: test_min_len, with: {min: 9}}]")
	tree, err := NewTree([]*Recipe{a, b})
	if err != nil {
		t.Fatal(err)
	}
	tree.SetAnnotate(true)
	got := map[int]string{}
	err = tree.Process(&Doc{ID: "x", Text: "abc"}, tree.NewStats(), EmitFunc(func(ri int, d *Doc, o Outcome) error {
		ann, err := tree.Annotations(ri, d)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(ann)
		got[ri] = fmt.Sprintf("%v %s %s", o.Kept, d.Text, b)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		0: `true ABC [{"step":"first","use":"test_min_len_d","reason":"short","m":{"n":3},"bytes":3},{"step":"test_upper","use":"test_upper","bytes":3,"modified":true}]`,
		1: `true abc [{"step":"one","use":"test_min_len_d","reason":"short","m":{"n":3},"bytes":3},{"step":"test_count","use":"test_count","bytes":3},{"step":"test_min_len","use":"test_min_len","reason":"short","bytes":3}]`,
	}
	for ri, w := range want {
		if got[ri] != w {
			t.Errorf("recipe %d:\n got %s\nwant %s", ri, got[ri], w)
		}
	}
	if _, err := tree.Annotations(0, &Doc{ID: "y"}); err == nil {
		t.Error("a document without a trace has annotations")
	}
}
