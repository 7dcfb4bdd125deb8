package langid

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pemistahl/lingua-go"
)

// Building a lingua detector loads its n-gram models (for all 75 languages
// in low-accuracy mode: the trigram models, some seconds and a few hundred
// MB; see the package benchmarks). lingua keeps loaded models in its own
// package-level maps for the life of the process, so a detector is built
// once per distinct (languages, accuracy) and shared by every step that
// asks for it: this cache is the package's one global.
var (
	detectorsMu sync.Mutex
	detectors   = map[string]*sharedDetector{}
)

type sharedDetector struct {
	once sync.Once
	det  lingua.LanguageDetector
}

// detectorFor returns the shared detector for langs (sorted, at least two)
// and the accuracy mode, building it and loading its models on first use.
func detectorFor(langs []lingua.Language, high bool) lingua.LanguageDetector {
	key := cacheKey(langs, high)
	detectorsMu.Lock()
	s, ok := detectors[key]
	if !ok {
		s = &sharedDetector{}
		detectors[key] = s
	}
	detectorsMu.Unlock()
	s.once.Do(func() {
		start := time.Now()
		b := lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).WithPreloadedLanguageModels()
		if !high {
			b = b.WithLowAccuracyMode()
		}
		s.det = b.Build()
		slog.Info("langid: lingua detector ready", "languages", len(langs), "high_accuracy", high,
			"load", time.Since(start).Round(time.Millisecond))
	})
	return s.det
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
