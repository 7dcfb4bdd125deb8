package metrics

import (
	"math"
	"strings"
	"testing"
)

// FuzzExposition writes a registry with fuzzed help text, label values and
// sample values and checks that the strict parser reads back exactly what
// was put in.
func FuzzExposition(f *testing.F) {
	f.Add("help", "value", "other", 1.5, 0.25)
	f.Add("a \\ b\nc \"d\"", "\\\"\n", "", math.Inf(-1), math.NaN())
	f.Add("", "\xff\xfe", "\x00", 1e300, math.Copysign(0, -1))
	f.Fuzz(func(t *testing.T, help, v1, v2 string, x, obs float64) {
		if help == "" {
			help = "h"
		}
		r := NewRegistry()
		r.NewGaugeVec("g", help, "a", "b").With(v1, v2).Set(x)
		h := r.NewHistogramVec("h", help, []float64{-1, 0, 1e-9, 1}, "a")
		h.With(v1).Observe(obs)
		h.With(v2).Observe(x)
		text := scrape(t, r)
		e, err := parseExposition(text)
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		if want := strings.ToValidUTF8(help, "\uFFFD"); e.help["g"] != want {
			t.Errorf("help %q, want %q", e.help["g"], want)
		}
		s := e.samples[0]
		if s.name != "g" || s.labels["a"] != strings.ToValidUTF8(v1, "\uFFFD") || s.labels["b"] != strings.ToValidUTF8(v2, "\uFFFD") {
			t.Errorf("sample %+v, want labels %q %q", s, v1, v2)
		}
		if s.value != x && !(math.IsNaN(x) && math.IsNaN(s.value)) {
			t.Errorf("value %v, want %v", s.value, x)
		}
	})
}

// FuzzParseExposition checks the test's parser never panics and that any
// text it accepts has samples whose values format back to a line it
// accepts too.
func FuzzParseExposition(f *testing.F) {
	f.Add("# HELP a x\n# TYPE a counter\na{b=\"c\"} 1\n")
	f.Add("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\n")
	r := NewRegistry()
	r.NewCounterVec("c_total", "a \\ b\nc", "x", "y").With("q\"\\\n", "").Add(1.5)
	r.NewHistogramVec("h", "h", []float64{-1, 0.5}, "x").With("a").Observe(0.1)
	r.NewGauge("g", "g").Set(math.Inf(-1))
	f.Add(scrape(f, r))
	f.Fuzz(func(t *testing.T, text string) {
		e, err := parseExposition(text)
		if err != nil {
			return
		}
		for _, s := range e.samples {
			line := string(appendSample(nil, s.name, "", nil, nil, "", "", s.value))
			if _, err := parseSample(strings.TrimSuffix(line, "\n")); err != nil {
				t.Errorf("value of %+v formats as %q: %v", s, line, err)
			}
		}
	})
}
