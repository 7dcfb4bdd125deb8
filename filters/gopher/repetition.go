package gopher

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// NGramFrac is one n-gram check of gopher_repetition: datatrove's (n,
// frac) pair.
type NGramFrac struct {
	N    int     `yaml:"n" json:"n"`
	Frac float64 `yaml:"frac" json:"frac"`
}

// RepetitionParams are the parameters of gopher_repetition, with
// datatrove's names and defaults (GopherRepetitionFilter, Gopher's Table
// A1). A fraction of 0 skips its check, as datatrove's falsy None does.
// top_n_grams and dup_n_grams say which n-grams are measured, so they are
// measurement parameters.
type RepetitionParams struct {
	DupLineFrac     float64     `yaml:"dup_line_frac" decide:"true" doc:"drop when more than this fraction of the lines (split at runs of \\n) repeat an earlier line; 0 skips the check"`
	DupParaFrac     float64     `yaml:"dup_para_frac" decide:"true" doc:"drop when more than this fraction of the paragraphs (stripped text split at runs of two or more \\n) repeat an earlier one; 0 skips the check"`
	DupLineCharFrac float64     `yaml:"dup_line_char_frac" decide:"true" doc:"drop when the repeated lines hold more than this fraction of the text's code points; 0 skips the check"`
	DupParaCharFrac float64     `yaml:"dup_para_char_frac" decide:"true" doc:"drop when the repeated paragraphs hold more than this fraction of the text's code points; 0 skips the check"`
	TopNGrams       []NGramFrac `yaml:"top_n_grams" doc:"(n, frac) pairs: drop when the most common word n-gram (joined with spaces) times its count exceeds frac of the text's code points"`
	DupNGrams       []NGramFrac `yaml:"dup_n_grams" doc:"(n, frac) pairs: drop when the code points of the repeated word n-grams (datatrove's find_all_duplicate) exceed frac of the text's"`
}

// DefaultRepetitionParams returns datatrove's defaults.
func DefaultRepetitionParams() RepetitionParams {
	return RepetitionParams{
		DupLineFrac: 0.3, DupParaFrac: 0.3, DupLineCharFrac: 0.2, DupParaCharFrac: 0.2,
		TopNGrams: []NGramFrac{{2, 0.2}, {3, 0.18}, {4, 0.16}},
		DupNGrams: []NGramFrac{{5, 0.15}, {6, 0.14}, {7, 0.13}, {8, 0.12}, {9, 0.11}, {10, 0.10}},
	}
}

// Validate checks the parameters.
func (p RepetitionParams) Validate() error {
	for _, g := range append(append([]NGramFrac(nil), p.TopNGrams...), p.DupNGrams...) {
		if g.N < 1 || g.N > 1000 {
			return fmt.Errorf("n-gram size %d: want 1 to 1000", g.N)
		}
		if math.IsNaN(g.Frac) {
			return errors.New("n-gram fraction is not a number")
		}
	}
	return nil
}

type repetition struct {
	p     RepetitionParams
	grams gramPool
}

// repCounts are what gopher_repetition measures: counts only.
type repCounts struct {
	chars                      int // code points of the text
	paras, paraDups, paraChars int // paragraphs, repeats, their code points
	lines, lineDups, lineChars int
	top                        []int // per top_n_grams: top n-gram length x count, -1 without n-grams
	dup                        []int // per dup_n_grams: repeated n-gram code points
}

// findDuplicates is datatrove's find_duplicates: the elements equal to an
// earlier one, and their code points.
func findDuplicates(xs []string) (n, chars int) {
	seen := make(map[string]struct{}, len(xs))
	for _, x := range xs {
		if _, ok := seen[x]; ok {
			n++
			chars += text.RuneLen(x)
		} else {
			seen[x] = struct{}{}
		}
	}
	return n, chars
}

// splitParagraphs is re.split(r"\n{2,}", text.strip()).
func splitParagraphs(s string) []string { return splitNewlines(text.Strip(s), 2) }

