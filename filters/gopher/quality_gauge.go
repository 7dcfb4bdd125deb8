package gopher

import (
	"math"

	"github.com/curator-dev/curator/filters"
)

var (
	_ filters.Gauger = (*quality)(nil)
	_ filters.Gauger = (*repetition)(nil)
)

func keepAtMost(param string, v float64) []filters.Threshold {
	if v == 0 {
		return nil // a 0 threshold skips the check
	}
	return []filters.Threshold{{Param: param, Value: v, Keep: "<="}}
}

func keepAtLeast(param string, v float64) []filters.Threshold {
	if v == 0 {
		return nil
	}
	return []filters.Threshold{{Param: param, Value: v, Keep: ">="}}
}

func checkValues(values []float64, n int) error {
	if err := filters.WantGauges(values, n); err != nil {
		return err
	}
	return nil
}

// Gauges implements filters.Gauger: the numbers datatrove compares, in
// its order.
func (f *quality) Gauges() []filters.Gauge {
	p := f.p
	words := filters.CountGauge("non_symbol_words", "words with a character outside PUNCTUATION",
		append(keepAtLeast("min_doc_words", float64(p.MinDocWords)), keepAtMost("max_doc_words", float64(p.MaxDocWords))...)...)
	avg := filters.Gauge{Name: "avg_word_length", Doc: "mean length of the non-symbol words in code points (NaN: none)",
		Min: 0, Max: 20, Bins: 80,
		Thresholds: append(keepAtLeast("min_avg_word_length", p.MinAvgWordLength), keepAtMost("max_avg_word_length", p.MaxAvgWordLength)...)}
	ratio := func(name, doc, param string, v float64) filters.Gauge {
		return filters.Gauge{Name: name, Doc: doc, Min: 0, Max: 1, Bins: 100, Thresholds: keepAtMost(param, v)}
	}
	return []filters.Gauge{
		words, avg,
		ratio("hash_word_ratio", "'#' per word", "max_symbol_word_ratio", p.MaxSymbolWordRatio),
		ratio("ellipsis_word_ratio", "'...' and '…' per word", "max_symbol_word_ratio", p.MaxSymbolWordRatio),
		filters.FractionGauge("bullet_lines_ratio", "fraction of the lines starting with '•' or '-'",
			keepAtMost("max_bullet_lines_ratio", p.MaxBulletLinesRatio)...),
		filters.FractionGauge("ellipsis_lines_ratio", "fraction of the lines ending with '...' or '…'",
			keepAtMost("max_ellipsis_lines_ratio", p.MaxEllipsisLinesRatio)...),
		filters.FractionGauge("alpha_words_ratio", "fraction of the words with an alphabetic character",
			keepAtLeast("max_non_alpha_words_ratio", p.MaxNonAlphaWordsRatio)...),
		filters.CountGauge("stop_words", "words equal to a stop word", keepAtLeast("min_stop_words", float64(p.MinStopWords))...),
	}
}

// GaugeValues implements filters.Gauger: the values decide compares, NaN
// for a text without words (removed as empty before any comparison).
func (f *quality) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 8); err != nil {
		return err
	}
	c, err := readQuality(m)
	if err != nil {
		return err
	}
	if c.words == 0 {
		for i := range values {
			values[i] = math.NaN()
		}
		return nil
	}
	r := c.ratios()
	copy(values, []float64{float64(c.nonSymbolWords), r.avgWordLength, r.hashRatio, r.ellipsisRatio,
		r.bulletRatio, r.endEllipsisRatio, r.alphaRatio, float64(c.stopWords)})
	return nil
}
