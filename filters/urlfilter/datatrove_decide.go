package urlfilter

import (
	"errors"
	"log/slog"

	"github.com/curator-dev/curator/filters"
)

var (
	_ filters.Decider = (*datatroveFilter)(nil)
	_ filters.Gauger  = (*datatroveFilter)(nil)
)

// dtMeasure is what url_filter measures of a URL: every rule's finding,
// whichever fires first, so that a decision from recorded measurements is
// the same computation.
type dtMeasure struct {
	domain, subdomain, url bool
	hard, soft             int // distinct banned and soft banned words
	subword                bool
}

func (f *datatroveFilter) measure(d *filters.Doc) dtMeasure {
	url := d.URL
	if url == "" {
		// datatrove asserts a URL; curator keeps the document (no rule can
		// fire) and says so once: evaluation pages and many JSONL pools
		// have none, and a reader's URL field may be misnamed.
		f.noURL.Do(func() {
			slog.Warn("url_filter: documents without a URL pass the step", "first", d.ID)
		})
		return dtMeasure{}
	}
	var m dtMeasure
	h := splitHost(url)
	_, m.domain = f.domains[h.registered]
	_, m.subdomain = f.domains[h.fqdn]
	_, m.url = f.urls[url]
	for w := range urlWords(url) {
		if _, ok := f.banned[w]; ok {
			m.hard++
		}
		if _, ok := f.soft[w]; ok {
			m.soft++
		}
	}
	m.subword = f.subwords != nil && f.subwords.count(normalize(url), 1) > 0
	return m
}

// decide is datatrove's URLFilter.filter over the measurements.
func (f *datatroveFilter) decide(m dtMeasure) string {
	switch {
	case m.domain:
		return ReasonDTDomain
	case m.subdomain:
		return ReasonDTSubdomain
	case m.url:
		return ReasonDTURL
	case m.hard > 0:
		return ReasonDTHard
	case m.soft >= f.p.SoftWordThreshold:
		return ReasonDTSoft
	case m.subword:
		return ReasonDTSubword
	}
	return ""
}

// Filter implements filters.Filter.
func (f *datatroveFilter) Filter(d *filters.Doc) (string, error) {
	return f.decide(f.measure(d)), nil
}

// Measure implements filters.Decider.
func (f *datatroveFilter) Measure(d *filters.Doc) (filters.Measurements, error) {
	m := f.measure(d)
	return filters.Measurements{"domain": m.domain, "subdomain": m.subdomain, "url": m.url,
		"banned_words": m.hard, "soft_banned_words": m.soft, "banned_subword": m.subword}, nil
}

func readDTMeasure(ms filters.Measurements) (dtMeasure, error) {
	var m dtMeasure
	var errs []error
	for _, b := range []struct {
		key string
		v   *bool
	}{{"domain", &m.domain}, {"subdomain", &m.subdomain}, {"url", &m.url}, {"banned_subword", &m.subword}} {
		v, err := ms.Bool(b.key)
		errs = append(errs, err)
		*b.v = v
	}
	var err error
	m.hard, err = ms.Int("banned_words")
	errs = append(errs, err)
	m.soft, err = ms.Int("soft_banned_words")
	errs = append(errs, err)
	return m, errors.Join(errs...)
}

// Decide implements filters.Decider.
func (f *datatroveFilter) Decide(_ *filters.Doc, ms filters.Measurements) (string, error) {
	m, err := readDTMeasure(ms)
	if err != nil {
		return "", err
	}
	return f.decide(m), nil
}

// Gauges implements filters.Gauger: the one threshold, on the number of
// distinct soft banned words in the URL.
func (f *datatroveFilter) Gauges() []filters.Gauge {
	return []filters.Gauge{filters.CountGauge("soft_banned_words", "distinct soft banned words among the URL's alphanumeric runs",
		filters.Threshold{Param: "soft_word_threshold", Value: float64(f.p.SoftWordThreshold), Keep: "<"})}
}

// GaugeValues implements filters.Gauger.
func (f *datatroveFilter) GaugeValues(ms filters.Measurements, values []float64) error {
	if err := filters.WantGauges(values, 1); err != nil {
		return err
	}
	n, err := ms.Int("soft_banned_words")
	if err != nil {
		return err
	}
	values[0] = float64(n)
	return nil
}
