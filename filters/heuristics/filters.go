package heuristics

import (
	"errors"
	"fmt"
	"strings"

	"github.com/curator-dev/curator/filters"

	"github.com/curator-dev/curator/filters/text"
)

// PageLengthParams are the parameters of page_length_filter.
type PageLengthParams struct {
	LengthType        string `yaml:"length_type" doc:"unit of length: word, char, line or paragraph"`
	MinLength         int    `yaml:"min_length" decide:"true" doc:"drop documents shorter than this"`
	MaxLength         int    `yaml:"max_length" decide:"true" doc:"drop documents longer than this; -1 for no maximum"`
	Model             string `yaml:"model" doc:"word tokenizer for length_type word: fasttext, uniseg or split"`
	IgnorePunctuation bool   `yaml:"ignore_punctuation" doc:"count only words whose first character is alphanumeric"`
	IgnoreWhitespace  bool   `yaml:"ignore_whitespace" doc:"do not count whitespace-only words"`
}

// Validate checks the parameters.
func (p PageLengthParams) Validate() error {
	switch p.LengthType {
	case "word", "char", "line", "paragraph":
	default:
		return fmt.Errorf("length_type %q: want word, char, line or paragraph", p.LengthType)
	}
	return checkModel(p.Model)
}

type pageLength struct{ p PageLengthParams }

// Filter implements filters.Filter.
func (f *pageLength) Filter(d *filters.Doc) (string, error) {
	return f.decide(f.length(d)), nil
}

// length is the document's length in the step's unit.
func (f *pageLength) length(d *filters.Doc) int {
	var n int
	switch f.p.LengthType {
	case "word":
		n = WordCount(d, f.p.Model, f.p.IgnorePunctuation, f.p.IgnoreWhitespace)
	case "char":
		n = text.RuneLen(d.Text)
	case "line":
		n = len(Lines(d))
	case "paragraph":
		n = len(Paragraphs(d))
	}
	return n
}

// decide is the decision on a document of length n.
func (f *pageLength) decide(n int) string {
	if n < f.p.MinLength {
		return "too_few_" + f.p.LengthType + "s"
	}
	if f.p.MaxLength != noMax && n > f.p.MaxLength {
		return "too_many_" + f.p.LengthType + "s"
	}
	return ""
}

// WordLengthParams are the parameters of word_length_filter.
type WordLengthParams struct {
	MinLength float64 `yaml:"min_length" decide:"true" doc:"drop documents whose mean word length (code points, str.split words) is below this"`
	MaxLength float64 `yaml:"max_length" decide:"true" doc:"drop documents whose mean word length is above this; -1 for no maximum"`
}

type wordLength struct{ p WordLengthParams }

// Filter implements filters.Filter.
func (f *wordLength) Filter(d *filters.Doc) (string, error) {
	st := SplitStats(d)
	return f.decide(st.Words, st.Runes), nil
}

// decide is the decision on a document of words words of runes code points.
func (f *wordLength) decide(words, runes int) string {
	if words == 0 {
		return "no_words"
	}
	mean := float64(runes) / float64(words)
	if mean < f.p.MinLength || (f.p.MaxLength != noMax && mean > f.p.MaxLength) {
		return "mean_word_length"
	}
	return ""
}

// SymbolRatioParams are the parameters of symbol_ratio_filter.
type SymbolRatioParams struct {
	MaxSymbolToWordRatio float64 `yaml:"max_symbol_to_word_ratio" decide:"true" doc:"drop documents with more (#, ..., . . . and …) per str.split word than this"`
}

type symbolRatio struct{ p SymbolRatioParams }

var symbols = []string{"#", "...", ". . .", "\u2026"}

// Filter implements filters.Filter.
func (f *symbolRatio) Filter(d *filters.Doc) (string, error) {
	return f.decide(countSymbols(d.Text), SplitStats(d).Words), nil
}

// countSymbols counts the symbols in s, each with str.count.
func countSymbols(s string) int {
	n := 0
	for _, sym := range symbols {
		n += strings.Count(s, sym)
	}
	return n
}

// decide is the decision on a document of n symbols and words words.
func (f *symbolRatio) decide(n, words int) string {
	if words == 0 {
		return "no_words"
	}
	if float64(n)/float64(words) > f.p.MaxSymbolToWordRatio {
		return "symbol_ratio"
	}
	return ""
}

