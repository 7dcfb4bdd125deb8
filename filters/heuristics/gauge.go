package heuristics

import (
	"fmt"
	"math"

	"github.com/curator-dev/curator/filters"
)

// The filters of this package are Gaugers.
var (
	_ filters.Gauger = (*pageLength)(nil)
	_ filters.Gauger = (*wordLength)(nil)
	_ filters.Gauger = (*symbolRatio)(nil)
	_ filters.Gauger = (*bulletCount)(nil)
	_ filters.Gauger = (*ellipsisCount)(nil)
	_ filters.Gauger = (*alphaRatio)(nil)
	_ filters.Gauger = (*stopWord)(nil)
	_ filters.Gauger = (*wordRemovalRatio)(nil)
	_ filters.Gauger = (*repetition)(nil)
)

// The filters of this package are filters.Gaugers: each gauge is the
// number its decide function compares with a parameter, computed from the
// measurements with the same floating-point expression, NaN where the
// decision compares nothing (a ratio over zero words: the document is
// removed or kept before any comparison).

// keepAtMost is the threshold of a parameter that removes values above it.
func keepAtMost(param string, v float64) filters.Threshold {
	return filters.Threshold{Param: param, Value: v, Keep: "<="}
}

// keepAtLeast is the threshold of a parameter that removes values below it.
func keepAtLeast(param string, v float64) filters.Threshold {
	return filters.Threshold{Param: param, Value: v, Keep: ">="}
}

// checkValues reports whether values has room for n gauge values.
func checkValues(values []float64, n int) error {
	if err := filters.WantGauges(values, n); err != nil {
		return err
	}
	return nil
}

// Gauges implements filters.Gauger: the length in the step's unit.
func (f *pageLength) Gauges() []filters.Gauge {
	th := []filters.Threshold{keepAtLeast("min_length", float64(f.p.MinLength))}
	if f.p.MaxLength != noMax {
		th = append(th, keepAtMost("max_length", float64(f.p.MaxLength)))
	}
	return []filters.Gauge{filters.CountGauge(f.p.LengthType+"s", "length of the document in "+f.p.LengthType+"s", th...)}
}

// GaugeValues implements filters.Gauger.
func (f *pageLength) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	n, err := m.Int("n")
	if err != nil {
		return err
	}
	values[0] = float64(n)
	return nil
}

// Gauges implements filters.Gauger: the mean word length, 0 to 20 code
// points in quarters.
func (f *wordLength) Gauges() []filters.Gauge {
	th := []filters.Threshold{keepAtLeast("min_length", f.p.MinLength)}
	if f.p.MaxLength != noMax {
		th = append(th, keepAtMost("max_length", f.p.MaxLength))
	}
	return []filters.Gauge{{Name: "mean_word_length", Doc: "mean str.split word length in code points (NaN: no words)",
		Min: 0, Max: 20, Bins: 80, Thresholds: th}}
}

// GaugeValues implements filters.Gauger.
func (f *wordLength) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	v, err := ints(m, "words", "runes")
	if err != nil {
		return err
	}
	values[0] = math.NaN()
	if v[0] != 0 {
		values[0] = float64(v[1]) / float64(v[0]) // decide's mean
	}
	return nil
}

// Gauges implements filters.Gauger: symbols per word, 0 to 1 in
// hundredths (more falls in the overflow bin).
func (f *symbolRatio) Gauges() []filters.Gauge {
	return []filters.Gauge{{Name: "symbol_word_ratio", Doc: "symbols (#, ..., . . ., …) per str.split word (NaN: no words)",
		Min: 0, Max: 1, Bins: 100, Thresholds: []filters.Threshold{keepAtMost("max_symbol_to_word_ratio", f.p.MaxSymbolToWordRatio)}}}
}

// GaugeValues implements filters.Gauger.
func (f *symbolRatio) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	v, err := ints(m, "symbols", "words")
	if err != nil {
		return err
	}
	values[0] = math.NaN()
	if v[1] != 0 {
		values[0] = float64(v[0]) / float64(v[1]) // decide's ratio
	}
	return nil
}

// lineRatioValue sets values[0] to the lineRatio of the measurement key
// over "lines".
func lineRatioValue(m filters.Measurements, key string, maxRatio float64, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	v, err := ints(m, key, "lines")
	if err != nil {
		return err
	}
	values[0] = lineRatio(v[0], v[1], maxRatio)
	return nil
}

