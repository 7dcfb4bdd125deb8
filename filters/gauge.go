package filters

import (
	"fmt"
	"math"
)

// A Gauge is a number a step compares with its thresholds to decide (a
// ratio, a count, a score), as a run's report draws it: a histogram over a
// fixed axis with the thresholds marked. The axis is fixed by the step's
// parameters alone, so that histograms of the same node from different
// tasks merge by addition.
type Gauge struct {
	// Name names the gauge within its step ("symbol_word_ratio").
	Name string `json:"name"`
	// Doc says what the number is, in a few words.
	Doc string `json:"doc"`
	// Min and Max bound the axis; values below Min and at or above Max
	// fall in the first and last bin.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Bins is the number of bins between Min and Max.
	Bins int `json:"bins"`
	// Log spaces the bins logarithmically (Min must be > 0): for counts.
	Log bool `json:"log,omitempty"`
	// Thresholds are the bounds the step keeps documents within.
	Thresholds []Threshold `json:"thresholds,omitempty"`
}

// Threshold is one bound of a gauge: documents whose value satisfies
// `value Keep Value` pass it.
type Threshold struct {
	// Param is the parameter that sets the bound ("max_symbol_word_ratio").
	Param string `json:"param"`
	// Value is the bound.
	Value float64 `json:"value"`
	// Keep is the comparison a kept value makes with it: "<", "<=", ">"
	// or ">=".
	Keep string `json:"keep"`
}

// Satisfied reports whether v passes t: v Keep Value. NaN passes no
// threshold.
func (t Threshold) Satisfied(v float64) bool {
	switch t.Keep {
	case "<":
		return v < t.Value
	case "<=":
		return v <= t.Value
	case ">":
		return v > t.Value
	case ">=":
		return v >= t.Value
	}
	return false
}

// Gauger is a Decider that says which numbers its decision compares: the
// run's report draws their distributions. Gauges depends on the step's
// parameters only; GaugeValues computes the numbers from measurements
// Measure took, one per gauge in Gauges' order, NaN where a number is not
// defined for the document (a ratio over zero words).
type Gauger interface {
	Decider
	Gauges() []Gauge
	GaugeValues(m Measurements, values []float64) error
}

// ScoreGauge is the gauge of a score in [0, 1]: a classifier's or a
// language detector's.
func ScoreGauge(name, doc string, th ...Threshold) Gauge {
	return Gauge{Name: name, Doc: doc, Min: 0, Max: 1, Bins: 50, Thresholds: th}
}

// FractionGauge is the gauge of a fraction in [0, 1].
func FractionGauge(name, doc string, th ...Threshold) Gauge {
	return Gauge{Name: name, Doc: doc, Min: 0, Max: 1, Bins: 50, Thresholds: th}
}

// CountGauge is the gauge of a count, on a log axis from 1 to 10^7 (ten
// bins a decade); zero falls in the first bin.
func CountGauge(name, doc string, th ...Threshold) Gauge {
	return Gauge{Name: name, Doc: doc, Min: 1, Max: 1e7, Bins: 70, Log: true, Thresholds: th}
}

// Check reports whether g's axis is well formed.
func (g Gauge) Check() error {
	switch {
	case g.Name == "":
		return fmt.Errorf("gauge without a name")
	case g.Bins <= 0 || g.Bins > 1000:
		return fmt.Errorf("gauge %s: %d bins, want 1 to 1000", g.Name, g.Bins)
	case !(g.Max > g.Min) || math.IsInf(g.Max, 0) || math.IsInf(g.Min, 0):
		return fmt.Errorf("gauge %s: axis [%v, %v) is empty or infinite", g.Name, g.Min, g.Max)
	case g.Log && g.Min <= 0:
		return fmt.Errorf("gauge %s: a log axis must start above 0, not at %v", g.Name, g.Min)
	}
	for _, t := range g.Thresholds {
		switch t.Keep {
		case "<", "<=", ">", ">=":
		default:
			return fmt.Errorf("gauge %s: threshold %s keeps %q, want <, <=, > or >=", g.Name, t.Param, t.Keep)
		}
	}
	return nil
}

// Bin returns the bin of v: 0 below Min, 1..Bins on the axis (bin i holds
// [Edge(i), Edge(i+1)), a value on an edge in the bin it starts), Bins+1
// at or above Max. A histogram of g has Bins+2 counts. NaN has no bin:
// callers skip it; Bin(NaN) is 0.
func (g Gauge) Bin(v float64) int {
	if math.IsNaN(v) || v < g.Min {
		return 0
	}
	if v >= g.Max {
		return g.Bins + 1
	}
	b := min(max(int(g.Pos(v)*float64(g.Bins)), 0), g.Bins-1)
	// Pos rounds: 0.58 on 50 bins of [0, 1) comes out as 28.99... bins.
	// Move to the bin whose edges, as Edge computes them, hold v.
	if b > 0 && v < g.Edge(b+1) {
		b--
	} else if b < g.Bins-1 && v >= g.Edge(b+2) {
		b++
	}
	return 1 + b
}

// Pos returns where v lies on the axis, 0 at Min and 1 at Max (clamped).
func (g Gauge) Pos(v float64) float64 {
	var f float64
	if g.Log {
		f = math.Log(max(v, g.Min)/g.Min) / math.Log(g.Max/g.Min)
	} else {
		f = (v - g.Min) / (g.Max - g.Min)
	}
	return min(max(f, 0), 1)
}

// Edge returns the lower edge of bin i (1..Bins+1; Edge(Bins+1) is Max).
func (g Gauge) Edge(i int) float64 {
	f := float64(i-1) / float64(g.Bins)
	if g.Log {
		return g.Min * math.Pow(g.Max/g.Min, f)
	}
	return g.Min + f*(g.Max-g.Min)
}

// Ratio returns num/den, NaN when den is 0: a gauge value undefined for
// an empty document.
func Ratio(num, den int) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// WantGauges is the check every GaugeValues makes first: values must have
// one place per gauge of the step (n).
func WantGauges(values []float64, n int) error {
	if len(values) != n {
		return fmt.Errorf("%d gauge values asked for, the step has %d gauges", len(values), n)
	}
	return nil
}
