package ngram

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/benchutil"
)

// Benchmarks of the engine beside lingua-go, both with all 75 languages in
// low-accuracy mode, one goroutine (run with -cpu 1), lingua called directly,
// on the text field of a make_pool.py pool:
//
//	python3 /work/shared/bench/make_pool.py --docs 20000 --out /tmp/pool20k
//	CURATOR_LANGID_POOL=/tmp/pool20k go test -run '^$' -bench Pool -cpu 1 -benchtime 1x -timeout 0 ./filters/langid/ngram/
//
// Each reports MB/s of text and docs/s, on wall-clock time (MB/s, docs/s)
// and on the process's CPU time (cpu-MB/s, cpu-docs/s: per core however busy
// the shared machine is). BenchmarkPoolVsLingua times both on the same texts
// in one run and adds their ratio (x-lingua, on CPU time); lingua needs
// several minutes for 20,000 documents, hence -timeout 0.
//
// CURATOR_LANGID_POOL is a make_pool.py output directory (its jsonl/*.jsonl.gz
// shards are read); without it only the testdata benchmarks run.
// CURATOR_LANGID_POOL_EVERY=k keeps every k-th document (lingua-go needs
// about 40 minutes of one core for all 20,000).

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
	if k, _ := strconv.Atoi(os.Getenv("CURATOR_LANGID_POOL_EVERY")); k > 1 {
		var some []string
		for i := 0; i < len(texts); i += k {
			some = append(some, texts[i])
		}
		texts = some
	}
	return texts
}

func webTexts(b *testing.B) []string {
	return readJSONL(b, "../../../testdata/langid/web_docs_sample.jsonl", "text")
}

type detectFunc func(string, []Confidence) []Confidence

func engineFunc(b *testing.B, low bool) detectFunc {
	d, err := NewDetector(testModels(b), Options{LowAccuracy: low})
	if err != nil {
		b.Fatal(err)
	}
	return func(t string, buf []Confidence) []Confidence { return d.DetectInto(buf, t) }
}

func linguaFunc() detectFunc {
	ld := linguaFor(nil, true)
	ld.ComputeLanguageConfidenceValues("warm up the trigram models of all languages")
	return func(t string, buf []Confidence) []Confidence {
		ld.ComputeLanguageConfidenceValues(t)
		return buf
	}
}

// speed is a measured pass rate over texts.
type speed struct{ wall, cpu time.Duration }

// timeTexts runs f over texts n times (after warming it on a few texts) and
// returns the wall-clock and process CPU time taken.
func timeTexts(texts []string, n int, f detectFunc) speed {
	buf := make([]Confidence, 0, numLangs)
	for _, t := range texts[:min(len(texts), 50)] {
		buf = f(t, buf) // warm pools and lazily loaded state
	}
	start, cpu := time.Now(), benchutil.CPUTime()
	for range n {
		for _, t := range texts {
			buf = f(t, buf)
		}
	}
	return speed{time.Since(start), benchutil.CPUTime() - cpu}
}

func textBytes(texts []string) int {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	return n
}

// report adds the MB/s and docs/s of sp (prefixed by name) to b's metrics.
func report(b *testing.B, name string, texts []string, n int, sp speed) {
	mb, docs := float64(n*textBytes(texts))/1e6, float64(n*len(texts))
	b.ReportMetric(mb/sp.wall.Seconds(), name+"MB/s")
	b.ReportMetric(docs/sp.wall.Seconds(), name+"docs/s")
	if sp.cpu > 0 {
		b.ReportMetric(mb/sp.cpu.Seconds(), name+"cpu-MB/s")
		b.ReportMetric(docs/sp.cpu.Seconds(), name+"cpu-docs/s")
	}
}

func run(b *testing.B, texts []string, f detectFunc) {
	b.ReportAllocs()
	b.ResetTimer()
	sp := timeTexts(texts, b.N, f)
	b.StopTimer()
	report(b, "", texts, b.N, sp)
}

func BenchmarkPoolEngine(b *testing.B)      { run(b, poolTexts(b), engineFunc(b, true)) }
func BenchmarkPoolLingua(b *testing.B)      { run(b, poolTexts(b), linguaFunc()) }
func BenchmarkWebEngine(b *testing.B)       { run(b, webTexts(b), engineFunc(b, true)) }
func BenchmarkWebLingua(b *testing.B)       { run(b, webTexts(b), linguaFunc()) }
func BenchmarkShortEngineHigh(b *testing.B) { run(b, shortTexts(b), engineFunc(b, false)) }

func shortTexts(b *testing.B) []string {
	return readJSONL(b, "../../../testdata/langid/ngram_sentences_1k.jsonl.gz", "text")
}

// BenchmarkPoolVsLingua runs the engine and lingua-go on the same pool
// texts, one after the other, and reports both speeds and their ratio.
func BenchmarkPoolVsLingua(b *testing.B) {
	texts := poolTexts(b)
	b.ResetTimer()
	eng := timeTexts(texts, b.N, engineFunc(b, true))
	lin := timeTexts(texts, b.N, linguaFunc())
	b.StopTimer()
	report(b, "engine-", texts, b.N, eng)
	report(b, "lingua-", texts, b.N, lin)
	if eng.cpu > 0 && lin.cpu > 0 {
		b.ReportMetric(lin.cpu.Seconds()/eng.cpu.Seconds(), "x-lingua")
	} else {
		b.ReportMetric(lin.wall.Seconds()/eng.wall.Seconds(), "x-lingua")
	}
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
