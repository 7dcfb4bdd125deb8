package filters

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// gaugeD is minLenD with a gauge of the length, and bugs to switch on.
type gaugeD struct {
	minLenD
	keep     string  // the threshold's comparison
	extra    int     // gauges more than values given
	fill     float64 // value given instead of the length when not 0
	jsonDiff bool    // a value that changes after JSON (reads an int only)
	fail     bool
}

func (g gaugeD) Gauges() []Gauge {
	gs := []Gauge{CountGauge("length", "bytes", Threshold{Param: "min", Value: float64(g.p.Min), Keep: g.keep})}
	for i := range g.extra {
		gs = append(gs, FractionGauge(strings.Repeat("x", i+1), ""))
	}
	return gs
}

func (g gaugeD) GaugeValues(m Measurements, v []float64) error {
	if g.fail {
		return errors.New("broken")
	}
	n, err := m.Int("n")
	if err != nil {
		return err
	}
	v[0] = float64(n)
	if g.fill != 0 {
		v[0] = g.fill
	}
	if g.jsonDiff {
		if _, isInt := m["n"].(int); !isInt {
			v[0]++
		}
	}
	return nil
}

// TestCheckGauges checks that CheckGauges passes a right Gauger and
// catches each kind of wrong one.
func TestCheckGauges(t *testing.T) {
	ok := gaugeD{minLenD: minLenD{minLenDParams{Min: 3}}, keep: ">="}
	docs := []*Doc{{ID: "long", Text: "abcdef"}, {ID: "short", Text: "ab"}, {ID: "empty"}, {ID: "edge", Text: "abc"}}
	for _, d := range docs {
		if err := CheckGauges(ok, d); err != nil {
			t.Errorf("a right Gauger: %v", err)
		}
	}
	long, edge := docs[0], docs[3]
	for _, c := range []struct {
		name string
		g    any
		d    *Doc
		want string
	}{
		{"no Gauger", ok.minLenD, long, "not a Gauger"},
		{"wrong direction", gaugeD{minLenD: ok.minLenD, keep: "<"}, long, "is not <"},
		{"strict at the bound", gaugeD{minLenD: ok.minLenD, keep: ">"}, edge, "is not >"},
		{"bad comparison", gaugeD{minLenD: ok.minLenD, keep: "=="}, long, "keeps"},
		{"value missing", gaugeD{minLenD: ok.minLenD, keep: ">=", extra: 1}, long, "want a finite number or NaN"},
		{"infinite value", gaugeD{minLenD: ok.minLenD, keep: ">=", fill: math.Inf(1)}, long, "want a finite number or NaN"},
		{"JSON changes it", gaugeD{minLenD: ok.minLenD, keep: ">=", jsonDiff: true}, long, "after JSON"},
		{"GaugeValues fails", gaugeD{minLenD: ok.minLenD, keep: ">=", fail: true}, long, "broken"},
	} {
		err := CheckGauges(c.g, c.d)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: CheckGauges gives %v, want an error with %q", c.name, err, c.want)
		}
	}
	// A removed document may violate the threshold; a NaN value passes.
	if err := CheckGauges(gaugeD{minLenD: ok.minLenD, keep: ">=", fill: math.NaN()}, long); err != nil {
		t.Errorf("NaN value: %v", err)
	}
}
