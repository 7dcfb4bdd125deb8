package ngram

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/pemistahl/lingua-go"
)

var (
	modelsOnce sync.Once
	models     *Models
	modelsErr  error
)

func testModels(t testing.TB) *Models {
	t.Helper()
	modelsOnce.Do(func() { models, modelsErr = LoadModels() })
	if modelsErr != nil {
		t.Fatal(modelsErr)
	}
	return models
}

var linguaDetectors sync.Map

// linguaFor returns a lingua-go detector over langs (nil: all) in the given mode.
func linguaFor(langs []lingua.Language, low bool) lingua.LanguageDetector {
	key := struct {
		l   string
		low bool
	}{langKey(langs), low}
	if d, ok := linguaDetectors.Load(key); ok {
		return d.(lingua.LanguageDetector)
	}
	b := lingua.NewLanguageDetectorBuilder()
	var bb lingua.LanguageDetectorBuilder
	if langs == nil {
		bb = b.FromAllLanguages()
	} else {
		bb = b.FromLanguages(langs...)
	}
	if low {
		bb = bb.WithLowAccuracyMode()
	}
	d := bb.Build()
	linguaDetectors.Store(key, d)
	return d
}

func langKey(langs []lingua.Language) string {
	var sb strings.Builder
	for _, l := range langs {
		sb.WriteString(l.String())
	}
	return sb.String()
}

// agreement compares the engine with lingua-go on texts and reports counts.
type agreement struct {
	texts, topAgree, ambiguous, ties int
	maxDiff                          float64
}

func (a *agreement) check(t *testing.T, d *Detector, ld lingua.LanguageDetector, text string) {
	t.Helper()
	s := d.newScratch()
	ours := d.detect(s, nil, text)
	theirs := ld.ComputeLanguageConfidenceValues(text)
	a.texts++
	if s.ambiguous {
		// lingua picks the most frequent script by random map order on ties.
		a.ambiguous++
		return
	}
	if len(ours) != len(theirs) {
		t.Fatalf("%q: %d values, lingua %d", text, len(ours), len(theirs))
	}
	want := map[lingua.Language]float64{}
	for _, c := range theirs {
		want[c.Language()] = c.Value()
	}
	diff := 0.0
	for _, c := range ours {
		w, ok := want[c.Language]
		if !ok {
			t.Fatalf("%q: language %v not in lingua's result", text, c.Language)
		}
		diff = math.Max(diff, math.Abs(w-c.Value))
	}
	a.maxDiff = math.Max(a.maxDiff, diff)
	// The top languages must be the same, unless lingua's values tie to
	// float rounding: lingua sums the n-grams in Go's random map order, so
	// which of two languages with equal sums comes first varies from run to
	// run of lingua itself (fuzzing found "wXr": Dutch and Tagalog).
	topOK := ours[0].Language == theirs[0].Language()
	if !topOK && math.Abs(want[ours[0].Language]-theirs[0].Value()) <= 1e-12 {
		topOK = true
		a.ties++
	}
	if theirs[0].Value() == 0 && ours[0].Value == 0 {
		topOK = true
	}
	if topOK {
		a.topAgree++
	}
	if !topOK || diff > 1e-6 {
		t.Errorf("%.80q: ours %v %.12f, lingua %v %.12f, max diff %.3g",
			text, ours[0].Language, ours[0].Value, theirs[0].Language(), theirs[0].Value(), diff)
	}
}

func (a *agreement) report(t *testing.T, name string) {
	t.Logf("%s: %d texts, top language agrees on %d (%d of them lingua ties), %d skipped (tied script counts), max confidence diff %.3g",
		name, a.texts, a.topAgree, a.ties, a.ambiguous, a.maxDiff)
	if a.texts == 0 {
		t.Fatal("no texts")
	}
}

// readJSONL reads the given string field of every line of a (gzipped) JSONL file.
func readJSONL(t testing.TB, path, field string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r *bufio.Scanner
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = bufio.NewScanner(gz)
	} else {
		r = bufio.NewScanner(f)
	}
	r.Buffer(make([]byte, 1<<20), 1<<24)
	var out []string
	for r.Scan() {
		var m map[string]any
		if err := json.Unmarshal(r.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if s, ok := m[field].(string); ok {
			out = append(out, s)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAgreementSentencesHigh(t *testing.T) {
	d, err := NewDetector(testModels(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ld := linguaFor(nil, false)
	var a agreement
	for _, text := range readJSONL(t, "../../../testdata/langid/ngram_sentences_1k.jsonl.gz", "text") {
		a.check(t, d, ld, text)
	}
	a.report(t, "sentences, high accuracy")
}

func TestAgreementSentencesLow(t *testing.T) {
	d, err := NewDetector(testModels(t), Options{LowAccuracy: true})
	if err != nil {
		t.Fatal(err)
	}
	ld := linguaFor(nil, true)
	var a agreement
	for _, text := range readJSONL(t, "../../../testdata/langid/ngram_sentences_1k.jsonl.gz", "text") {
		a.check(t, d, ld, text)
	}
	a.report(t, "sentences, low accuracy")
}

func TestAgreementUDHR(t *testing.T) {
	for _, low := range []bool{false, true} {
		d, err := NewDetector(testModels(t), Options{LowAccuracy: low})
		if err != nil {
			t.Fatal(err)
		}
		ld := linguaFor(nil, low)
		var a agreement
		paras := readJSONL(t, "../../../testdata/langid/ngram_udhr_paragraphs.jsonl.gz", "text")
		for _, text := range paras {
			a.check(t, d, ld, text)
		}
		// whole declarations, as long texts: three paragraphs of a language together
		for i := 0; i+3 <= len(paras); i += 3 {
			a.check(t, d, ld, strings.Join(paras[i:i+3], "\n"))
		}
		a.report(t, map[bool]string{false: "UDHR high", true: "UDHR low"}[low])
	}
}

func TestAgreementWebPages(t *testing.T) {
	d, err := NewDetector(testModels(t), Options{LowAccuracy: true})
	if err != nil {
		t.Fatal(err)
	}
	ld := linguaFor(nil, true)
	var a agreement
	for _, text := range readJSONL(t, "../../../testdata/langid/web_docs_sample.jsonl", "text") {
		a.check(t, d, ld, text)
	}
	a.report(t, "web pages, low accuracy")
}
