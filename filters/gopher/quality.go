package gopher

import (
	"errors"
	"math"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// QualityParams are the parameters of gopher_quality, with datatrove's
// names and defaults (GopherQualityFilter). As in datatrove, where a
// threshold is 0 (Python's None or 0: falsy) its check is skipped.
type QualityParams struct {
	MinDocWords           int      `yaml:"min_doc_words" decide:"true" doc:"drop documents with fewer non-symbol words (words with a character outside datatrove's PUNCTUATION set); 0 skips the check"`
	MaxDocWords           int      `yaml:"max_doc_words" decide:"true" doc:"drop documents with more non-symbol words; 0 skips the check"`
	MinAvgWordLength      float64  `yaml:"min_avg_word_length" decide:"true" doc:"drop documents whose mean non-symbol word length (code points) is below this; 0 skips the check"`
	MaxAvgWordLength      float64  `yaml:"max_avg_word_length" decide:"true" doc:"drop documents whose mean non-symbol word length is above this; 0 skips the check"`
	MaxSymbolWordRatio    float64  `yaml:"max_symbol_word_ratio" decide:"true" doc:"drop documents with more '#' per word, or more '...' and '…' per word, than this; 0 skips both checks"`
	MaxBulletLinesRatio   float64  `yaml:"max_bullet_lines_ratio" decide:"true" doc:"drop documents in which more than this fraction of the lines (str.splitlines) start with '•' or '-' after leading whitespace; 0 skips the check"`
	MaxEllipsisLinesRatio float64  `yaml:"max_ellipsis_lines_ratio" decide:"true" doc:"drop documents in which more than this fraction of the lines end with '...' or '…' before trailing whitespace; 0 skips the check"`
	MaxNonAlphaWordsRatio float64  `yaml:"max_non_alpha_words_ratio" decide:"true" doc:"drop documents in which the fraction of words with an alphabetic character is below this (datatrove's name, Gopher's 80% rule); 0 skips the check"`
	MinStopWords          int      `yaml:"min_stop_words" decide:"true" doc:"drop documents with fewer words equal to a stop word (case-sensitive); 0 skips the check"`
	StopWords             []string `yaml:"stop_words" doc:"the stop words (datatrove's STOP_WORDS by default)"`
}

// DefaultStopWords are datatrove's STOP_WORDS (Gopher's).
var DefaultStopWords = []string{"the", "be", "to", "of", "and", "that", "have", "with"}

// DefaultQualityParams returns datatrove's defaults.
func DefaultQualityParams() QualityParams {
	return QualityParams{
		MinDocWords: 50, MaxDocWords: 100000,
		MinAvgWordLength: 3, MaxAvgWordLength: 10,
		MaxSymbolWordRatio: 0.1, MaxBulletLinesRatio: 0.9, MaxEllipsisLinesRatio: 0.3,
		MaxNonAlphaWordsRatio: 0.8, MinStopWords: 2,
		StopWords: append([]string(nil), DefaultStopWords...),
	}
}

// Validate checks the parameters.
func (p QualityParams) Validate() error {
	switch {
	case p.MinDocWords < 0 || p.MaxDocWords < 0 || p.MinStopWords < 0:
		return errors.New("min_doc_words, max_doc_words and min_stop_words must not be negative")
	case math.IsNaN(p.MinAvgWordLength) || math.IsNaN(p.MaxAvgWordLength) || math.IsNaN(p.MaxSymbolWordRatio) ||
		math.IsNaN(p.MaxBulletLinesRatio) || math.IsNaN(p.MaxEllipsisLinesRatio) || math.IsNaN(p.MaxNonAlphaWordsRatio):
		return errors.New("thresholds must be numbers")
	case p.MinStopWords > 0 && len(p.StopWords) == 0:
		return errors.New("stop_words is empty but min_stop_words is set")
	}
	return nil
}

type quality struct {
	p     QualityParams
	stops map[string]bool
}

// punctuation is datatrove's PUNCTUATION (datatrove/utils/text.py): the
// listed symbols and the control characters 0-8, 11-31 and 127-159 (tab,
// newline and space are not in it).
const punctuation = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»"

func isPunctuation(r rune) bool {
	if (r >= 0 && r <= 8) || (r >= 11 && r <= 31) || (r >= 127 && r <= 159) {
		return true
	}
	return strings.ContainsRune(punctuation, r)
}

// isSymbolWord reports whether every character of w is in PUNCTUATION.
func isSymbolWord(w string) bool {
	for _, r := range w {
		if !isPunctuation(r) {
			return false
		}
	}
	return true
}

// words returns d's words under EnglishWords, memoized on d.
func words(d *filters.Doc) []string {
	return d.Memo("gopher.english_words", func(s string) any { return EnglishWords(s) }).([]string)
}

// qualityCounts are what gopher_quality measures of a text: counts only,
// so that a decision from recorded measurements is the same computation.
type qualityCounts struct {
	words, nonSymbolWords, nonSymbolChars int
	hashes, ellipses                      int
	lines, bulletLines, ellipsisLines     int
	alphaWords, stopWords                 int
}

func (f *quality) count(d *filters.Doc) qualityCounts {
	ws := words(d)
	c := qualityCounts{words: len(ws)}
	for _, w := range ws {
		if !isSymbolWord(w) {
			c.nonSymbolWords++
			c.nonSymbolChars += text.RuneLen(w)
		}
		for _, r := range w {
			if text.IsAlpha(r) {
				c.alphaWords++
				break
			}
		}
		if f.stops[w] {
			c.stopWords++
		}
	}
	s := d.Text
	c.hashes = strings.Count(s, "#")
	c.ellipses = strings.Count(s, "...") + strings.Count(s, "…")
	for _, l := range text.Splitlines(s) {
		c.lines++
		if l = lstrip(l); strings.HasPrefix(l, "•") || strings.HasPrefix(l, "-") {
			c.bulletLines++
		}
		if l = rstrip(l); strings.HasSuffix(l, "...") || strings.HasSuffix(l, "…") {
			c.ellipsisLines++
		}
	}
	return c
}

// lstrip and rstrip are Python's str.lstrip() and str.rstrip().
func lstrip(s string) string { return strings.TrimLeftFunc(s, text.IsSpace) }
func rstrip(s string) string { return strings.TrimRightFunc(s, text.IsSpace) }

// ratios are the numbers gopher_quality compares with its thresholds,
// computed as datatrove computes them (NaN where it divides by zero words
// or lines; a NaN compares false, as numpy's mean of no words does).
type ratios struct {
	avgWordLength, hashRatio, ellipsisRatio, bulletRatio, endEllipsisRatio, alphaRatio float64
}

func (c qualityCounts) ratios() ratios {
	return ratios{
		avgWordLength:    div(c.nonSymbolChars, c.nonSymbolWords),
		hashRatio:        div(c.hashes, c.words),
		ellipsisRatio:    div(c.ellipses, c.words),
		bulletRatio:      div(c.bulletLines, c.lines),
		endEllipsisRatio: div(c.ellipsisLines, c.lines),
		alphaRatio:       div(c.alphaWords, c.words),
	}
}

// div is Python's a / b on ints (correctly rounded, as float64(a)/float64(b)
// is for counts below 2^53), NaN for b == 0.
func div(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// decide is datatrove's GopherQualityFilter.filter on the counts, with its
// reasons, plus "empty" for a text without words.
func (f *quality) decide(c qualityCounts) string {
	p := f.p
	if c.words == 0 {
		return "empty"
	}
	r := c.ratios()
	switch {
	case p.MinDocWords != 0 && c.nonSymbolWords < p.MinDocWords:
		return "gopher_short_doc"
	case p.MaxDocWords != 0 && c.nonSymbolWords > p.MaxDocWords:
		return "gopher_long_doc"
	case p.MinAvgWordLength != 0 && r.avgWordLength < p.MinAvgWordLength:
		return "gopher_below_avg_threshold"
	case p.MaxAvgWordLength != 0 && r.avgWordLength > p.MaxAvgWordLength:
		return "gopher_above_avg_threshold"
	case p.MaxSymbolWordRatio != 0 && r.hashRatio > p.MaxSymbolWordRatio:
		return "gopher_too_many_hashes"
	case p.MaxSymbolWordRatio != 0 && r.ellipsisRatio > p.MaxSymbolWordRatio:
		return "gopher_too_many_ellipsis"
	case p.MaxBulletLinesRatio != 0 && r.bulletRatio > p.MaxBulletLinesRatio:
		return "gopher_too_many_bullets"
	case p.MaxEllipsisLinesRatio != 0 && r.endEllipsisRatio > p.MaxEllipsisLinesRatio:
		return "gopher_too_many_end_ellipsis"
	case p.MaxNonAlphaWordsRatio != 0 && r.alphaRatio < p.MaxNonAlphaWordsRatio:
		return "gopher_below_alpha_threshold"
	case p.MinStopWords != 0 && c.stopWords < p.MinStopWords:
		return "gopher_enough_stop_words"
	}
	return ""
}

// Filter implements filters.Filter.
func (f *quality) Filter(d *filters.Doc) (string, error) {
	return f.decide(f.count(d)), nil
}

// qualityKeys are the measurement keys, in qualityCounts' order.
var qualityKeys = [...]string{"words", "non_symbol_words", "non_symbol_chars", "hashes", "ellipses",
	"lines", "bullet_lines", "ellipsis_lines", "alpha_words", "stop_words"}

func (c qualityCounts) fields() [10]*int {
	return [10]*int{&c.words, &c.nonSymbolWords, &c.nonSymbolChars, &c.hashes, &c.ellipses,
		&c.lines, &c.bulletLines, &c.ellipsisLines, &c.alphaWords, &c.stopWords}
}

// Measure implements filters.Decider: the counts.
func (f *quality) Measure(d *filters.Doc) (filters.Measurements, error) {
	c := f.count(d)
	m := make(filters.Measurements, len(qualityKeys))
	for i, p := range c.fields() {
		m[qualityKeys[i]] = *p
	}
	return m, nil
}

func readQuality(m filters.Measurements) (qualityCounts, error) {
	var c qualityCounts
	fs := [10]*int{&c.words, &c.nonSymbolWords, &c.nonSymbolChars, &c.hashes, &c.ellipses,
		&c.lines, &c.bulletLines, &c.ellipsisLines, &c.alphaWords, &c.stopWords}
	for i, p := range fs {
		n, err := m.Int(qualityKeys[i])
		if err != nil {
			return c, err
		}
		*p = n
	}
	return c, nil
}

// Decide implements filters.Decider.
func (f *quality) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	c, err := readQuality(m)
	if err != nil {
		return "", err
	}
	return f.decide(c), nil
}
