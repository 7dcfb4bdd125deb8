package ngram

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkLoad measures start-up (unigram to trigram tables) and the lazy
// load of quadrigrams and fivegrams, with the live heap after each:
//
//	go test -run '^$' -bench Load -benchtime 1x ./filters/langid/ngram/
func BenchmarkLoad(b *testing.B) {
	for range b.N {
		runtime.GC()
		var m0, m1, m2 runtime.MemStats
		runtime.ReadMemStats(&m0)
		t0 := time.Now()
		m, err := LoadModels()
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		runtime.GC()
		runtime.ReadMemStats(&m1)
		if err := m.loadHigh(); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		runtime.GC()
		runtime.ReadMemStats(&m2)
		b.ReportMetric(t1.Sub(t0).Seconds(), "s-trigram-load")
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, "MB-trigram-heap")
		b.ReportMetric(t2.Sub(t1).Seconds(), "s-high-load")
		b.ReportMetric(float64(m2.HeapAlloc-m0.HeapAlloc)/1e6, "MB-all-heap")
		b.ReportMetric(float64(m.MemoryBytes())/1e6, "MB-tables")
		runtime.KeepAlive(m)
	}
}
