package filters

import (
	"math"
	"testing"
)

// testAxes are linear and log axes, the helpers' and odd ones.
func testAxes() []Gauge {
	return []Gauge{
		FractionGauge("fraction", ""),
		ScoreGauge("score", ""),
		CountGauge("count", ""),
		{Name: "mean_word_length", Min: 0, Max: 20, Bins: 80},
		{Name: "ratio100", Min: 0, Max: 1, Bins: 100},
		{Name: "odd", Min: -0.5, Max: 3, Bins: 7},
		{Name: "one", Min: 0, Max: 2, Bins: 2},
		{Name: "single", Min: 2, Max: 5, Bins: 1},
		{Name: "logsmall", Min: 1e-3, Max: 1, Bins: 30, Log: true},
		{Name: "log3", Min: 2, Max: 50, Bins: 3, Log: true},
	}
}

// TestGaugeBinEdges checks that bin i holds exactly [Edge(i), Edge(i+1)):
// a value on an edge falls in the bin the edge starts, the value just
// below it in the bin before, the middle of a bin in that bin.
func TestGaugeBinEdges(t *testing.T) {
	for _, g := range testAxes() {
		if err := g.Check(); err != nil {
			t.Fatal(err)
		}
		if e := g.Edge(1); e != g.Min {
			t.Errorf("%s: Edge(1) = %v, want Min %v", g.Name, e, g.Min)
		}
		if e := g.Edge(g.Bins + 1); math.Abs(e-g.Max) > 1e-12*math.Abs(g.Max) {
			t.Errorf("%s: Edge(%d) = %v, want Max %v", g.Name, g.Bins+1, e, g.Max)
		}
		for i := 1; i <= g.Bins; i++ {
			lo, hi := g.Edge(i), g.Edge(i+1)
			if !(hi > lo) {
				t.Fatalf("%s: edges %d and %d: %v, %v not increasing", g.Name, i, i+1, lo, hi)
			}
			if b := g.Bin(lo); b != i {
				t.Errorf("%s: Bin(Edge(%d) = %v) = %d", g.Name, i, lo, b)
			}
			if b := g.Bin(math.Nextafter(lo, math.Inf(-1))); b != i-1 {
				t.Errorf("%s: Bin(just below Edge(%d) = %v) = %d, want %d", g.Name, i, lo, b, i-1)
			}
			if b := g.Bin((lo + hi) / 2); b != i {
				t.Errorf("%s: Bin(middle of bin %d) = %d", g.Name, i, b)
			}
			if p := g.Pos(lo); math.Abs(p-float64(i-1)/float64(g.Bins)) > 1e-9 {
				t.Errorf("%s: Pos(Edge(%d)) = %v, want %v", g.Name, i, p, float64(i-1)/float64(g.Bins))
			}
		}
		if b := g.Bin(math.Nextafter(g.Max, math.Inf(-1))); b != g.Bins {
			t.Errorf("%s: Bin(just below Max) = %d, want %d", g.Name, b, g.Bins)
		}
	}
}

// TestGaugeBinOutside checks the overflow bins, infinities and NaN.
func TestGaugeBinOutside(t *testing.T) {
	for _, g := range testAxes() {
		last := g.Bins + 1
		for _, c := range []struct {
			v    float64
			want int
		}{
			{g.Min, 1}, {g.Max, last}, {g.Max * 10, last}, {math.Inf(1), last}, {math.Inf(-1), 0},
			{math.Nextafter(g.Min, math.Inf(-1)), 0}, {math.MaxFloat64, last}, {-math.MaxFloat64, 0},
			// NaN has no bin; callers skip it (filters count it as
			// undefined). Bin does not panic and gives 0.
			{math.NaN(), 0},
		} {
			if b := g.Bin(c.v); b != c.want {
				t.Errorf("%s: Bin(%v) = %d, want %d", g.Name, c.v, b, c.want)
			}
		}
		for _, c := range []struct{ v, want float64 }{
			{g.Min, 0}, {g.Max, 1}, {math.Inf(1), 1}, {math.Inf(-1), 0}, {g.Max * 2, 1}, {g.Min - 1, 0},
		} {
			if p := g.Pos(c.v); p != c.want {
				t.Errorf("%s: Pos(%v) = %v, want %v", g.Name, c.v, p, c.want)
			}
		}
		// Pos(NaN) is NaN: where NaN lies on the axis is not defined.
		if p := g.Pos(math.NaN()); !math.IsNaN(p) {
			t.Errorf("%s: Pos(NaN) = %v, want NaN", g.Name, p)
		}
	}
}