// splitLines is re.split("\n+", text).
func splitLines(s string) []string { return splitNewlines(s, 1) }

// splitNewlines splits s at runs of at least min '\n'.
func splitNewlines(s string, min int) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		if s[i] != '\n' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '\n' {
			j++
		}
		if j-i >= min {
			out = append(out, s[start:i])
			start = j
		}
		i = j
	}
	return append(out, s[start:])
}

// joined is the words put together with a separator, with the byte and
// code point offsets of each word, so that the n-gram at i is a substring.
type joined struct {
	s     string
	bytes []int // bytes[i]: where word i starts; bytes[len] = len(s) + len(sep)
	runes []int // runes[i]: code points before word i, separators included
	sep   int   // separator length (bytes and code points: "" or " ")
}

func join(words []string, sep string) joined {
	j := joined{s: strings.Join(words, sep), sep: len(sep),
		bytes: make([]int, len(words)+1), runes: make([]int, len(words)+1)}
	for i, w := range words {
		j.bytes[i+1] = j.bytes[i] + len(w) + len(sep)
		j.runes[i+1] = j.runes[i] + text.RuneLen(w) + len(sep)
	}
	return j
}

// gram returns the n-gram at i and its length in code points.
func (j joined) gram(i, n int) (string, int) {
	return j.s[j.bytes[i] : j.bytes[i+n]-j.sep], j.runes[i+n] - j.runes[i] - j.sep
}

// topDuplicate is datatrove's find_top_duplicate over get_n_grams(words,
// n): the length of the most common n-gram joined with spaces (the first
// seen among equally common ones, as Counter.most_common) times its count;
// -1 when there is no n-gram. Words hold no space, so n-grams are equal
// exactly when their joined strings are.
func topDuplicate(j joined, words, n int) int {
	if words < n {
		return -1
	}
	type entry struct{ count, first int }
	grams := make(map[string]*entry, words)
	var best *entry
	bestLen := 0
	for i := 0; i+n <= words; i++ {
		g, l := j.gram(i, n)
		e, ok := grams[g]
		if !ok {
			e = &entry{first: i}
			grams[g] = e
		}
		e.count++
		if best == nil || e.count > best.count || (e.count == best.count && e.first < best.first) {
			best, bestLen = e, l
		}
	}
	return bestLen * best.count
}

// allDuplicate is datatrove's find_all_duplicate(words, n): scanning
// left to right, an n-gram (its words concatenated without a separator,
// so that "ab c" and "a bc" are the same) seen before adds its code points
// and skips n words; any other adds itself to the seen set and moves one
// word. j joins the words without a separator.
func allDuplicate(j joined, words, n int) int {
	seen := make(map[string]struct{}, words)
	repeated := 0
	for i := 0; i < words-n+1; {
		g, l := j.gram(i, n)
		if _, ok := seen[g]; ok {
			repeated += l
			i += n
		} else {
			seen[g] = struct{}{}
			i++
		}
	}
	return repeated
}

func (f *repetition) count(d *filters.Doc) repCounts {
	s := d.Text
	c := repCounts{chars: text.RuneLen(s)}
	if c.chars == 0 {
		return c
	}
	paras := splitParagraphs(s)
	c.paras = len(paras)
	c.paraDups, c.paraChars = findDuplicates(paras)
	lines := splitLines(s)
	c.lines = len(lines)
	c.lineDups, c.lineChars = findDuplicates(lines)
	ws := words(d)
	h := f.grams.get()
	defer f.grams.put(h)
	c.top = make([]int, len(f.p.TopNGrams))
	if len(f.p.TopNGrams) > 0 {
		spaced := join(ws, " ")
		h.reset(spaced)
		for i, g := range f.p.TopNGrams {
			c.top[i] = h.topDuplicateHashed(spaced, len(ws), g.N)
		}
	}
	c.dup = make([]int, len(f.p.DupNGrams))
	if len(f.p.DupNGrams) > 0 {
		glued := join(ws, "")
		h.reset(glued)
		for i, g := range f.p.DupNGrams {
			c.dup[i] = h.allDuplicateHashed(glued, len(ws), g.N)
		}
	}
	return c
}

