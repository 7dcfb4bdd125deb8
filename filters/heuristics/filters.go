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
	MinLength         int    `yaml:"min_length" doc:"drop documents shorter than this"`
	MaxLength         int    `yaml:"max_length" doc:"drop documents longer than this; -1 for no maximum"`
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
	if n < f.p.MinLength {
		return "too_few_" + f.p.LengthType + "s", nil
	}
	if f.p.MaxLength != noMax && n > f.p.MaxLength {
		return "too_many_" + f.p.LengthType + "s", nil
	}
	return "", nil
}

// WordLengthParams are the parameters of word_length_filter.
type WordLengthParams struct {
	MinLength float64 `yaml:"min_length" doc:"drop documents whose mean word length (code points, str.split words) is below this"`
	MaxLength float64 `yaml:"max_length" doc:"drop documents whose mean word length is above this; -1 for no maximum"`
}

type wordLength struct{ p WordLengthParams }

// Filter implements filters.Filter.
func (f *wordLength) Filter(d *filters.Doc) (string, error) {
	st := SplitStats(d)
	if st.Words == 0 {
		return "no_words", nil
	}
	mean := float64(st.Runes) / float64(st.Words)
	if mean < f.p.MinLength || (f.p.MaxLength != noMax && mean > f.p.MaxLength) {
		return "mean_word_length", nil
	}
	return "", nil
}

// SymbolRatioParams are the parameters of symbol_ratio_filter.
type SymbolRatioParams struct {
	MaxSymbolToWordRatio float64 `yaml:"max_symbol_to_word_ratio" doc:"drop documents with more (#, ..., . . . and …) per str.split word than this"`
}

type symbolRatio struct{ p SymbolRatioParams }

var symbols = []string{"#", "...", ". . .", "\u2026"}

// Filter implements filters.Filter.
func (f *symbolRatio) Filter(d *filters.Doc) (string, error) {
	n := 0
	for _, s := range symbols {
		n += strings.Count(d.Text, s)
	}
	words := SplitStats(d).Words
	if words == 0 {
		return "no_words", nil
	}
	if float64(n)/float64(words) > f.p.MaxSymbolToWordRatio {
		return "symbol_ratio", nil
	}
	return "", nil
}

// BulletCountParams are the parameters of bullet_count_filter.
type BulletCountParams struct {
	MaxBulletStartRatio float64 `yaml:"max_bullet_start_ratio" doc:"drop documents in which more than this fraction of the non-empty lines start with ●, •, * or -"`
}

type bulletCount struct{ p BulletCountParams }

// Filter implements filters.Filter.
func (f *bulletCount) Filter(d *filters.Doc) (string, error) {
	lines := Lines(d)
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "●") || strings.HasPrefix(l, "•") || l[0] == '*' || l[0] == '-' {
			n++
		}
	}
	if float64(n) > f.p.MaxBulletStartRatio*float64(len(lines)) {
		return "bullet_lines", nil
	}
	return "", nil
}

// EllipsisCountParams are the parameters of ellipsis_count_filter.
type EllipsisCountParams struct {
	MaxEllipsisEndRatio float64 `yaml:"max_ellipsis_end_ratio" doc:"drop documents in which more than this fraction of the non-empty lines end with ..., . . . or …"`
}

type ellipsisCount struct{ p EllipsisCountParams }

// Filter implements filters.Filter.
func (f *ellipsisCount) Filter(d *filters.Doc) (string, error) {
	lines := Lines(d)
	n := 0
	for _, l := range lines {
		if strings.HasSuffix(l, "...") || strings.HasSuffix(l, ". . .") || strings.HasSuffix(l, "\u2026") {
			n++
		}
	}
	if float64(n) > f.p.MaxEllipsisEndRatio*float64(len(lines)) {
		return "ellipsis_lines", nil
	}
	return "", nil
}

// AlphabeticWordRatioParams are the parameters of alphabetic_word_ratio_filter.
type AlphabeticWordRatioParams struct {
	MaxRatio float64 `yaml:"max_ratio" doc:"drop documents in which more than this fraction of the str.split words have no alphabetic character"`
}

type alphaRatio struct{ p AlphabeticWordRatioParams }

// Filter implements filters.Filter.
func (f *alphaRatio) Filter(d *filters.Doc) (string, error) {
	st := SplitStats(d)
	if st.Words == 0 {
		return "no_words", nil
	}
	if float64(st.NonAlpha)/float64(st.Words) > f.p.MaxRatio {
		return "non_alpha_words", nil
	}
	return "", nil
}

// StopWordParams are the parameters of stop_word_filter.
type StopWordParams struct {
	CountUnique bool     `yaml:"count_unique" doc:"count distinct stop words instead of occurrences"`
	MinStopWord int      `yaml:"min_stop_word" doc:"keep documents with at least this many stop words (str.split words, lower-cased, exact match)"`
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
	var seen uint64 // bit i: stop word i seen (count_unique, first 64 words)
	var seenMap map[int]bool
	count := 0
	keep := false
	text.FieldsFunc(d.Text, func(w string) bool {
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
		// As in DCLM, the document is kept only from inside the loop, so
		// a document without stop words is dropped even with min 0.
		keep = count >= f.p.MinStopWord
		return !keep
	})
	if keep {
		return "", nil
	}
	return "few_stop_words", nil
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
