package ngram

import (
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks of the engine beside lingua-go, both with all 75 languages in
// low-accuracy mode, one goroutine (run with -cpu 1), lingua called directly:
//
//	python3 /work/shared/bench/make_pool.py --docs 2000 --out /tmp/pool-langid
//	CURATOR_LANGID_POOL=/tmp/pool-langid go test -run '^$' -bench . -cpu 1 -benchtime 3x ./filters/langid/ngram/
//
// CURATOR_LANGID_POOL is a make_pool.py output directory (its jsonl/*.jsonl.gz
// shards are read); without it only the testdata benchmarks run.

func poolTexts(b *testing.B) []string {
	dir := os.Getenv("CURATOR_LANGID_POOL")
	if dir == "" {
		b.Skip("CURATOR_LANGID_POOL not set (a make_pool.py --out directory)")
	}
	shards, err := filepath.Glob(filepath.Join(dir, "jsonl", "*.jsonl.gz"))
	if err != nil || len(shards) == 0 {
		b.Fatalf("no jsonl shards under %s: %v", dir, err)
	}
	var texts []string
	for _, s := range shards {
		texts = append(texts, readJSONL(b, s, "text")...)
	}
	return texts
}

func webTexts(b *testing.B) []string {
	return readJSONL(b, "../../../testdata/langid/web_docs_sample.jsonl", "text")
}

func runEngine(b *testing.B, texts []string) {
	d, err := NewDetector(testModels(b), Options{LowAccuracy: true})
	if err != nil {
		b.Fatal(err)
	}
	run(b, texts, func(t string, buf []Confidence) []Confidence { return d.DetectInto(buf, t) })
}

func runLingua(b *testing.B, texts []string) {
	ld := linguaFor(nil, true)
	ld.ComputeLanguageConfidenceValues("warm up the trigram models of all languages")
	run(b, texts, func(t string, buf []Confidence) []Confidence {
		ld.ComputeLanguageConfidenceValues(t)
		return buf
	})
}

func run(b *testing.B, texts []string, f func(string, []Confidence) []Confidence) {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	buf := make([]Confidence, 0, numLangs)
	for _, t := range texts[:min(len(texts), 50)] {
		buf = f(t, buf) // warm pools and lazily loaded state
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, t := range texts {
			buf = f(t, buf)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkPoolEngine(b *testing.B) { runEngine(b, poolTexts(b)) }
func BenchmarkPoolLingua(b *testing.B) { runLingua(b, poolTexts(b)) }
func BenchmarkWebEngine(b *testing.B)  { runEngine(b, webTexts(b)) }
func BenchmarkWebLingua(b *testing.B)  { runLingua(b, webTexts(b)) }
func BenchmarkShortEngineHigh(b *testing.B) {
	d, err := NewDetector(testModels(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	texts := readJSONL(b, "../../../testdata/langid/ngram_sentences_1k.jsonl.gz", "text")
	run(b, texts, func(t string, buf []Confidence) []Confidence { return d.DetectInto(buf, t) })
}

// TestAgreementPool compares with lingua-go (low accuracy, all languages) on
// every document of a benchmark pool; it needs CURATOR_LANGID_POOL (see
// above) and about a minute, lingua being slow.
func TestAgreementPool(t *testing.T) {
	dir := os.Getenv("CURATOR_LANGID_POOL")
	if dir == "" {
		t.Skip("CURATOR_LANGID_POOL not set (a make_pool.py --out directory); the testdata agreement tests still run")
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "jsonl", "*.jsonl.gz"))
	if len(shards) == 0 {
		t.Fatalf("no jsonl shards under %s", dir)
	}
	d, err := NewDetector(testModels(t), Options{LowAccuracy: true})
	if err != nil {
		t.Fatal(err)
	}
	ld := linguaFor(nil, true)
	var a agreement
	for _, s := range shards {
		for _, text := range readJSONL(t, s, "text") {
			a.check(t, d, ld, text)
		}
	}
	a.report(t, "pool, low accuracy")
}