// BulletCountParams are the parameters of bullet_count_filter.
type BulletCountParams struct {
	MaxBulletStartRatio float64 `yaml:"max_bullet_start_ratio" decide:"true" doc:"drop documents in which more than this fraction of the non-empty lines start with ●, •, * or -"`
}

type bulletCount struct{ p BulletCountParams }

// Filter implements filters.Filter.
func (f *bulletCount) Filter(d *filters.Doc) (string, error) {
	lines := Lines(d)
	return f.decide(countBullets(lines), len(lines)), nil
}

// countBullets counts the lines that start with a bullet.
func countBullets(lines []string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "●") || strings.HasPrefix(l, "•") || l[0] == '*' || l[0] == '-' {
			n++
		}
	}
	return n
}

// decide is the decision on a document of lines lines, n of them bullets.
func (f *bulletCount) decide(n, lines int) string {
	if float64(n) > f.p.MaxBulletStartRatio*float64(lines) {
		return "bullet_lines"
	}
	return ""
}

// EllipsisCountParams are the parameters of ellipsis_count_filter.
type EllipsisCountParams struct {
	MaxEllipsisEndRatio float64 `yaml:"max_ellipsis_end_ratio" decide:"true" doc:"drop documents in which more than this fraction of the non-empty lines end with ..., . . . or …"`
}

type ellipsisCount struct{ p EllipsisCountParams }

// Filter implements filters.Filter.
func (f *ellipsisCount) Filter(d *filters.Doc) (string, error) {
	lines := Lines(d)
	return f.decide(countEllipses(lines), len(lines)), nil
}

// countEllipses counts the lines that end with an ellipsis.
func countEllipses(lines []string) int {
	n := 0
	for _, l := range lines {
		if strings.HasSuffix(l, "...") || strings.HasSuffix(l, ". . .") || strings.HasSuffix(l, "\u2026") {
			n++
		}
	}
	return n
}

// decide is the decision on a document of lines lines, n of them ending
// with an ellipsis.
func (f *ellipsisCount) decide(n, lines int) string {
	if float64(n) > f.p.MaxEllipsisEndRatio*float64(lines) {
		return "ellipsis_lines"
	}
	return ""
}

// AlphabeticWordRatioParams are the parameters of alphabetic_word_ratio_filter.
type AlphabeticWordRatioParams struct {
	MaxRatio float64 `yaml:"max_ratio" decide:"true" doc:"drop documents in which more than this fraction of the str.split words have no alphabetic character"`
}

type alphaRatio struct{ p AlphabeticWordRatioParams }

// Filter implements filters.Filter.
func (f *alphaRatio) Filter(d *filters.Doc) (string, error) {
	st := SplitStats(d)
	return f.decide(st.NonAlpha, st.Words), nil
}

// decide is the decision on a document of words words, nonAlpha of them
// without an alphabetic character.
func (f *alphaRatio) decide(nonAlpha, words int) string {
	if words == 0 {
		return "no_words"
	}
	if float64(nonAlpha)/float64(words) > f.p.MaxRatio {
		return "non_alpha_words"
	}
	return ""
}

// StopWordParams are the parameters of stop_word_filter.
type StopWordParams struct {
	CountUnique bool     `yaml:"count_unique" doc:"count distinct stop words instead of occurrences"`
	MinStopWord int      `yaml:"min_stop_word" decide:"true" doc:"keep documents with at least this many stop words (str.split words, lower-cased, exact match)"`
	StopWords   []string `yaml:"stop_words" doc:"the stop words, lower case"`
}

// Validate checks the parameters.
func (p StopWordParams) Validate() error {
	if len(p.StopWords) == 0 {
		return errors.New("stop_words is empty")
	}
	return nil
}

type stopWord struct {
	p      StopWordParams
	words  map[string]int
	maxLen int // longest stop word, in bytes
}

// Filter implements filters.Filter.
func (f *stopWord) Filter(d *filters.Doc) (string, error) {
	// As in DCLM, the document is kept only from inside the counting loop,
	// so a document without stop words is dropped even with min 0.
	limit := max(f.p.MinStopWord, 1)
	return f.decide(f.count(d.Text, limit)), nil
}

// decide is the decision on a document with n stop words.
func (f *stopWord) decide(n int) string {
	if n >= 1 && n >= f.p.MinStopWord {
		return ""
	}
	return "few_stop_words"
}

