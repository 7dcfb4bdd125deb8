package fineweb

import (
	"errors"
	"math"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/gopher"
	"github.com/curator-dev/curator/filters/text"
)

// The removal reasons of fineweb_quality: datatrove's, and "empty" for a
// text that would divide by zero (package doc).
const (
	ReasonLinePunct = "line_punct_ratio"
	ReasonShortLine = "short_line_ratio"
	ReasonCharDup   = "char_dup_ratio"
	ReasonList      = "list_ratio"
	ReasonEmpty     = "empty"
)

// QualityParams are the parameters of fineweb_quality, with datatrove's
// names and defaults (FineWebQualityFilter).
type QualityParams struct {
	LinePunctThr         float64 `yaml:"line_punct_thr" decide:"true" doc:"remove documents whose fraction of lines ending with . ' \" ! ? is at most this (line_punct_ratio)"`
	LinePunctExcludeZero bool    `yaml:"line_punct_exclude_zero" decide:"true" doc:"do not remove documents whose fraction of lines ending with punctuation is 0"`
	ShortLineThr         float64 `yaml:"short_line_thr" decide:"true" doc:"remove documents whose fraction of short lines is at least this (short_line_ratio)"`
	ShortLineLength      int     `yaml:"short_line_length" doc:"a line of at most this many code points is short"`
	CharDuplicatesRatio  float64 `yaml:"char_duplicates_ratio" decide:"true" doc:"remove documents whose repeated non-blank lines' code points over the text's (without newlines) are at least this (char_dup_ratio)"`
	NewLineRatio         float64 `yaml:"new_line_ratio" decide:"true" doc:"remove documents with more newlines per word (datatrove's English words) than this (list_ratio)"`
	Language             string  `yaml:"language" doc:"the language of the word tokenizer; only en (datatrove's English spaCy tokenizer) is supported"`
}

// DefaultQualityParams returns datatrove's defaults.
func DefaultQualityParams() QualityParams {
	return QualityParams{LinePunctThr: 0.12, ShortLineThr: 0.67, ShortLineLength: 30,
		CharDuplicatesRatio: 0.01, NewLineRatio: 0.3, Language: "en"}
}

// Validate checks the parameters.
func (p QualityParams) Validate() error {
	switch {
	case p.Language != "en":
		return errors.New("language: only en is supported")
	case math.IsNaN(p.LinePunctThr) || math.IsNaN(p.ShortLineThr) || math.IsNaN(p.CharDuplicatesRatio) || math.IsNaN(p.NewLineRatio):
		return errors.New("thresholds must be numbers")
	}
	return nil
}

// counts are what fineweb_quality measures: counts only, so that a
// decision from recorded measurements is the same computation.
type counts struct {
	lines, punctLines, shortLines int
	dupChars, chars, newlines     int // chars: code points other than "\n"
	words                         int
}

// keys are the measurement names of counts' fields, in order.
var keys = []string{"lines", "punct_lines", "short_lines", "dup_chars", "chars", "newlines", "words"}

func (c *counts) fields() []*int {
	return []*int{&c.lines, &c.punctLines, &c.shortLines, &c.dupChars, &c.chars, &c.newlines, &c.words}
}

type quality struct{ p QualityParams }

// words returns d's words under gopher.EnglishWords, memoized on d under
// the key package gopher uses, so that both packages tokenize once.
func words(d *filters.Doc) []string {
	return d.Memo("gopher.english_words", func(s string) any { return gopher.EnglishWords(s) }).([]string)
}

func (f *quality) count(d *filters.Doc) counts {
	s := d.Text
	lines := strings.Split(s, "\n")
	c := counts{lines: len(lines), newlines: len(lines) - 1}
	seen := make(map[string]struct{}, len(lines))
	for _, l := range lines {
		if l != "" {
			switch l[len(l)-1] {
			case '.', '\'', '"', '!', '?':
				c.punctLines++
			}
		}
		n := text.RuneLen(l)
		c.chars += n
		if n <= f.p.ShortLineLength {
			c.shortLines++
		}
		if l == "" || text.IsSpaceOnly(l) {
			continue // not a non-empty line
		}
		if _, ok := seen[l]; ok {
			c.dupChars += n // find_duplicates over the non-empty lines
		} else {
			seen[l] = struct{}{}
		}
	}
	if c.chars > 0 {
		c.words = len(words(d))
	}
	return c
}

// decide is datatrove's filter over the counts.
func (f *quality) decide(c counts) string {
	p := f.p
	if c.chars == 0 && c.newlines == 0 {
		return ReasonEmpty
	}
	r := float64(c.punctLines) / float64(c.lines)
	if r <= p.LinePunctThr && !(r == 0 && p.LinePunctExcludeZero) {
		return ReasonLinePunct
	}
	if float64(c.shortLines)/float64(c.lines) >= p.ShortLineThr {
		return ReasonShortLine
	}
	if c.chars == 0 {
		return ReasonEmpty
	}
	if float64(c.dupChars)/float64(c.chars) >= p.CharDuplicatesRatio {
		return ReasonCharDup
	}
	if c.words == 0 {
		return ReasonEmpty
	}
	if float64(c.newlines)/float64(c.words) > p.NewLineRatio {
		return ReasonList
	}
	return ""
}

// Filter implements filters.Filter.
func (f *quality) Filter(d *filters.Doc) (string, error) { return f.decide(f.count(d)), nil }

// Measure implements filters.Decider.
func (f *quality) Measure(d *filters.Doc) (filters.Measurements, error) {
	c := f.count(d)
	m := filters.Measurements{}
	for i, p := range c.fields() {
		m[keys[i]] = *p
	}
	return m, nil
}

func read(m filters.Measurements) (counts, error) {
	var c counts
	for i, p := range c.fields() {
		n, err := m.Int(keys[i])
		if err != nil {
			return c, err
		}
		*p = n
	}
	if c.lines < 1 {
		return c, errors.New("measurement lines must be at least 1")
	}
	return c, nil
}

// Decide implements filters.Decider.
func (f *quality) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	c, err := read(m)
	if err != nil {
		return "", err
	}
	return f.decide(c), nil
}

func init() {
	filters.Register(filters.Spec{Name: "fineweb_quality", Kind: filters.KindFilter,
		Doc: "FineWeb's quality rules (Penedo et al., 2024) as datatrove's FineWebQualityFilter runs them (fineweb_quality_filter.py at datatrove commit 5c254fa5): fraction of lines ending with punctuation (line_punct_ratio), of short lines (short_line_ratio), code points of repeated lines (char_dup_ratio), newlines per word (list_ratio); a text that would divide by zero is removed as empty."},
		DefaultQualityParams(),
		func(p QualityParams, _ filters.Env) (any, error) { return &quality{p}, nil })
}
