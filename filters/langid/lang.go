package langid

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/langid/ngram"
)

// The reasons the lang step gives for a removed document.
const (
	// ReasonLanguage: the most likely language is not one to keep.
	ReasonLanguage = "language"
	// ReasonBelowThreshold: a language to keep is the most likely one, but
	// its probability (or, per paragraph, its share of the text) is not
	// above the threshold.
	ReasonBelowThreshold = "below_threshold"
	// ReasonNoLanguage: no language was found (text of ASCII punctuation and
	// spaces only, as DCLM rules, or no letters for lingua).
	ReasonNoLanguage = "no_language"
	// ReasonTooShort: the text (per paragraph: every paragraph) is shorter
	// than min_length, too short to decide on.
	ReasonTooShort = "too_short"
)

// DefaultKey is the signal the lang step writes by default.
const DefaultKey = "language_id_whole_page_lingua"

// The modes of the lang step.
const (
	ModePage      = "page"
	ModeParagraph = "paragraph"
)

// Params are the parameters of the lang step.
type Params struct {
	Languages      []string `yaml:"languages" doc:"candidate languages as ISO 639-1 codes (at least two); empty: all 75 languages lingua knows"`
	Keep           []string `yaml:"keep" decide:"true" doc:"languages to keep (ISO 639-1); empty: only annotate, never remove"`
	Threshold      float64  `yaml:"threshold" decide:"true" doc:"keep a document iff the probability of a language to keep is strictly above this (DCLM: d['en'] > 0.65); per paragraph, iff the keep languages' share of the text is"`
	Calibrated     bool     `yaml:"calibrated" doc:"report calibrated probabilities (of the texts given 0.8, about 80% are in that language; see docs/langid.md); false: lingua's own confidences, which are 1.0 for nearly every text longer than a sentence"`
	HighAccuracy   bool     `yaml:"high_accuracy" doc:"lingua's high-accuracy rule: texts under 120 letters use its 1- to 5-gram models (loaded on the first such text); false: trigrams only (lingua's low-accuracy mode), the same answer on longer texts, less memory"`
	Mode           string   `yaml:"mode" doc:"page: one language for the whole text; paragraph: each newline-separated paragraph on its own, the signal giving each language's share of the text's characters"`
	MinLength      int      `yaml:"min_length" doc:"texts (per paragraph: paragraphs) of fewer characters are not identified; with keep, a document with nothing identified is removed as too_short"`
	Key            string   `yaml:"key" decide:"true" doc:"signal to write: {language: probability} for the most likely language, or {} when there is none (DCLM's language_id_whole_page_fasttext shape); per paragraph {language: share}. Also written: <key>_top (the top language, \"\" for none), <key>_score (its probability or share) and, with keep, <key>_keep ({keep language: probability or share})"`
	NewlineToSpace bool     `yaml:"newline_to_space" doc:"replace newlines by spaces before detection; DCLM deletes them (text.replace('\\n', '')), which glues the last word of a line to the first of the next"`
	MaxChars       int      `yaml:"max_chars" doc:"detect on the first max_chars characters only (0: the whole text, as DCLM); per paragraph, of each paragraph"`
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
	if p.Mode != "" && p.Mode != ModePage && p.Mode != ModeParagraph {
		return fmt.Errorf("mode %q: must be %s or %s", p.Mode, ModePage, ModeParagraph)
	}
	if p.MinLength < 0 {
		return fmt.Errorf("min_length %d: must not be negative", p.MinLength)
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
		Doc: "Identifies the language of the whole text (or of each paragraph) with curator's exact, fast " +
			"reimplementation of lingua-go and writes {language: probability} for the most likely one, " +
			"as DCLM's detect_lang_whole_page_enricher does with fastText; with `keep`, also removes " +
			"documents as DCLM's language_filter (keep iff probability > threshold).",
		Writes: []string{"<key>", "<key>_top", "<key>_score", "<key>_keep"},
	}, Params{Key: DefaultKey, Calibrated: true, HighAccuracy: true, Mode: ModePage},
		func(p Params, env filters.Env) (any, error) { return newStep(p) })
}

// step is the built lang step.
type step struct {
	p                             Params
	langs                         []lingua.Language
	detOnce                       sync.Once
	det                           *ngram.Detector // set by detector()
	detErr                        error
	cal                           Calibration
	keep                          []string // lower-case ISO codes
	keepLangs                     []lingua.Language
	memoKey                       string
	topKey, scoreKey, keepSignals string
	evPool                        sync.Pool // *ngram.Evidence
}

func newStep(p Params) (*step, error) {
	langs, err := parseLanguages(p.Languages)
	if err != nil {
		return nil, err
	}
	// The models load on the first document, not here: a coordinator or a
	// submitter that builds the recipe to know its shape never pays for them.
	s := &step{p: p, langs: langs, cal: LinguaCalibration,
		topKey: p.Key + "_top", scoreKey: p.Key + "_score", keepSignals: p.Key + "_keep"}
	if p.Calibrated {
		s.cal = DefaultCalibration
	}
	s.evPool.New = func() any { return new(ngram.Evidence) }
	for _, k := range p.Keep {
		s.keep = append(s.keep, strings.ToLower(k))
		l, _ := parseLanguages([]string{k})
		s.keepLangs = append(s.keepLangs, l[0])
	}
	s.memoKey = fmt.Sprintf("langid/lingua:%s;cal=%v;mode=%s;min=%d;nl=%v;max=%d", cacheKey(langs, p.HighAccuracy),
		p.Calibrated, p.Mode, p.MinLength, p.NewlineToSpace, p.MaxChars)
	return s, nil
}

// detector loads the models and builds the detector, once.
func (s *step) detector() error {
	s.detOnce.Do(func() { s.det, s.detErr = detectorFor(s.langs, s.p.HighAccuracy) })
	return s.detErr
}

// Filter implements filters.Filter.
func (s *step) Filter(d *filters.Doc) (string, error) {
	if err := s.detector(); err != nil {
		return "", err
	}
	res := d.Memo(s.memoKey, s.identify).(*result)
	return s.decide(d, res), nil
}

// decide records res's signals on d and decides.
func (s *step) decide(d *filters.Doc, res *result) string {
	d.SetSignal(s.p.Key, res.signal)
	d.SetSignal(s.topKey, res.top)
	d.SetSignal(s.scoreKey, res.score)
	if len(s.keep) == 0 {
		return ""
	}
	keep := make(map[string]float64, len(s.keep))
	for i, k := range s.keep {
		keep[k] = res.of(s.keepLangs[i], k)
	}
	d.SetSignal(s.keepSignals, keep)
	switch {
	case res.top == "" && res.tooShort:
		return ReasonTooShort
	case res.top == "":
		return ReasonNoLanguage
	}
	// DCLM decides on the top language only (its signal holds no other):
	// keep iff it is a keep language above the threshold. Per paragraph the
	// keep languages' shares add up.
	share := 0.0
	if s.p.Mode == ModeParagraph {
		for _, k := range s.keep {
			share += keep[k]
		}
	} else if slices.Contains(s.keep, res.top) {
		share = res.score
	}
	if share > s.p.Threshold {
		return ""
	}
	if share > 0 || slices.Contains(s.keep, res.top) {
		return ReasonBelowThreshold
	}
	return ReasonLanguage
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
