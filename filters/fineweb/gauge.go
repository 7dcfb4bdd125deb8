package fineweb

import (
	"math"

	"github.com/curator-dev/curator/filters"
)

// Gauges implements filters.Gauger: the four ratios datatrove compares,
// in its order, named after their removal reasons.
func (f *quality) Gauges() []filters.Gauge {
	p := f.p
	var punct []filters.Threshold
	if !p.LinePunctExcludeZero { // else a kept document may have a ratio of 0
		punct = []filters.Threshold{{Param: "line_punct_thr", Value: p.LinePunctThr, Keep: ">"}}
	}
	return []filters.Gauge{
		filters.FractionGauge(ReasonLinePunct, "fraction of the lines ending with . ' \" ! ?", punct...),
		filters.FractionGauge(ReasonShortLine, "fraction of the lines of at most short_line_length code points",
			filters.Threshold{Param: "short_line_thr", Value: p.ShortLineThr, Keep: "<"}),
		filters.FractionGauge(ReasonCharDup, "code points of repeated non-blank lines over the text's without newlines (NaN: none)",
			filters.Threshold{Param: "char_duplicates_ratio", Value: p.CharDuplicatesRatio, Keep: "<"}),
		{Name: ReasonList, Doc: "newlines per word (NaN: no word)", Min: 0, Max: 1, Bins: 50,
			Thresholds: []filters.Threshold{{Param: "new_line_ratio", Value: p.NewLineRatio, Keep: "<="}}},
	}
}

// GaugeValues implements filters.Gauger.
func (f *quality) GaugeValues(m filters.Measurements, values []float64) error {
	if err := filters.WantGauges(values, 4); err != nil {
		return err
	}
	c, err := read(m)
	if err != nil {
		return err
	}
	values[0] = float64(c.punctLines) / float64(c.lines)
	values[1] = float64(c.shortLines) / float64(c.lines)
	values[2], values[3] = math.NaN(), math.NaN()
	if c.chars > 0 {
		values[2] = float64(c.dupChars) / float64(c.chars)
	}
	if c.words > 0 {
		values[3] = float64(c.newlines) / float64(c.words)
	}
	return nil
}
