package langid

import (
	"strings"
	"syscall"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/pemistahl/lingua-go"
)

// The benchmarks run on the English web pages of web_docs_sample.jsonl (DCLM
// golden inputs) and report docs/s and MB/s:
//
//	go test -run '^$' -bench . -benchtime 20x ./filters/langid/

func benchDocs(b testing.TB) ([]string, int) {
	var texts []string
	n := 0
	for _, s := range readSamples(b, "web_docs_sample.jsonl") {
		texts = append(texts, s.Text)
		n += len(s.Text)
	}
	return texts, n
}

// report writes docs/s and MB/s of wall time and, as the machine may be
// shared, docs per CPU second of the process (cpu0 from cpuSeconds taken
// after b.ResetTimer).
func report(b *testing.B, docs, bytes int, cpu0 float64) {
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(docs)/secs, "docs/s")
	b.ReportMetric(float64(bytes)/secs/1e6, "MB/s")
	b.ReportMetric(float64(docs)/(cpuSeconds()-cpu0), "docs/cpu-s")
	b.ReportMetric(float64(bytes)/(cpuSeconds()-cpu0)/1e6, "MB/cpu-s")
}

// cpuSeconds is the user and system CPU time the process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkStep is the lang step with DCLM's settings (all languages, keep
// en above 0.65).
func BenchmarkStep(b *testing.B) {
	s := buildLang(b, Params{Keep: []string{"en"}, Threshold: 0.65, Key: DefaultKey})
	texts, n := benchDocs(b)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		for _, t := range texts {
			d := &filters.Doc{Text: t}
			if _, err := s.Filter(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	report(b, b.N*len(texts), b.N*n, cpu0)
}

// BenchmarkLinguaDirect calls lingua-go itself (low accuracy, all
// languages) on the same texts, newlines deleted beforehand: the reference
// the step's engine reproduces, in the same command.
func BenchmarkLinguaDirect(b *testing.B) {
	langs, _ := parseLanguages(nil)
	det := lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).WithLowAccuracyMode().WithPreloadedLanguageModels().Build()
	texts, n := benchDocs(b)
	for i, t := range texts {
		texts[i] = strings.ReplaceAll(t, "\n", "")
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		for _, t := range texts {
			det.ComputeLanguageConfidenceValues(t)
		}
	}
	report(b, b.N*len(texts), b.N*n, cpu0)
}

// BenchmarkStepParallel runs the step from GOMAXPROCS goroutines, as workers do.
func BenchmarkStepParallel(b *testing.B) {
	s := buildLang(b, Params{Keep: []string{"en"}, Threshold: 0.65, Key: DefaultKey})
	texts, n := benchDocs(b)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			d := &filters.Doc{Text: texts[i%len(texts)]}
			if _, err := s.Filter(d); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	report(b, b.N, b.N*n/len(texts), cpu0)
}

// BenchmarkStepMaxChars500 is BenchmarkStep detecting on the first 500
// characters only (max_chars: 500).
func BenchmarkStepMaxChars500(b *testing.B) {
	s := buildLang(b, Params{Keep: []string{"en"}, Threshold: 0.65, Key: DefaultKey, MaxChars: 500})
	texts, n := benchDocs(b)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		for _, t := range texts {
			d := &filters.Doc{Text: t}
			if _, err := s.Filter(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	report(b, b.N*len(texts), b.N*n, cpu0)
}
