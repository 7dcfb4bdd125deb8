package urlfilter

import (
	"fmt"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// checkRemovalGauge checks that url_substring_filter removes d exactly
// when its gauge value fails the threshold (a removal is threshold-driven
// in both modes).
func checkRemovalGauge(step any, d *filters.Doc) error {
	g := step.(filters.Gauger)
	reason, err := g.Filter(d.Clone())
	if err != nil {
		return nil
	}
	m, err := g.Measure(d.Clone())
	if err != nil {
		return err
	}
	gs := g.Gauges()
	v := make([]float64, len(gs))
	if err := g.GaugeValues(m, v); err != nil {
		return err
	}
	if len(gs) != 1 || len(gs[0].Thresholds) != 1 {
		return fmt.Errorf("gauges %+v", gs)
	}
	if pass := gs[0].Thresholds[0].Satisfied(v[0]); pass != (reason == "") {
		return fmt.Errorf("url %q: reason %q, gauge %s = %v against %+v", d.URL, reason, gs[0].Name, v[0], gs[0].Thresholds[0])
	}
	return nil
}

// TestGauges checks the gauges of both modes on a few URLs.
func TestGauges(t *testing.T) {
	e, _ := filters.Lookup("url_substring_filter")
	for _, c := range []struct {
		p     SubstringParams
		url   string
		name  string
		value float64
	}{
		{SubstringParams{Banlist: Strings{"xxx.com", "bad.org"}, NumBannedSubstrs: 1, ExactDomainMatch: true}, "http://xxx.com/a", "domain_banned", 1},
		{SubstringParams{Banlist: Strings{"xxx.com", "bad.org"}, NumBannedSubstrs: 1, ExactDomainMatch: true}, "http://good.com/xxx.com", "domain_banned", 0},
		{SubstringParams{Banlist: Strings{"foo", "bar", "baz"}, NumBannedSubstrs: 2, MatchSubstrings: true}, "http://foo.com/bar/baz/foo", "banned_substrings", 3},
		{SubstringParams{Banlist: Strings{"foo", "bar", "baz"}, NumBannedSubstrs: 2, MatchSubstrings: true}, "http://foo.com/", "banned_substrings", 1},
		{SubstringParams{Banlist: Strings{"foo", "bar", "baz"}, NumBannedSubstrs: 2, MatchSubstrings: true}, "http://example.com/", "banned_substrings", 0},
	} {
		st, err := e.Build(c.p, filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		g := st.(filters.Gauger)
		gs := g.Gauges()
		d := &filters.Doc{ID: c.url, URL: c.url}
		m, err := g.Measure(d)
		if err != nil {
			t.Fatal(err)
		}
		v := make([]float64, len(gs))
		if err := g.GaugeValues(m, v); err != nil {
			t.Fatal(err)
		}
		if len(gs) != 1 || gs[0].Name != c.name || v[0] != c.value {
			t.Errorf("%s: gauges %+v, values %v, want %s = %v", c.url, gs, v, c.name, c.value)
		}
		if err := filters.CheckGauges(st, d); err != nil {
			t.Error(err)
		}
		if err := checkRemovalGauge(st, d); err != nil {
			t.Error(err)
		}
	}
}
