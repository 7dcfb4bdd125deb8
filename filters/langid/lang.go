package langid

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/langid/ngram"
)

// The reasons the lang step gives for a removed document.
const (
	// ReasonLanguage: the most likely language is not one to keep.
	ReasonLanguage = "language"
	// ReasonBelowThreshold: a language to keep is the most likely one, but
	// its confidence is not above the threshold.
	ReasonBelowThreshold = "below_threshold"
	// ReasonNoLanguage: no language was found (text of ASCII punctuation and
	// spaces only, as DCLM rules, or no letters for lingua).
	ReasonNoLanguage = "no_language"
)

// DefaultKey is the signal the lang step writes by default.
const DefaultKey = "language_id_whole_page_lingua"

// Params are the parameters of the lang step.
type Params struct {
	Languages      []string `yaml:"languages" doc:"candidate languages as ISO 639-1 codes (at least two); empty: all 75 languages lingua knows"`
	Keep           []string `yaml:"keep" doc:"languages to keep (ISO 639-1); empty: only annotate, never remove"`
	Threshold      float64  `yaml:"threshold" doc:"keep a document iff the confidence of a language to keep is strictly above this (DCLM: d['en'] > 0.65)"`
	HighAccuracy   bool     `yaml:"high_accuracy" doc:"lingua's high-accuracy mode (1- to 5-gram models, better on texts under 120 letters, five times the models to load); default low accuracy (trigrams only), which gives the same result on longer texts"`
	Key            string   `yaml:"key" doc:"signal to write: {language: confidence} for the most likely language, or {} when there is none (DCLM's language_id_whole_page_fasttext shape)"`
	NewlineToSpace bool     `yaml:"newline_to_space" doc:"replace newlines by spaces before detection; DCLM deletes them (text.replace('\\n', '')), which glues the last word of a line to the first of the next"`
	MaxChars       int      `yaml:"max_chars" doc:"detect on the first max_chars characters only (0: the whole text, as DCLM); lingua's cost grows with the text length, and a few hundred characters decide most web pages"`
}

// Validate checks the parameters.
func (p Params) Validate() error {
	langs, err := parseLanguages(p.Languages)
	if err != nil {
		return err
	}
	if len(langs) < 2 {
		return errors.New("languages: give at least two candidates (or none for all)")
	}
	for _, k := range p.Keep {
		l, err := parseLanguages([]string{k})
		if err != nil {
			return fmt.Errorf("keep: %w", err)
		}
		if !slices.Contains(langs, l[0]) {
			return fmt.Errorf("keep: %q is not among the candidate languages", k)
		}
	}
	if p.Threshold < 0 || p.Threshold >= 1 {
		return fmt.Errorf("threshold %v: must be in [0, 1)", p.Threshold)
	}
	if p.MaxChars < 0 {
		return fmt.Errorf("max_chars %d: must not be negative", p.MaxChars)
	}
	if p.Key == "" {
		return errors.New("key: must not be empty")
	}
	return nil
}

func init() {
	filters.Register(filters.Spec{
		Name: "lang",
		Kind: filters.KindFilter,
		Doc: "Identifies the language of the whole text with lingua and writes {language: confidence} " +
			"for the most likely one, as DCLM's detect_lang_whole_page_enricher does with fastText; " +
			"with `keep`, also removes documents as DCLM's language_filter (keep iff confidence > threshold).",
		Writes: []string{"<key>"},
	}, Params{Key: DefaultKey},
		func(p Params, env filters.Env) (any, error) { return newStep(p) })
}

// step is the built lang step.
type step struct {
	p       Params
	det     *ngram.Detector
	keep    []string // lower-case ISO codes
	memoKey string
}

func newStep(p Params) (*step, error) {
	langs, err := parseLanguages(p.Languages)
	if err != nil {
		return nil, err
	}
	det, err := detectorFor(langs, p.HighAccuracy)
	if err != nil {
		return nil, err
	}
	s := &step{p: p, det: det}
	for _, k := range p.Keep {
		s.keep = append(s.keep, strings.ToLower(k))
	}
	s.memoKey = "langid/lingua:" + cacheKey(langs, p.HighAccuracy) + fmt.Sprintf(";nl=%v;max=%d", p.NewlineToSpace, p.MaxChars)
	return s, nil
}

// Filter implements filters.Filter.
func (s *step) Filter(d *filters.Doc) (string, error) {
	res := d.Memo(s.memoKey, s.detect).(map[string]float64)
	d.SetSignal(s.p.Key, res)
	if len(s.keep) == 0 {
		return "", nil
	}
	for _, k := range s.keep {
		if v, ok := res[k]; ok && v > s.p.Threshold {
			return "", nil
		}
	}
	if len(res) == 0 {
		return ReasonNoLanguage, nil
	}
	for lang := range res {
		if slices.Contains(s.keep, lang) {
			return ReasonBelowThreshold, nil
		}
	}
	return ReasonLanguage, nil
}

// detect returns {language: confidence} for the most likely language of
// text, or an empty map. The map is shared: callers must not change it.
func (s *step) detect(text string) any {
	if isSpaceOrPunct(text) {
		return map[string]float64{}
	}
	if s.p.NewlineToSpace {
		text = strings.ReplaceAll(text, "\n", " ")
	} else {
		text = strings.ReplaceAll(text, "\n", "")
	}
	if s.p.MaxChars > 0 {
		text = truncate(text, s.p.MaxChars)
	}
	return Detect(s.det, text)
}

// truncate returns the first n characters (code points) of s.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Detect runs det on text and returns {language: confidence} for the most
// likely language, or an empty map when there is none (no letters). The
// confidence is rounded to 1e-9, as the signal always was: lingua-go sums in
// map order and differs in the last bits from run to run.
func Detect(det *ngram.Detector, text string) map[string]float64 {
	lang, conf := det.Top(text)
	if lang == lingua.Unknown || conf <= 0 {
		return map[string]float64{}
	}
	return map[string]float64{isoCode(lang): math.Round(conf*1e9) / 1e9}
}

// isSpaceOrPunct is DCLM's is_space_or_punct: true when every character is
// ASCII punctuation (Python's string.punctuation) or a space (only U+0020;
// a newline is not), including for the empty text.
func isSpaceOrPunct(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ' ' && !strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", rune(c)) {
			return false
		}
	}
	return true
}
