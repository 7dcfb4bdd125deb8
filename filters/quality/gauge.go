package quality

import (
	"github.com/curator-dev/curator/filters"
)

// Both forms of the step are Gaugers.
var (
	_ filters.Gauger = (*qualityStep)(nil)
	_ filters.Gauger = rankStep{}
)

// Gauges implements filters.Gauger: the score, with the threshold a
// document is kept at (score >= threshold) when the step has one. A
// threshold of 0 or less removes nothing (scores are probabilities) and is
// not drawn. The keep_top form (rankStep, which embeds the step) has no
// threshold here: the run fixes it once every document is scored.
func (s *qualityStep) Gauges() []filters.Gauge {
	var th []filters.Threshold
	if s.p.KeepTop == 0 && s.p.Threshold > 0 {
		th = append(th, filters.Threshold{Param: "threshold", Value: s.p.Threshold, Keep: ">="})
	}
	return []filters.Gauge{filters.ScoreGauge("score", "probability of "+s.p.PositiveLabel, th...)}
}

// GaugeValues implements filters.Gauger.
func (s *qualityStep) GaugeValues(m filters.Measurements, values []float64) error {
	if err := filters.WantGauges(values, 1); err != nil {
		return err
	}
	score, err := m.Float(filters.MeasureScore)
	if err != nil {
		return err
	}
	values[0] = score
	return nil
}