// fracs are the fractions gopher_repetition compares, in datatrove's
// order: paragraph count and characters, line count and characters, then
// one per top_n_grams (NaN: no n-gram, the check is skipped) and one per
// dup_n_grams.
func (f *repetition) fracs(c repCounts) []float64 {
	out := []float64{div(c.paraDups, c.paras), div(c.paraChars, c.chars),
		div(c.lineDups, c.lines), div(c.lineChars, c.chars)}
	for _, t := range c.top {
		if t < 0 {
			out = append(out, math.NaN())
		} else {
			out = append(out, div(t, c.chars))
		}
	}
	for _, n := range c.dup {
		out = append(out, div(n, c.chars))
	}
	return out
}

// decide is datatrove's GopherRepetitionFilter.filter on the counts, plus
// "empty" for an empty text (datatrove divides by len(text)).
func (f *repetition) decide(c repCounts) string {
	if c.chars == 0 {
		return "empty"
	}
	p := f.p
	fr := f.fracs(c)
	switch {
	case p.DupParaFrac != 0 && fr[0] > p.DupParaFrac:
		return "dup_para_frac"
	case p.DupParaCharFrac != 0 && fr[1] > p.DupParaCharFrac:
		return "dup_para_char_frac"
	case p.DupLineFrac != 0 && fr[2] > p.DupLineFrac:
		return "dup_line_frac"
	case p.DupLineCharFrac != 0 && fr[3] > p.DupLineCharFrac:
		return "dup_line_char_frac"
	}
	for i, g := range p.TopNGrams {
		if v := fr[4+i]; v > g.Frac { // NaN: no n-gram, skipped
			return fmt.Sprintf("top_%d_gram", g.N)
		}
	}
	for i, g := range p.DupNGrams {
		if fr[4+len(p.TopNGrams)+i] > g.Frac {
			return fmt.Sprintf("duplicated_%d_n_grams", g.N)
		}
	}
	return ""
}

// Filter implements filters.Filter.
func (f *repetition) Filter(d *filters.Doc) (string, error) {
	return f.decide(f.count(d)), nil
}

var repKeys = [...]string{"chars", "paras", "para_dups", "para_dup_chars", "lines", "line_dups", "line_dup_chars"}

// Measure implements filters.Decider: the counts.
func (f *repetition) Measure(d *filters.Doc) (filters.Measurements, error) {
	c := f.count(d)
	m := filters.Measurements{}
	for i, v := range []int{c.chars, c.paras, c.paraDups, c.paraChars, c.lines, c.lineDups, c.lineChars} {
		m[repKeys[i]] = v
	}
	if c.chars > 0 {
		m["top_n_grams"], m["dup_n_grams"] = c.top, c.dup
	}
	return m, nil
}

func (f *repetition) read(m filters.Measurements) (repCounts, error) {
	var c repCounts
	for i, p := range []*int{&c.chars, &c.paras, &c.paraDups, &c.paraChars, &c.lines, &c.lineDups, &c.lineChars} {
		n, err := m.Int(repKeys[i])
		if err != nil {
			return c, err
		}
		*p = n
	}
	if c.chars == 0 {
		return c, nil
	}
	var err error
	if c.top, err = m.Ints("top_n_grams"); err != nil {
		return c, err
	}
	if c.dup, err = m.Ints("dup_n_grams"); err != nil {
		return c, err
	}
	if len(c.top) != len(f.p.TopNGrams) || len(c.dup) != len(f.p.DupNGrams) {
		return c, fmt.Errorf("measurements of %d and %d n-gram checks, the step has %d and %d",
			len(c.top), len(c.dup), len(f.p.TopNGrams), len(f.p.DupNGrams))
	}
	return c, nil
}

