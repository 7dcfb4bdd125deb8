package heuristics

import (
	"errors"
	"fmt"

	"github.com/curator-dev/curator/filters"
)

// WordCounterParams are the parameters of word_counter_enricher.
type WordCounterParams struct {
	Key               string `yaml:"key" doc:"signal that receives the word count (an integer)"`
	Overwrite         bool   `yaml:"overwrite" doc:"allow replacing an existing signal of that name (else it is an error, as in DCLM)"`
	Model             string `yaml:"model" doc:"word tokenizer: fasttext, uniseg or split"`
	IgnorePunctuation bool   `yaml:"ignore_punctuation" doc:"count only words whose first character is alphanumeric"`
	IgnoreWhitespace  bool   `yaml:"ignore_whitespace" doc:"do not count whitespace-only words"`
}

// Validate checks the parameters.
func (p WordCounterParams) Validate() error {
	if p.Key == "" {
		return errors.New("key is empty")
	}
	return checkModel(p.Model)
}

type wordCounter struct{ p WordCounterParams }

// Annotate implements filters.Annotator.
func (a *wordCounter) Annotate(d *filters.Doc) error {
	if _, ok := d.Signal(a.p.Key); ok && !a.p.Overwrite {
		return fmt.Errorf("word_counter_enricher: signal %q already set", a.p.Key)
	}
	d.SetSignal(a.p.Key, WordCount(d, a.p.Model, a.p.IgnorePunctuation, a.p.IgnoreWhitespace))
	return nil
}

// WordRemovalRatioParams are the parameters of word_removal_ratio_filter.
type WordRemovalRatioParams struct {
	PrevWordCountKey  string  `yaml:"prev_word_count_key" doc:"signal holding the word count taken before the modifiers (word_counter_enricher's key)"`
	NewWordCountKey   string  `yaml:"new_word_count_key" doc:"signal holding the current word count; empty to count now"`
	MaxRemovedRatio   float64 `yaml:"max_removed_ratio" decide:"true" doc:"drop documents that lost more than this fraction of their words"`
	Model             string  `yaml:"model" doc:"word tokenizer for counting now: fasttext, uniseg or split"`
	IgnorePunctuation bool    `yaml:"ignore_punctuation" doc:"count only words whose first character is alphanumeric"`
	IgnoreWhitespace  bool    `yaml:"ignore_whitespace" doc:"do not count whitespace-only words"`
}

// Validate checks the parameters.
func (p WordRemovalRatioParams) Validate() error {
	if p.PrevWordCountKey == "" {
		return errors.New("prev_word_count_key is empty")
	}
	return checkModel(p.Model)
}

type wordRemovalRatio struct{ p WordRemovalRatioParams }

// intSignal reads a numeric signal as an integer.
func intSignal(d *filters.Doc, key string) (int, bool, error) {
	v, ok := d.Signal(key)
	if !ok {
		return 0, false, nil
	}
	switch x := v.(type) {
	case int:
		return x, true, nil
	case int64:
		return int(x), true, nil
	case float64:
		return int(x), true, nil
	}
	return 0, true, fmt.Errorf("signal %q is a %T, want a number", key, v)
}

// Filter implements filters.Filter.
func (f *wordRemovalRatio) Filter(d *filters.Doc) (string, error) {
	prev, cur, err := f.counts(d)
	if err != nil {
		return "", err
	}
	return f.decide(prev, cur), nil
}

// decide is the decision on a document that had prev words and has cur.
func (f *wordRemovalRatio) decide(prev, cur int) string {
	if prev == 0 {
		return "no_words"
	}
	if float64(prev-cur)/float64(prev) > f.p.MaxRemovedRatio {
		return "word_removal_ratio"
	}
	return ""
}

// counts returns the word count taken before the modifiers and the current
// one (0 when there was none before: the current one is not needed).
func (f *wordRemovalRatio) counts(d *filters.Doc) (prev, cur int, err error) {
	prev, ok, err := intSignal(d, f.p.PrevWordCountKey)
	if err != nil {
		return 0, 0, fmt.Errorf("word_removal_ratio_filter: %w", err)
	}
	if !ok {
		return 0, 0, fmt.Errorf("word_removal_ratio_filter: signal %q is missing (run word_counter_enricher first)", f.p.PrevWordCountKey)
	}
	if prev == 0 {
		return 0, 0, nil
	}
	if f.p.NewWordCountKey != "" {
		c, ok, err := intSignal(d, f.p.NewWordCountKey)
		if err != nil {
			return 0, 0, fmt.Errorf("word_removal_ratio_filter: %w", err)
		}
		if ok {
			cur = c
		} else {
			cur = WordCount(d, f.p.Model, f.p.IgnorePunctuation, f.p.IgnoreWhitespace)
		}
	} else {
		cur = WordCount(d, f.p.Model, f.p.IgnorePunctuation, f.p.IgnoreWhitespace)
	}
	return prev, cur, nil
}

func init() {
	filters.Register(filters.Spec{Name: "word_counter_enricher", Kind: filters.KindAnnotator,
		Doc:    "Records the document's word count (DCLM split_words) as an integer signal.",
		Writes: []string{"<key>"}},
		WordCounterParams{Key: "previous_word_count", Model: ModelFastText, IgnorePunctuation: true, IgnoreWhitespace: true},
		func(p WordCounterParams, _ filters.Env) (any, error) { return &wordCounter{p}, nil })
	filters.Register(filters.Spec{Name: "word_removal_ratio_filter", Kind: filters.KindFilter,
		Doc:   "Drops documents whose modifiers removed more than max_removed_ratio of the words counted earlier by word_counter_enricher (and documents whose earlier count was 0).",
		Reads: []string{"<prev_word_count_key>", "<new_word_count_key>"}},
		WordRemovalRatioParams{PrevWordCountKey: "previous_word_count", MaxRemovedRatio: 0.05, Model: ModelFastText, IgnorePunctuation: true, IgnoreWhitespace: true},
		func(p WordRemovalRatioParams, _ filters.Env) (any, error) { return &wordRemovalRatio{p}, nil })
}