// count counts the stop words of s (distinct ones with count_unique),
// stopping at limit (0: no limit).
func (f *stopWord) count(s string, limit int) int {
	var seen uint64 // bit i: stop word i seen (count_unique, first 64 words)
	var seenMap map[int]bool
	count := 0
	text.FieldsFunc(s, func(w string) bool {
		i, ok := f.lookup(w)
		if !ok {
			return true
		}
		if f.p.CountUnique {
			if i < 64 {
				if seen&(1<<i) != 0 {
					return true
				}
				seen |= 1 << i
			} else {
				if seenMap[i] {
					return true
				}
				if seenMap == nil {
					seenMap = map[int]bool{}
				}
				seenMap[i] = true
			}
		}
		count++
		return limit == 0 || count < limit
	})
	return count
}

// lookup finds the stop word equal to w.lower() in Python.
func (f *stopWord) lookup(w string) (int, bool) {
	if len(w) > f.maxLen {
		return 0, false // Python's lower() never shortens a word
	}
	i, ok := f.words[text.Lower(w)]
	return i, ok
}

func init() {
	filters.Register(filters.Spec{Name: "page_length_filter", Kind: filters.KindFilter,
		Doc: "Drops documents whose length (words under a DCLM tokenizer, code points, lines or paragraphs) is outside [min_length, max_length]."},
		PageLengthParams{LengthType: "word", MinLength: 1, MaxLength: noMax, Model: ModelFastText, IgnoreWhitespace: true},
		func(p PageLengthParams, _ filters.Env) (any, error) { return &pageLength{p}, nil })
	filters.Register(filters.Spec{Name: "word_length_filter", Kind: filters.KindFilter,
		Doc: "Drops documents whose mean str.split word length (code points) is outside [min_length, max_length], and documents without words."},
		WordLengthParams{MinLength: 0, MaxLength: noMax},
		func(p WordLengthParams, _ filters.Env) (any, error) { return &wordLength{p}, nil })
	filters.Register(filters.Spec{Name: "symbol_ratio_filter", Kind: filters.KindFilter,
		Doc: "Drops documents with too many symbols (#, ..., . . ., …; str.count each) per str.split word, and documents without words."},
		SymbolRatioParams{MaxSymbolToWordRatio: 0.1},
		func(p SymbolRatioParams, _ filters.Env) (any, error) { return &symbolRatio{p}, nil })
	filters.Register(filters.Spec{Name: "bullet_count_filter", Kind: filters.KindFilter,
		Doc: "Drops documents in which too many stripped non-empty lines start with a bullet (●, •, *, -)."},
		BulletCountParams{MaxBulletStartRatio: 0.9},
		func(p BulletCountParams, _ filters.Env) (any, error) { return &bulletCount{p}, nil })
	filters.Register(filters.Spec{Name: "ellipsis_count_filter", Kind: filters.KindFilter,
		Doc: "Drops documents in which too many stripped non-empty lines end with an ellipsis (..., . . ., …)."},
		EllipsisCountParams{MaxEllipsisEndRatio: 0.3},
		func(p EllipsisCountParams, _ filters.Env) (any, error) { return &ellipsisCount{p}, nil })
	filters.Register(filters.Spec{Name: "alphabetic_word_ratio_filter", Kind: filters.KindFilter,
		Doc: "Drops documents in which too many str.split words contain no alphabetic character, and documents without words."},
		AlphabeticWordRatioParams{MaxRatio: 0.2},
		func(p AlphabeticWordRatioParams, _ filters.Env) (any, error) { return &alphaRatio{p}, nil })
	filters.Register(filters.Spec{Name: "stop_word_filter", Kind: filters.KindFilter,
		Doc: "Keeps documents with at least min_stop_word stop words among their str.split words (lower-cased; \"The,\" is not \"the\")."},
		StopWordParams{MinStopWord: 2, StopWords: []string{"the", "be", "to", "of", "and", "that", "have", "with"}},
		func(p StopWordParams, _ filters.Env) (any, error) {
			f := &stopWord{p: p, words: map[string]int{}}
			for i, w := range p.StopWords {
				if _, dup := f.words[w]; !dup {
					f.words[w] = i
				}
				f.maxLen = max(f.maxLen, 4*len([]rune(w)))
			}
			return f, nil
		})
}