// Decide implements filters.Decider.
func (f *repetition) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	c, err := f.read(m)
	if err != nil {
		return "", err
	}
	return f.decide(c), nil
}

// Gauges implements filters.Gauger: the fractions datatrove compares, in
// its order, named after their removal reasons.
func (f *repetition) Gauges() []filters.Gauge {
	p := f.p
	gs := []filters.Gauge{
		filters.FractionGauge("dup_para_frac", "fraction of the paragraphs repeating an earlier one", keepAtMost("dup_para_frac", p.DupParaFrac)...),
		filters.FractionGauge("dup_para_char_frac", "code points of repeated paragraphs over the text's", keepAtMost("dup_para_char_frac", p.DupParaCharFrac)...),
		filters.FractionGauge("dup_line_frac", "fraction of the lines repeating an earlier one", keepAtMost("dup_line_frac", p.DupLineFrac)...),
		filters.FractionGauge("dup_line_char_frac", "code points of repeated lines over the text's", keepAtMost("dup_line_char_frac", p.DupLineCharFrac)...),
	}
	for i, g := range p.TopNGrams {
		gs = append(gs, filters.FractionGauge(fmt.Sprintf("top_%d_gram", g.N),
			fmt.Sprintf("most common %d-gram's code points times its count over the text's (NaN: no %d-gram)", g.N, g.N),
			[]filters.Threshold{{Param: fmt.Sprintf("top_n_grams[%d].frac", i), Value: g.Frac, Keep: "<="}}...))
	}
	for i, g := range p.DupNGrams {
		gs = append(gs, filters.FractionGauge(fmt.Sprintf("duplicated_%d_n_grams", g.N),
			fmt.Sprintf("code points of repeated %d-grams over the text's", g.N),
			[]filters.Threshold{{Param: fmt.Sprintf("dup_n_grams[%d].frac", i), Value: g.Frac, Keep: "<="}}...))
	}
	return gs
}

// GaugeValues implements filters.Gauger (every value NaN for an empty
// text, removed before any comparison).
func (f *repetition) GaugeValues(m filters.Measurements, values []float64) error {
	if err := checkValues(values, 4+len(f.p.TopNGrams)+len(f.p.DupNGrams)); err != nil {
		return err
	}
	c, err := f.read(m)
	if err != nil {
		return err
	}
	if c.chars == 0 {
		for i := range values {
			values[i] = math.NaN()
		}
		return nil
	}
	copy(values, f.fracs(c))
	return nil
}

func init() {
	filters.Register(filters.Spec{Name: "gopher_quality", Kind: filters.KindFilter,
		Doc: "Gopher's quality rules (Rae et al., 2021) as datatrove's GopherQualityFilter runs them (gopher_quality_filter.py at datatrove commit 5c254fa5), over datatrove's English words (spaCy's English tokenizer rules): non-symbol word count and mean length, '#' and ellipsis per word, bullet and ellipsis lines, words with a letter, stop words. The first failing rule names the reason (gopher_short_doc ... gopher_enough_stop_words); a text without words is removed as empty."},
		DefaultQualityParams(),
		func(p QualityParams, _ filters.Env) (any, error) {
			f := &quality{p: p, stops: make(map[string]bool, len(p.StopWords))}
			for _, w := range p.StopWords {
				f.stops[w] = true
			}
			return f, nil
		})
	filters.Register(filters.Spec{Name: "gopher_repetition", Kind: filters.KindFilter,
		Doc: "Gopher's repetition rules as datatrove's GopherRepetitionFilter runs them (gopher_repetition_filter.py at datatrove commit f4233219): repeated paragraphs and lines (by count and by code points of the whole text), the most common 2-4-gram and the repeated 5-10-grams of datatrove's English words over the text's code points. The first failing rule names the reason (dup_para_frac, ..., top_2_gram, duplicated_5_n_grams, ...); an empty text is removed as empty."},
		DefaultRepetitionParams(),
		func(p RepetitionParams, _ filters.Env) (any, error) { return &repetition{p: p}, nil })
}
