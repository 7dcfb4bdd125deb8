package filters

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// Measurements are what a Decider measured of a document's text: a small
// map of numbers, strings, booleans, lists of numbers and maps of numbers,
// all JSON-friendly (numbers are finite). After a trip through JSON, numbers
// come back as float64 and lists and maps as []any and map[string]any: read
// them with the typed getters, which accept both forms.
type Measurements map[string]any

// Decider is a Filter whose decision is a pure function of measurements it
// takes of the document (Measure) and of its decision parameters, the
// fields of its parameter struct tagged `decide:"true"`; every other
// parameter is a measurement parameter. Filter(d) must give exactly what
// Decide(d, Measure(d)) gives. Measure sets no signal; Decide sets every
// signal the step writes, from the measurements alone (it must not read
// d.Text), so that a document decided again with other decision parameters
// carries the signals a fresh run would give it.
//
// A Decider that is also a Ranker records its score under the key
// MeasureScore, and its Decide gives only the reason that removes a
// document before ranking.
type Decider interface {
	Filter
	// Measure returns what the decision needs of d.
	Measure(d *Doc) (Measurements, error)
	// Decide returns "" to keep d, or the reason that removes it, as
	// Filter would; it records the step's signals on d.
	Decide(d *Doc, m Measurements) (reason string, err error)
}

// MeasureScore is the measurement under which a Ranker's score is kept.
const MeasureScore = "score"

// get returns the measurement key or an error naming it.
func (m Measurements) get(key string) (any, error) {
	v, ok := m[key]
	if !ok {
		return nil, fmt.Errorf("measurement %q is missing", key)
	}
	return v, nil
}

// Float returns the number under key.
func (m Measurements) Float(key string) (float64, error) {
	v, err := m.get(key)
	if err != nil {
		return 0, err
	}
	f, ok := toFloat(v)
	if !ok {
		return 0, fmt.Errorf("measurement %q is a %T, want a number", key, v)
	}
	return f, nil
}

// Int returns the integer under key.
func (m Measurements) Int(key string) (int, error) {
	v, err := m.get(key)
	if err != nil {
		return 0, err
	}
	n, ok := toInt(v)
	if !ok {
		return 0, fmt.Errorf("measurement %q is %v (%T), want an integer", key, v, v)
	}
	return n, nil
}

// String returns the string under key.
func (m Measurements) String(key string) (string, error) {
	v, err := m.get(key)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("measurement %q is a %T, want a string", key, v)
	}
	return s, nil
}

// Bool returns the boolean under key.
func (m Measurements) Bool(key string) (bool, error) {
	v, err := m.get(key)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("measurement %q is a %T, want a boolean", key, v)
	}
	return b, nil
}

// Ints returns the list of integers under key.
func (m Measurements) Ints(key string) ([]int, error) {
	v, err := m.get(key)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case []int:
		return x, nil
	case []any:
		out := make([]int, len(x))
		for i, e := range x {
			n, ok := toInt(e)
			if !ok {
				return nil, fmt.Errorf("measurement %q[%d] is %v (%T), want an integer", key, i, e, e)
			}
			out[i] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("measurement %q is a %T, want a list of integers", key, v)
}

// FloatMap returns the map of numbers under key.
func (m Measurements) FloatMap(key string) (map[string]float64, error) {
	v, err := m.get(key)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case map[string]float64:
		return x, nil
	case map[string]any:
		out := make(map[string]float64, len(x))
		for k, e := range x {
			f, ok := toFloat(e)
			if !ok {
				return nil, fmt.Errorf("measurement %q[%q] is a %T, want a number", key, k, e)
			}
			out[k] = f
		}
		return out, nil
	}
	return nil, fmt.Errorf("measurement %q is a %T, want a map of numbers", key, v)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, false
		}
		return int(x), true
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0, false
		}
		return toInt(f)
	}
	return 0, false
}

// checkMeasurements reports whether m encodes as JSON and comes back with
// the same values: finite numbers, strings, booleans, lists and maps of them.
func checkMeasurements(m Measurements) error {
	for k, v := range m {
		if err := checkValue(v); err != nil {
			return fmt.Errorf("measurement %q: %w", k, err)
		}
	}
	return nil
}

func checkValue(v any) error {
	switch x := v.(type) {
	case nil, string, bool, int, int64, json.Number:
		return nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%v is not a finite number", x)
		}
		return nil
	case []int:
		return nil
	case []float64:
		for _, f := range x {
			if err := checkValue(f); err != nil {
				return err
			}
		}
		return nil
	case []any:
		for _, e := range x {
			if err := checkValue(e); err != nil {
				return err
			}
		}
		return nil
	case map[string]float64:
		for _, f := range x {
			if err := checkValue(f); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		for _, e := range x {
			if err := checkValue(e); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("a %T cannot be recorded", v)
}

// isDecisionField reports whether a parameter struct field is a decision
// parameter (tag `decide:"true"`).
func isDecisionField(f reflect.StructField) bool { return f.Tag.Get("decide") == "true" }

// MeasurementParams returns the canonical JSON of a step's measurement
// parameters: its parameters less the decision ones. Two steps with the same
// name and measurement parameters measure the same thing of the same text.
func MeasurementParams(params any) json.RawMessage {
	v := reflect.ValueOf(params)
	t := v.Type()
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		if isDecisionField(f) {
			continue
		}
		val, err := json.Marshal(v.Field(i).Interface())
		if err != nil {
			panic(fmt.Sprintf("filters: parameter %s does not marshal: %v", yamlName(f), err))
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(yamlName(f))
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

// paramDiffs lists the parameters in which a and b (values of one parameter
// type) differ, as "name: A vs B", the measurement ones only when measure is
// true, every one otherwise.
func paramDiffs(a, b any, measureOnly bool) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Type() != vb.Type() {
		return []string{fmt.Sprintf("parameters of type %s vs %s", va.Type(), vb.Type())}
	}
	t := va.Type()
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if measureOnly && isDecisionField(f) {
			continue
		}
		ja, _ := json.Marshal(va.Field(i).Interface())
		jb, _ := json.Marshal(vb.Field(i).Interface())
		if string(ja) != string(jb) {
			out = append(out, fmt.Sprintf("%s: %s vs %s", yamlName(f), clip(string(ja)), clip(string(jb))))
		}
	}
	return out
}

// clip shortens a long parameter value for a message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	return s[:57] + "..."
}

// DecisionParams returns the YAML names of the step's decision parameters.
func (e *Entry) DecisionParams() []string {
	var out []string
	for _, p := range e.Params() {
		if p.Decide {
			out = append(out, p.Name)
		}
	}
	return slices.Clip(out)
}
