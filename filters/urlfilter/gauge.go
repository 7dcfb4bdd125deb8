package urlfilter

import (
	"github.com/curator-dev/curator/filters"
)

var _ filters.Gauger = (*substringFilter)(nil)

// Gauges implements filters.Gauger. Matching banned strings, the gauge is
// the number of distinct banned strings in the URL (every one, not only
// up to num_banned_substrs), kept below num_banned_substrs. Matching
// domains, it is 1 for a domain on the list and 0 otherwise, on an axis of
// two bins, kept below 1: the report shows the share of banned domains.
func (f *substringFilter) Gauges() []filters.Gauge {
	if f.domains != nil {
		param := "banlist"
		if f.p.BanlistFromFname != "" {
			param = "banlist_from_fname"
		}
		return []filters.Gauge{{Name: "domain_banned", Doc: "1 when the URL's domain is on the list, else 0",
			Min: 0, Max: 2, Bins: 2, Thresholds: []filters.Threshold{{Param: param, Value: 1, Keep: "<"}}}}
	}
	return []filters.Gauge{filters.CountGauge("banned_substrings", "distinct banned strings in the URL",
		filters.Threshold{Param: "num_banned_substrs", Value: float64(f.p.NumBannedSubstrs), Keep: "<"})}
}

// GaugeValues implements filters.Gauger.
func (f *substringFilter) GaugeValues(m filters.Measurements, values []float64) error {
	if err := filters.WantGauges(values, 1); err != nil {
		return err
	}
	if f.domains != nil {
		banned, err := m.Bool("domain_banned")
		if err != nil {
			return err
		}
		values[0] = 0
		if banned {
			values[0] = 1
		}
		return nil
	}
	n, err := m.Int("banned")
	if err != nil {
		return err
	}
	values[0] = float64(n)
	return nil
}
