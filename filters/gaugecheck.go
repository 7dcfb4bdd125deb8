package filters

import (
	"fmt"
	"math"
)

// CheckGauges checks a Gauger's contract on d: its gauges are well formed
// (Gauge.Check, distinct names), GaugeValues fills one value per gauge from
// Measure(d), each finite or NaN, and gives the same values from the
// measurements after a trip through JSON (as an annotated run writes
// them), and when the step keeps d (Filter, or a Ranker's Score: it keeps
// d for ranking), every defined value satisfies every threshold of its
// gauge. A step that is no Gauger is an error; a document Measure fails on
// is not checked further. d is not changed. Step packages test their
// Gaugers with it, next to CheckDecision.
func CheckGauges(step any, d *Doc) error {
	g, ok := step.(Gauger)
	if !ok {
		return fmt.Errorf("%T is not a Gauger", step)
	}
	gs := g.Gauges()
	names := make(map[string]bool, len(gs))
	for _, x := range gs {
		if err := x.Check(); err != nil {
			return err
		}
		if names[x.Name] {
			return fmt.Errorf("gauge %s: named twice", x.Name)
		}
		names[x.Name] = true
	}
	m, err := g.Measure(d.Clone())
	if err != nil {
		return nil
	}
	var vals [2][]float64
	for pass, mm := range []Measurements{m, roundTrip(m)} {
		v := make([]float64, len(gs))
		for i := range v {
			v[i] = math.Inf(-1) // not a value a gauge gives: must be overwritten
		}
		if err := g.GaugeValues(mm, v); err != nil {
			return fmt.Errorf("document %s (measurements %s, pass %d): GaugeValues: %w", d.ID, jsonString(m), pass, err)
		}
		for i, x := range v {
			if math.IsInf(x, 0) {
				return fmt.Errorf("document %s (measurements %s, pass %d): gauge %s has value %v, want a finite number or NaN",
					d.ID, jsonString(m), pass, gs[i].Name, x)
			}
		}
		vals[pass] = v
	}
	for i := range gs {
		a, b := vals[0][i], vals[1][i]
		if a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			return fmt.Errorf("document %s: gauge %s is %v from the measurements, %v after JSON", d.ID, gs[i].Name, a, b)
		}
	}
	var reason string
	if rk, ok := step.(Ranker); ok {
		_, reason, err = rk.Score(d.Clone())
	} else {
		reason, err = g.Filter(d.Clone())
	}
	if err != nil || reason != "" {
		return nil
	}
	for i, x := range gs {
		v := vals[0][i]
		if math.IsNaN(v) {
			continue
		}
		for _, t := range x.Thresholds {
			if !t.Satisfied(v) {
				return fmt.Errorf("document %s is kept, but its gauge %s = %v is not %s %v (%s)", d.ID, x.Name, v, t.Keep, t.Value, t.Param)
			}
		}
	}
	return nil
}