// TestGaugeLogAxis checks the decades of CountGauge and that zero (and
// negative counts) fall below Min.
func TestGaugeLogAxis(t *testing.T) {
	g := CountGauge("n", "")
	for _, c := range []struct {
		v    float64
		want int
	}{{0, 0}, {-3, 0}, {0.999, 0}, {1, 1}, {9.99, 10}, {10, 11}, {99, 20}, {100, 21}, {1e6, 61}, {9.99e6, 70}, {1e7, 71}} {
		if b := g.Bin(c.v); b != c.want {
			t.Errorf("Bin(%v) = %d, want %d", c.v, b, c.want)
		}
	}
	for d := 0; d <= 7; d++ {
		if e, want := g.Edge(1+10*d), math.Pow(10, float64(d)); math.Abs(e-want) > 1e-9*want {
			t.Errorf("Edge(%d) = %v, want %v", 1+10*d, e, want)
		}
	}
	if p := g.Pos(0); p != 0 {
		t.Errorf("Pos(0) = %v on a log axis, want 0", p)
	}
	if p := g.Pos(math.Sqrt(10)); math.Abs(p-0.5/7) > 1e-12 {
		t.Errorf("Pos(sqrt 10) = %v, want %v", p, 0.5/7)
	}
}

// TestGaugeLinearAxis checks a few values of a linear axis.
func TestGaugeLinearAxis(t *testing.T) {
	g := Gauge{Name: "mean_word_length", Min: 0, Max: 20, Bins: 80}
	for _, c := range []struct {
		v    float64
		want int
	}{{0, 1}, {0.2499, 1}, {0.25, 2}, {4.6, 19}, {19.75, 80}, {19.9999, 80}, {20, 81}, {-0.1, 0}} {
		if b := g.Bin(c.v); b != c.want {
			t.Errorf("Bin(%v) = %d, want %d", c.v, b, c.want)
		}
	}
	if p := g.Pos(5); p != 0.25 {
		t.Errorf("Pos(5) = %v, want 0.25", p)
	}
	if e := g.Edge(41); e != 10 {
		t.Errorf("Edge(41) = %v, want 10", e)
	}
}

// TestGaugeCheck checks that malformed gauges are refused.
func TestGaugeCheck(t *testing.T) {
	for _, g := range []Gauge{
		{Min: 0, Max: 1, Bins: 10},
		{Name: "a", Min: 0, Max: 1, Bins: 0},
		{Name: "a", Min: 0, Max: 1, Bins: 1001},
		{Name: "a", Min: 1, Max: 1, Bins: 10},
		{Name: "a", Min: 0, Max: math.Inf(1), Bins: 10},
		{Name: "a", Min: math.NaN(), Max: 1, Bins: 10},
		{Name: "a", Min: 0, Max: 10, Bins: 10, Log: true},
		{Name: "a", Min: 0, Max: 1, Bins: 10, Thresholds: []Threshold{{Param: "p", Value: 0.5, Keep: "=="}}},
	} {
		if err := g.Check(); err == nil {
			t.Errorf("%+v: Check accepts it", g)
		}
	}
	g := FractionGauge("a", "", Threshold{Param: "p", Value: 0.5, Keep: "<="}, Threshold{Param: "q", Value: 0.1, Keep: ">"})
	if err := g.Check(); err != nil {
		t.Error(err)
	}
}

// TestThresholdSatisfied checks the four comparisons, at the bound too,
// and that NaN passes none.
func TestThresholdSatisfied(t *testing.T) {
	for _, c := range []struct {
		keep             string
		below, at, above bool
	}{{"<", true, false, false}, {"<=", true, true, false}, {">", false, false, true}, {">=", false, true, true}} {
		th := Threshold{Param: "p", Value: 0.3, Keep: c.keep}
		if th.Satisfied(0.2) != c.below || th.Satisfied(0.3) != c.at || th.Satisfied(0.4) != c.above || th.Satisfied(math.NaN()) {
			t.Errorf("keep %s: wrong", c.keep)
		}
	}
	if (Threshold{Keep: "="}).Satisfied(0) {
		t.Error("an unknown comparison is satisfied")
	}
	if !math.IsNaN(Ratio(3, 0)) || Ratio(3, 4) != 0.75 {
		t.Error("Ratio")
	}
}
