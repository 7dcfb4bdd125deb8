package eval

import (
	"math"
	"strings"
	"testing"
)

func TestJaccardSmall(t *testing.T) {
	cases := []struct {
		a, b []string
		want float64
	}{
		{nil, nil, 1},
		{[]string{}, nil, 1},
		{[]string{"x"}, nil, 0},
		{nil, []string{"x"}, 0},
		{[]string{"x"}, []string{"x"}, 1},
		{[]string{"a", "b", "c"}, []string{"b", "c", "d"}, 2.0 / 4},
		{[]string{"a", "a", "b"}, []string{"b", "b"}, 1.0 / 2},
		{[]string{"a", "b"}, []string{"c", "d", "e"}, 0},
	}
	for _, c := range cases {
		if got := Jaccard(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Jaccard(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Jaccard(c.b, c.a); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Jaccard(%q, %q) = %v, want %v (symmetry)", c.b, c.a, got, c.want)
		}
	}
}

// TestJaccardHuman compares the kept sets of two length rules on the
// labelled pages with a count by inclusion-exclusion.
func TestJaccardHuman(t *testing.T) {
	var a, b []string
	both := 0
	for _, p := range humanPages(t) {
		w := len(strings.Fields(p.Text))
		inA, inB := w >= 200, strings.Count(p.Text, "\n") < 30
		if inA {
			a = append(a, p.ID)
		}
		if inB {
			b = append(b, p.ID)
		}
		if inA && inB {
			both++
		}
	}
	want := float64(both) / float64(len(a)+len(b)-both)
	if got := Jaccard(a, b); math.Abs(got-want) > 1e-12 || got <= 0 || got >= 1 {
		t.Fatalf("Jaccard = %v, want %v (|A| %d, |B| %d, both %d)", got, want, len(a), len(b), both)
	}
}
