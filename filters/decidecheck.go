package filters

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
)

// CheckDecision checks a Decider's contract on d: Filter(d) gives what
// Decide(d, Measure(d)) gives (the same reason, or both an error), with the
// same signals, Measure sets no signal, and the measurements give the same
// decision after a trip through JSON (as an annotated run writes them).
// d is not changed. Step packages test their Deciders with it.
func CheckDecision(step any, d *Doc) error { return CheckDecisionWith(step, step, d) }

// CheckDecisionWith is CheckDecision for two builds of one step that differ
// in decision parameters only: what measurer measures, decider decides as
// its own Filter would.
func CheckDecisionWith(measurer, decider any, d *Doc) error {
	m1, ok1 := measurer.(Decider)
	d2, ok2 := decider.(Decider)
	if !ok1 || !ok2 {
		return fmt.Errorf("%T or %T is not a Decider", measurer, decider)
	}
	fresh := d.Clone()
	var want stepResult
	if rk, ok := decider.(Ranker); ok {
		_, want.reason, want.err = rk.Score(fresh)
	} else {
		want.reason, want.err = d2.Filter(fresh)
	}

	md := d.Clone()
	before := maps.Clone(md.Signals)
	m, err := m1.Measure(md)
	if err != nil {
		if want.err == nil {
			return fmt.Errorf("document %s: Measure failed (%v), Filter did not (reason %q)", d.ID, err, want.reason)
		}
		return nil
	}
	if err := checkMeasurements(m); err != nil {
		return fmt.Errorf("document %s: %w", d.ID, err)
	}
	if !sameJSON(before, md.Signals) {
		return fmt.Errorf("document %s: Measure set signals: %v -> %v", d.ID, before, md.Signals)
	}
	for pass, mm := range []Measurements{m, roundTrip(m)} {
		got := md.Clone()
		reason, err := d2.Decide(got, mm)
		if (err != nil) != (want.err != nil) || reason != want.reason {
			return fmt.Errorf("document %s (measurements %s, pass %d): Decide gives %q (error %v), Filter %q (error %v)",
				d.ID, jsonString(m), pass, reason, err, want.reason, want.err)
		}
		if err == nil && !sameJSON(got.Signals, fresh.Signals) {
			return fmt.Errorf("document %s (pass %d): Decide's signals %s, Filter's %s", d.ID, pass, jsonString(got.Signals), jsonString(fresh.Signals))
		}
	}
	return nil
}

// roundTrip returns m as it comes back from JSON.
func roundTrip(m Measurements) Measurements {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // checkMeasurements passed
	}
	var out Measurements
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func sameJSON(a, b map[string]any) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return jsonString(a) == jsonString(b)
}

// VaryDecision returns copies of params (a step's parameter struct) in
// which one decision parameter at a time takes another value: numbers
// halved, raised by half and zeroed, lists of numbers scaled, booleans
// flipped. Tests build a step from each to check CheckDecisionWith; a copy
// the step refuses is the test's to skip.
func VaryDecision(params any) []any {
	v := reflect.ValueOf(params)
	t := v.Type()
	var out []any
	add := func(i int, x reflect.Value) {
		c := reflect.New(t).Elem()
		c.Set(v)
		c.Field(i).Set(x)
		out = append(out, c.Interface())
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !isDecisionField(f) {
			continue
		}
		fv := v.Field(i)
		switch f.Type.Kind() {
		case reflect.Float64, reflect.Float32:
			x := fv.Float()
			for _, y := range []float64{0, x / 2, x * 1.5, x + 0.25} {
				if y != x {
					add(i, reflect.ValueOf(y).Convert(f.Type))
				}
			}
		case reflect.Int, reflect.Int64, reflect.Int32:
			x := fv.Int()
			for _, y := range []int64{0, x / 2, x*2 + 1, -1} {
				if y != x {
					add(i, reflect.ValueOf(y).Convert(f.Type))
				}
			}
		case reflect.Bool:
			add(i, reflect.ValueOf(!fv.Bool()))
		case reflect.Slice:
			if f.Type.Elem().Kind() != reflect.Float64 {
				continue
			}
			for _, k := range []float64{0.5, 1.5} {
				s := reflect.MakeSlice(f.Type, fv.Len(), fv.Len())
				for j := range fv.Len() {
					s.Index(j).SetFloat(fv.Index(j).Float() * k)
				}
				add(i, s)
			}
		}
	}
	return out
}
