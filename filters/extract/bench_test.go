package extract

import (
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/benchutil"
)

// reportCPU reports MB of HTML per CPU-second of the whole process (user +
// system, GC included) next to the wall-clock MB/s, which on a shared
// machine says more about the neighbours than about the code.
func reportCPU(b *testing.B, start time.Duration, bytes int) {
	if cpu := benchutil.CPUTime() - start; cpu > 0 && start > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkExtract extracts every page in testdata/extract (Wikipedia
// articles and Common Crawl WARC response bodies in several charsets) per
// iteration; MB/s is HTML bytes in per second.
func BenchmarkExtract(b *testing.B) {
	var docs []page
	docs = append(docs, pages(b)...)
	for n, body := range wikipedia(b) {
		docs = append(docs, page{name: n, body: body})
	}
	total := 0
	for _, d := range docs {
		total += len(d.body)
	}
	all := DefaultOptions()
	all.MainContent = false
	strict := DefaultOptions()
	strict.StrictUTF8 = true
	for _, c := range []struct {
		name string
		opts Options
	}{{"main_content", DefaultOptions()}, {"all", all}, {"strict_utf8", strict}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(total))
			b.ReportAllocs()
			start := benchutil.CPUTime()
			for b.Loop() {
				for _, d := range docs {
					_, _, _ = Text(d.body, d.contentType, c.opts)
				}
			}
			reportCPU(b, start, total)
		})
	}
}

// BenchmarkExtractPage extracts each page on its own.
func BenchmarkExtractPage(b *testing.B) {
	docs := pages(b)
	for n, body := range wikipedia(b) {
		docs = append(docs, page{name: n, body: body})
	}
	for _, d := range docs {
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(int64(len(d.body)))
			b.ReportAllocs()
			for b.Loop() {
				_, _, _ = Text(d.body, d.contentType, DefaultOptions())
			}
		})
	}
}
