package langid

import (
	"math"

	"github.com/curator-dev/curator/filters"
)

var _ filters.Gauger = (*step)(nil)

// Gauges implements filters.Gauger. In page mode the gauge is the top
// language's probability, whatever the language: the decision compares it
// with the threshold when the top language is one to keep, and removes a
// document of another language as language however high its probability.
// In paragraph mode the decision compares the keep languages' share of
// the text: that is the gauge (the top language's share when there is no
// language to keep). The threshold is drawn only with keep: without, the
// step removes nothing. A document with no language (too short, no
// letters) is removed before any comparison: its value is NaN.
func (s *step) Gauges() []filters.Gauge {
	var th []filters.Threshold
	if len(s.keep) > 0 {
		th = append(th, filters.Threshold{Param: "threshold", Value: s.p.Threshold, Keep: ">"})
	}
	switch {
	case s.p.Mode != ModeParagraph:
		return []filters.Gauge{filters.ScoreGauge("top_score", "probability of the most likely language", th...)}
	case len(s.keep) > 0:
		return []filters.Gauge{filters.ScoreGauge("keep_share", "share of the text's characters in the languages to keep", th...)}
	}
	return []filters.Gauge{filters.ScoreGauge("top_share", "share of the text's characters in the most common language")}
}

// GaugeValues implements filters.Gauger.
func (s *step) GaugeValues(m filters.Measurements, values []float64) error {
	if err := filters.WantGauges(values, 1); err != nil {
		return err
	}
	values[0] = math.NaN()
	top, err := m.String("top")
	if err != nil || top == "" {
		return err
	}
	score, err := m.Float("score")
	if err != nil {
		return err
	}
	if s.p.Mode != ModeParagraph || len(s.keep) == 0 {
		values[0] = score
		return nil
	}
	p, err := m.FloatMap("p")
	if err != nil {
		return err
	}
	// decide's sum, in its order.
	share := 0.0
	for _, k := range s.keep {
		share += p[k]
	}
	values[0] = share
	return nil
}
