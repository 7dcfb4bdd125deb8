package langid

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters/langid/ngram"
)

// The step runs curator's own engine (package ngram): lingua-go v1.4.0's
// algorithm on lingua's own models, with the same answers, in compact tables.
// The models are read once per process and a detector is built once per
// distinct (languages, accuracy) and shared by every step that asks for it:
// this cache is the package's one global.
var (
	detectorsMu sync.Mutex
	detectors   = map[string]*sharedDetector{}
	models      struct {
		once sync.Once
		m    *ngram.Models
		err  error
	}
)

type sharedDetector struct {
	once sync.Once
	det  *ngram.Detector
	err  error
}

// loadModels returns the process's lingua models (trigrams and the rules'
// tables at first; the other orders load on the first short text that
// needs them).
func loadModels() (*ngram.Models, error) {
	models.once.Do(func() {
		start := time.Now()
		models.m, models.err = ngram.LoadModels()
		slog.Info("langid: models ready", "load", time.Since(start).Round(time.Millisecond), "err", models.err)
	})
	return models.m, models.err
}

// SharedDetector returns the process's detector for langs (every language
// lingua knows when empty) in high or low accuracy mode, the one the lang
// steps share: built once, safe for concurrent use with an Evidence per
// goroutine.
func SharedDetector(langs []lingua.Language, high bool) (*ngram.Detector, error) {
	if len(langs) == 0 {
		langs = lingua.AllLanguages()
	}
	langs = slices.Clone(langs)
	slices.Sort(langs)
	langs = slices.Compact(langs)
	if len(langs) < 2 {
		return nil, fmt.Errorf("langid: a detector needs at least two languages, got %d", len(langs))
	}
	return detectorFor(langs, high)
}

// detectorFor returns the shared detector for langs (sorted, at least two)
// and the accuracy mode, building it on first use.
func detectorFor(langs []lingua.Language, high bool) (*ngram.Detector, error) {
	key := cacheKey(langs, high)
	detectorsMu.Lock()
	s, ok := detectors[key]
	if !ok {
		s = &sharedDetector{}
		detectors[key] = s
	}
	detectorsMu.Unlock()
	s.once.Do(func() {
		m, err := loadModels()
		if err != nil {
			s.err = fmt.Errorf("langid: %w", err)
			return
		}
		s.det, s.err = ngram.NewDetector(m, ngram.Options{Languages: langs, LowAccuracy: !high})
	})
	return s.det, s.err
}

func cacheKey(langs []lingua.Language, high bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "high=%v", high)
	for _, l := range langs {
		b.WriteByte(',')
		b.WriteString(isoCode(l))
	}
	return b.String()
}

// isoCode is the lower-case ISO 639-1 code of l ("en").
func isoCode(l lingua.Language) string {
	return strings.ToLower(l.IsoCode639_1().String())
}

// parseLanguages turns ISO 639-1 codes into lingua languages, sorted and
// without duplicates; no codes means all languages lingua knows.
func parseLanguages(codes []string) ([]lingua.Language, error) {
	if len(codes) == 0 {
		all := lingua.AllLanguages()
		slices.Sort(all)
		return all, nil
	}
	var out []lingua.Language
	for _, c := range codes {
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(c))
		if l == lingua.Unknown {
			return nil, fmt.Errorf("language %q: not an ISO 639-1 code lingua knows (it knows %s)", c, knownCodes())
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func knownCodes() string {
	var codes []string
	for _, l := range lingua.AllLanguages() {
		codes = append(codes, isoCode(l))
	}
	slices.Sort(codes)
	return strings.Join(codes, " ")
}

// individual maps ISO 639-3 codes of individual languages to the
// macrolanguage lingua names (Tosk Albanian to Albanian, Standard Arabic to
// Arabic, ...), where they are written in the script lingua knows.
var individual = map[string]string{
	"als": "sqi", "arb": "ara", "cmn": "zho", "ekk": "est", "lvs": "lav",
	"khk": "mon", "pes": "fas", "swh": "swa", "zsm": "msa",
}

// LanguageOf639_3 returns the lingua language of an ISO 639-3 code,
// individual languages of lingua's macrolanguages included ("als" is
// Albanian), or lingua.Unknown.
func LanguageOf639_3(code string) lingua.Language {
	if m, ok := individual[code]; ok {
		code = m
	}
	return lingua.GetLanguageFromIsoCode639_3(lingua.GetIsoCode639_3FromValue(code))
}