// lineRatio is the gauge value n/lines of a decision that removes a
// document when n > max*lines, as DCLM compares (NaN for no lines: 0 > 0
// keeps it). The ratio and the product round differently: 63 of 90 lines
// is 0.7 exactly as a ratio, but 0.7*90 is 62.99999999999999, so DCLM
// removes the document. Where they disagree, the value is moved by the
// rounding error to the side of max the decision took: the next float
// above max for a removed document, max for a kept one. So the value
// passes the threshold (<= max) iff the document is kept.
func lineRatio(n, lines int, maxRatio float64) float64 {
	if lines == 0 {
		return math.NaN()
	}
	r := float64(n) / float64(lines)
	removed := float64(n) > maxRatio*float64(lines)
	switch {
	case removed && !(r > maxRatio):
		return math.Nextafter(maxRatio, math.Inf(1))
	case !removed && r > maxRatio:
		return maxRatio
	}
	return r
}

// Gauges implements filters.Gauger: the fraction of bullet lines.
func (f *bulletCount) Gauges() []filters.Gauge {
	return []filters.Gauge{filters.FractionGauge("bullet_line_ratio",
		"fraction of the non-empty lines that start with a bullet (NaN: no lines)",
		keepAtMost("max_bullet_start_ratio", f.p.MaxBulletStartRatio))}
}

// GaugeValues implements filters.Gauger.
func (f *bulletCount) GaugeValues(m filters.Measurements, values []float64) error {
	return lineRatioValue(m, "bullets", f.p.MaxBulletStartRatio, values)
}

// Gauges implements filters.Gauger: the fraction of ellipsis lines.
func (f *ellipsisCount) Gauges() []filters.Gauge {
	return []filters.Gauge{filters.FractionGauge("ellipsis_line_ratio",
		"fraction of the non-empty lines that end with an ellipsis (NaN: no lines)",
		keepAtMost("max_ellipsis_end_ratio", f.p.MaxEllipsisEndRatio))}
}

// GaugeValues implements filters.Gauger.
func (f *ellipsisCount) GaugeValues(m filters.Measurements, values []float64) error {
	return lineRatioValue(m, "ellipses", f.p.MaxEllipsisEndRatio, values)
}

// Gauges implements filters.Gauger: the fraction of words without a letter.
func (f *alphaRatio) Gauges() []filters.Gauge {
	return []filters.Gauge{filters.FractionGauge("non_alpha_word_ratio",
		"fraction of the str.split words without an alphabetic character (NaN: no words)",
		keepAtMost("max_ratio", f.p.MaxRatio))}
}

// GaugeValues implements filters.Gauger.
func (f *alphaRatio) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	v, err := ints(m, "non_alpha", "words")
	if err != nil {
		return err
	}
	values[0] = math.NaN()
	if v[1] != 0 {
		values[0] = float64(v[0]) / float64(v[1]) // decide's ratio
	}
	return nil
}

// Gauges implements filters.Gauger: the stop word count. The bound is
// min_stop_word, or 1 when it is lower: as in DCLM, a document without
// stop words is removed even with min_stop_word 0.
func (f *stopWord) Gauges() []filters.Gauge {
	doc := "stop words among the str.split words"
	if f.p.CountUnique {
		doc = "distinct stop words among the str.split words"
	}
	return []filters.Gauge{filters.CountGauge("stop_words", doc,
		keepAtLeast("min_stop_word", float64(max(f.p.MinStopWord, 1))))}
}

// GaugeValues implements filters.Gauger.
func (f *stopWord) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	n, err := m.Int("stop_words")
	if err != nil {
		return err
	}
	values[0] = float64(n)
	return nil
}

// Gauges implements filters.Gauger: the fraction of the words removed
// (negative when words were added: below the axis).
func (f *wordRemovalRatio) Gauges() []filters.Gauge {
	return []filters.Gauge{filters.FractionGauge("removed_word_ratio",
		"fraction of the words counted before the modifiers that they removed (NaN: none before)",
		keepAtMost("max_removed_ratio", f.p.MaxRemovedRatio))}
}

// GaugeValues implements filters.Gauger.
func (f *wordRemovalRatio) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 1); err != nil {
		return err
	}
	v, err := ints(m, "prev", "cur")
	if err != nil {
		return err
	}
	values[0] = math.NaN()
	if v[0] != 0 {
		values[0] = float64(v[0]-v[1]) / float64(v[0]) // decide's ratio
	}
	return nil
}

