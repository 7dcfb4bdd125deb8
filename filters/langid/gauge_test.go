package langid

import (
	"math"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// checkGaugeReason checks the lang step's gauge against its reason on d:
// a document removed below the threshold has a value that fails it, one
// with no language a NaN value, one removed for its language or kept with
// keep a defined one (CheckGauges checks that a kept one passes). It returns 1
// for a removal below the threshold.
func checkGaugeReason(t *testing.T, s *step, d *filters.Doc) int {
	t.Helper()
	reason, err := s.Filter(d.Clone())
	if err != nil {
		return 0
	}
	m, err := s.Measure(d.Clone())
	if err != nil {
		t.Fatal(err)
	}
	g := s.Gauges()
	v := make([]float64, len(g))
	if err := s.GaugeValues(m, v); err != nil {
		t.Fatal(err)
	}
	switch reason {
	case ReasonTooShort, ReasonNoLanguage:
		if !math.IsNaN(v[0]) {
			t.Errorf("document %s removed as %s has gauge %s = %v, want NaN", d.ID, reason, g[0].Name, v[0])
		}
	case ReasonBelowThreshold:
		if len(g[0].Thresholds) != 1 || g[0].Thresholds[0].Satisfied(v[0]) {
			t.Errorf("document %s removed as %s has gauge %s = %v, passing %+v", d.ID, reason, g[0].Name, v[0], g[0].Thresholds)
		}
		return 1
	default:
		// Removed for its language, or kept by a step with keep: a
		// language was found. Without keep, a document with none is kept.
		if math.IsNaN(v[0]) && (reason != "" || len(s.keep) > 0) {
			t.Errorf("document %s (reason %q) has no gauge value", d.ID, reason)
		}
	}
	return 0
}

// TestGauges checks the gauge of each mode, with and without keep.
func TestGauges(t *testing.T) {
	for _, c := range []struct {
		p     Params
		name  string
		thres bool
	}{
		{Params{Languages: focus, Keep: []string{"en"}, Threshold: 0.65, Key: "k", Mode: ModePage}, "top_score", true},
		{Params{Languages: focus, Key: "k"}, "top_score", false},
		{Params{Languages: focus, Keep: []string{"en", "de"}, Threshold: 0.5, Key: "k", Mode: ModeParagraph}, "keep_share", true},
		{Params{Languages: focus, Key: "k", Mode: ModeParagraph}, "top_share", false},
	} {
		s := buildLang(t, c.p)
		g := s.Gauges()
		if len(g) != 1 || g[0].Name != c.name || (len(g[0].Thresholds) == 1) != c.thres || g[0].Check() != nil {
			t.Errorf("%+v: gauges %+v", c.p, g)
			continue
		}
		if c.thres && (g[0].Thresholds[0].Keep != ">" || g[0].Thresholds[0].Value != c.p.Threshold) {
			t.Errorf("%+v: threshold %+v", c.p, g[0].Thresholds)
		}
	}
	// A paragraph of English and one of German: the keep share adds both.
	s := buildLang(t, Params{Languages: focus, Keep: []string{"en", "de"}, Threshold: 0.9, Key: "k", Calibrated: true, Mode: ModeParagraph})
	d := &filters.Doc{ID: "en+de", Text: "The weather in London is rainy again today, and the trains are late.\n" +
		"Das Wetter in Berlin ist heute wieder regnerisch, und die Züge haben Verspätung."}
	m, err := s.Measure(d)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float64, 1)
	if err := s.GaugeValues(m, v); err != nil {
		t.Fatal(err)
	}
	p := m["p"].(map[string]float64)
	if p["en"] == 0 || p["de"] == 0 || v[0] != p["en"]+p["de"] {
		t.Errorf("keep share %v from %v", v[0], p)
	}
	if r, _ := s.Filter(d.Clone()); (r == "") != (v[0] > 0.9) {
		t.Errorf("reason %q with keep share %v", r, v[0])
	}
	if err := filters.CheckGauges(s, d); err != nil {
		t.Error(err)
	}
}
