package heuristics_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/heuristics"
	"github.com/curator-dev/curator/filters/text"

	"github.com/curator-dev/curator/internal/benchutil"
)

// realDocs is the shared pool of 560 real web pages, used when the shared
// data is beside the repository (it is not in a user's clone).
const realDocs = "../../../shared/data/jsonl/real_web_docs_mixed_560.jsonl.zst"

// benchTexts returns the golden inputs and, if present, the shared real pages;
// or, when CURATOR_BENCH_JSONL names a .jsonl.gz shard (a benchmark pool's,
// say), the texts of that shard.
func benchTexts(b *testing.B) ([]string, int64) {
	if path := os.Getenv("CURATOR_BENCH_JSONL"); path != "" {
		return shardTexts(b, path)
	}
	var texts []string
	for _, file := range []string{"web_docs_golden.jsonl", "edge_cases_golden.jsonl"} {
		for _, g := range readGolden(b, "../../testdata/dclm_golden/"+file) {
			texts = append(texts, g.Text)
		}
	}
	if f, err := os.Open(realDocs); err == nil {
		defer f.Close()
		zr, err := zstd.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		defer zr.Close()
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			var d struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				b.Fatal(err)
			}
			texts = append(texts, d.Text)
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
	}
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	return texts, n
}

// shardTexts reads the texts of a .jsonl.gz shard.
func shardTexts(b *testing.B, path string) ([]string, int64) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	var n int64
	dec := json.NewDecoder(zr)
	for dec.More() {
		var d struct {
			Text string `json:"text"`
		}
		if err := dec.Decode(&d); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		texts = append(texts, d.Text)
		n += int64(len(d.Text))
	}
	return texts, n
}

// report adds docs/s (wall clock) and, where the CPU time can be read,
// docs/cpu-s: documents per second of CPU time, the throughput of one core
// whatever else the machine runs (GC included).
func report(b *testing.B, docs int, cpu0 time.Duration) {
	b.ReportMetric(float64(docs*b.N)/b.Elapsed().Seconds(), "docs/s")
	if cpu := benchutil.CPUTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(docs*b.N)/cpu.Seconds(), "docs/cpu-s")
	}
}

// BenchmarkDCLMHeuristics runs the whole recipe on every document.
func BenchmarkDCLMHeuristics(b *testing.B) {
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		b.Fatal(err)
	}
	texts, n := benchTexts(b)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := benchutil.CPUTime()
	for range b.N {
		for _, t := range texts {
			r.Run(&filters.Doc{Text: t})
		}
	}
	report(b, len(texts), cpu0)
}

// benchStep runs one step of the recipe on every document.
func benchStep(b *testing.B, id string) {
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		b.Fatal(err)
	}
	var step filters.RecipeStep
	for _, s := range r.Steps {
		if s.ID == id {
			step = s
		}
	}
	texts, n := benchTexts(b)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := benchutil.CPUTime()
	for range b.N {
		for _, t := range texts {
			d := &filters.Doc{Text: t}
			switch s := step.Step.(type) {
			case filters.Filter:
				s.Filter(d)
			case filters.Modifier:
				s.Modify(d)
			case filters.Annotator:
				s.Annotate(d)
			}
		}
	}
	report(b, len(texts), cpu0)
}

func BenchmarkRepetition(b *testing.B)        { benchStep(b, "massive_web_repetition_filters") }
func BenchmarkURLRemoval(b *testing.B)        { benchStep(b, "url_removal_modifier") }
func BenchmarkUppercaseLines(b *testing.B)    { benchStep(b, "uppercase_ratio_line_modifier") }
func BenchmarkCounterLines(b *testing.B)      { benchStep(b, "counter_line_modifier") }
func BenchmarkSubstringReadMore(b *testing.B) { benchStep(b, "substring_line_modifier_read_more") }
func BenchmarkStopWords(b *testing.B)         { benchStep(b, "stop_word_filter") }

func benchFunc(b *testing.B, f func(string)) {
	texts, n := benchTexts(b)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := benchutil.CPUTime()
	for range b.N {
		for _, t := range texts {
			f(t)
		}
	}
	report(b, len(texts), cpu0)
}

func BenchmarkUAXWords(b *testing.B) { benchFunc(b, func(s string) { text.UAXWords(s) }) }
func BenchmarkFastTextCount(b *testing.B) {
	benchFunc(b, func(s string) { text.FastTextCount(s, true) })
}
func BenchmarkFields(b *testing.B) { benchFunc(b, func(s string) { text.Fields(s) }) }
func BenchmarkLines(b *testing.B) {
	benchFunc(b, func(s string) { heuristics.Lines(&filters.Doc{Text: s}) })
}