// Gauges implements filters.Gauger: the fractions of the repetition
// checks, in DCLM's order, with the names of their removal reasons plus
// "_char_frac" for the n-gram ones (the paragraph ones only without
// skip_paragraph).
func (f *repetition) Gauges() []filters.Gauge {
	p := f.p
	gs := []filters.Gauge{filters.FractionGauge("dup_line_frac", "fraction of the lines that are duplicated",
		keepAtMost("max_line_count_frac", p.MaxLineCountFrac))}
	if !p.SkipParagraph {
		gs = append(gs, filters.FractionGauge("dup_para_frac", "fraction of the paragraphs that are duplicated",
			keepAtMost("max_paragraph_count_frac", p.MaxParagraphCountFrac)))
	}
	gs = append(gs, filters.FractionGauge("dup_line_char_frac", "fraction of the line characters in duplicated lines",
		keepAtMost("max_line_char_frac", p.MaxLineCharFrac)))
	if !p.SkipParagraph {
		gs = append(gs, filters.FractionGauge("dup_para_char_frac", "fraction of the paragraph characters in duplicated paragraphs",
			keepAtMost("max_paragraph_char_frac", p.MaxParagraphCharFrac)))
	}
	for n := 2; n <= 4; n++ {
		gs = append(gs, filters.FractionGauge(ngramReasons[n]+"_char_frac",
			fmt.Sprintf("fraction of the word characters covered by the most common %d-gram", n),
			keepAtMost(fmt.Sprintf("max_top_ngram_char_frac[%d]", n-2), p.MaxTopNgramCharFrac[n-2])))
	}
	for n := 5; n <= 10; n++ {
		gs = append(gs, filters.FractionGauge(ngramReasons[n]+"_char_frac",
			fmt.Sprintf("fraction of the word characters inside repeated %d-grams", n),
			keepAtMost(fmt.Sprintf("max_dup_ngram_char_frac[%d]", n-5), p.MaxDupNgramCharFrac[n-5])))
	}
	return gs
}

// GaugeValues implements filters.Gauger. The values are those the
// decision compares, as segCounts.fracs and ngramFails compute them, with
// these cases where the decision compares nothing:
//   - no lines (the document is removed as empty): every value is NaN;
//   - no paragraphs without skip_paragraph (removed as dup_para_frac,
//     Measure stops there): the paragraph and n-gram values are NaN;
//   - one segment, or none duplicated: both fractions of that segmentation
//     are 0, as fracs gives them;
//   - n-grams past the measured ones: the measurement stops at the first n
//     without a repeated n-gram (none longer repeats then), or before n = 2
//     with fewer than two words, and Filter passes every later check
//     without computing it. The fraction ngramRepetition would give is 0:
//     when nothing repeats, the most common n-gram's maxLen (n <= 4) and
//     the covered characters (n >= 5) stay 0. (With a negative threshold
//     Filter's early stop would pass a check the fraction 0 fails; the
//     thresholds are fractions, and CheckGauges would report it.)
func (f *repetition) GaugeValues(m filters.Measurements, values []float64) error {
	gs := 9 + 2
	if !f.p.SkipParagraph {
		gs += 2
	}
	if err := checkValues(values, gs); err != nil {
		return err
	}
	for i := range values {
		values[i] = math.NaN()
	}
	n, err := m.Int("lines")
	if err != nil || n == 0 {
		return err
	}
	lines, err := getSeg(m, "line", n)
	if err != nil {
		return err
	}
	lc, lch := lines.fracs()
	if f.p.SkipParagraph {
		values[0], values[1] = lc, lch
	} else {
		values[0], values[2] = lc, lch
		pn, err := m.Int("paras")
		if err != nil || pn == 0 {
			return err
		}
		paras, err := getSeg(m, "para", pn)
		if err != nil {
			return err
		}
		values[1], values[3] = paras.fracs()
	}
	nums, err := m.Ints("ngram")
	if err != nil {
		return err
	}
	total, err := m.Int("word_chars")
	if err != nil {
		return err
	}
	ng := values[gs-9:]
	for i := range ng {
		ng[i] = 0
		if i < len(nums) {
			ng[i] = float64(nums[i]) / float64(total) // ngramFails' frac
		}
	}
	return nil
}
