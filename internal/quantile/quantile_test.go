package quantile

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// countAtLeast is how many scores keeping xs >= t keeps.
func countAtLeast(xs []float64, t float64) int64 {
	var n int64
	for _, x := range xs {
		if x >= t {
			n++
		}
	}
	return n
}

func scores(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, n)
	for i := range xs {
		// Skewed like classifier probabilities: most near 0.
		xs[i] = math.Pow(rng.Float64(), 6)
	}
	return xs
}

func TestExactKeepsTarget(t *testing.T) {
	for _, n := range []int{1, 2, 3, 10, 30, 999, 5000} {
		xs := scores(n, uint64(n))
		r := NewRanker(0, 0)
		for _, x := range xs {
			if err := r.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []float64{0.1, 0.5, 1} {
			th, ok, err := r.Threshold(q)
			if err != nil || !ok {
				t.Fatalf("n=%d q=%v: %v %v", n, q, ok, err)
			}
			if !r.Exact() || r.RankError() != 0 {
				t.Fatalf("n=%d: not exact", n)
			}
			if got, want := countAtLeast(xs, th), Target(q, int64(n)); got != want {
				t.Errorf("n=%d q=%v: threshold %v keeps %d, want %d", n, q, th, got, want)
			}
		}
	}
}

func TestTarget(t *testing.T) {
	for _, c := range []struct {
		q    float64
		n, k int64
	}{{0.1, 30, 3}, {0.1, 31, 4}, {0.1, 1, 1}, {0.1, 0, 0}, {1, 7, 7}, {0.3, 10, 3}, {0.7, 10, 7}} {
		if got := Target(c.q, c.n); got != c.k {
			t.Errorf("Target(%v, %d) = %d, want %d", c.q, c.n, got, c.k)
		}
	}
}

func TestSketchWithinStatedError(t *testing.T) {
	const n = 400_000
	xs := scores(n, 7)
	r := NewRanker(10_000, 1024)
	for _, x := range xs {
		_ = r.Add(x)
	}
	if r.Exact() {
		t.Fatal("still exact past the limit")
	}
	if r.RankError() == 0 || r.RankError() > n/50 {
		t.Fatalf("rank error bound %d out of the expected range", r.RankError())
	}
	for _, q := range []float64{0.01, 0.1, 0.5, 0.9} {
		th, _, err := r.Threshold(q)
		if err != nil {
			t.Fatal(err)
		}
		got, want := countAtLeast(xs, th), Target(q, n)
		if d := got - want; d > r.RankError() || -d > r.RankError() {
			t.Errorf("q=%v: keeps %d, want %d ± %d", q, got, want, r.RankError())
		}
	}
	var held int
	for _, lv := range r.levels {
		held += len(lv)
	}
	if held > 1024*len(r.levels) {
		t.Errorf("sketch holds %d items in %d levels", held, len(r.levels))
	}
}

func TestDeterministic(t *testing.T) {
	xs := scores(100_000, 3)
	a, b := NewRanker(1000, 256), NewRanker(1000, 256)
	for _, x := range xs {
		_ = a.Add(x)
		_ = b.Add(x)
	}
	ta, _, _ := a.Threshold(0.1)
	tb, _, _ := b.Threshold(0.1)
	if ta != tb || a.RankError() != b.RankError() {
		t.Fatalf("same input, different answers: %v/%d vs %v/%d", ta, a.RankError(), tb, b.RankError())
	}
}

func TestRefusals(t *testing.T) {
	r := NewRanker(0, 0)
	if err := r.Add(math.NaN()); err == nil {
		t.Error("NaN accepted")
	}
	if _, ok, err := r.Threshold(0.1); ok || err != nil {
		t.Errorf("empty ranker: ok=%v err=%v", ok, err)
	}
	for _, q := range []float64{0, -1, 1.5, math.NaN()} {
		if _, _, err := r.Threshold(q); err == nil {
			t.Errorf("keep_top %v accepted", q)
		}
	}
	_ = r.Add(0.5)
	_ = r.Add(0.5)
	th, _, _ := r.Threshold(0.5)
	if th != 0.5 || countAtLeast([]float64{0.5, 0.5}, th) != 2 {
		t.Errorf("ties: threshold %v", th)
	}
	if !slices.Equal(r.exact, []float64{0.5, 0.5}) {
		t.Error("Threshold changed the scores")
	}
}

func BenchmarkAddSketch(b *testing.B) {
	xs := scores(1<<16, 9)
	r := NewRanker(1, DefaultCapacity)
	b.ResetTimer()
	for i := range b.N {
		_ = r.Add(xs[i&(1<<16-1)])
	}
}
