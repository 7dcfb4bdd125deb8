package filters

import (
	"encoding/json"
	"testing"
)

// FuzzParseAnnotations: what parses writes back to what parses the same,
// and a selection given it decides or errs, never panics.
func FuzzParseAnnotations(f *testing.F) {
	f.Add(`[{"step":"a","use":"test_min_len_d","reason":"short","m":{"n":1},"bytes":1}]`)
	f.Add(`[{"step":"test_min_len_d","use":"test_min_len_d","m":{"n":2.5},"bytes":3},{"step":"vowels","use":"test_score_d","m":{"score":"x"},"bytes":3}]`)
	f.Add(`[{"step":"x","use":"y","error":"boom","m":{"p":{"en":0.5},"l":[1,2,3],"b":true,"s":"t"},"bytes":0,"modified":true}]`)
	src, err := ParseRecipe("src.yaml", []byte(selectSource))
	if err != nil {
		f.Fatal(err)
	}
	sel, err := PlanSelection(src, src)
	if err != nil {
		f.Fatal(err)
	}
	tree, err := NewTree([]*Recipe{src})
	if err != nil {
		f.Fatal(err)
	}
	tree.SetAnnotate(true)
	var doc *Doc
	err = tree.Process(&Doc{ID: "seed", Text: "hello world"}, tree.NewStats(), EmitFunc(func(ri int, d *Doc, _ Outcome) error {
		a, err := tree.Annotations(ri, d)
		if err != nil {
			return err
		}
		b, err := json.Marshal(a)
		f.Add(string(b))
		doc = d
		return err
	}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnnotations([]byte(s))
		if err != nil {
			return
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("%q parsed but does not marshal: %v", s, err)
		}
		a2, err := ParseAnnotations(b)
		if err != nil {
			t.Fatalf("%s: written back, does not parse: %v", b, err)
		}
		b2, _ := json.Marshal(a2)
		if string(b) != string(b2) {
			t.Fatalf("round trip: %s then %s", b, b2)
		}
		d := doc.Clone()
		_, _ = sel.Apply(d, a, map[string]float64{"length": 3}, sel.NewStats())
	})
}
