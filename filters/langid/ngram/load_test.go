package ngram

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLoad measures start-up (unigram to trigram tables) and the load
// of quadrigrams and fivegrams: cold (built from lingua's models and written
// to an empty cache directory), then from that cache, mapped (what loadHigh
// does) and read into the heap. It reports the live heap after each and the
// process's resident memory (anonymous and file-backed, from /proc; the
// process also holds the benchmark's earlier steps, so compare deltas):
//
//	go test -run '^$' -bench Load -benchtime 1x ./filters/langid/ngram/
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	b.Setenv(cacheDirEnv, dir)
	b.Run("cold", func(b *testing.B) {
		for range b.N {
			clearDir(b, dir)
			m, m0 := startLoad(b)
			t0, c0 := time.Now(), cpuTime()
			if err := m.loadHigh(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "s-high-cold")
			b.ReportMetric(cpuTime()-c0, "s-cpu-high-cold")
			endLoad(b, m, m0)
		}
	})
	b.Run("cached-mmap", func(b *testing.B) {
		for range b.N {
			m, m0 := startLoad(b)
			t0 := time.Now()
			if err := m.loadHigh(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "s-high-cached")
			endLoad(b, m, m0)
		}
	})
	b.Run("cached-read", func(b *testing.B) {
		for range b.N {
			m, m0 := startLoad(b)
			t0 := time.Now()
			key, err := m.cacheKey()
			if err != nil {
				b.Fatal(err)
			}
			data, err := readCacheFile(cachePath(b, key))
			if err != nil {
				b.Fatal(err)
			}
			ts, err := parseCache(data, key)
			if err != nil {
				b.Fatal(err)
			}
			m.tabs[4], m.tabs[5] = ts[0], ts[1]
			m.highOnce.Do(func() {})
			b.ReportMetric(time.Since(t0).Seconds(), "s-high-cached")
			endLoad(b, m, m0)
		}
	})
}

func clearDir(b *testing.B, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Remove(dir + "/" + e.Name()); err != nil {
			b.Fatal(err)
		}
	}
}

func cachePath(tb testing.TB, key [32]byte) string {
	dir, err := cacheDir()
	if err != nil {
		tb.Fatal(err)
	}
	return dir + "/" + cacheName(key)
}

// cpuTime is the process's user and system CPU time in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// startLoad loads the trigram models, reporting time and heap.
func startLoad(b *testing.B) (*Models, runtime.MemStats) {
	debug.FreeOSMemory()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	m, err := LoadModels()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(t0).Seconds(), "s-trigram-load")
	runtime.GC()
	runtime.ReadMemStats(&m1)
	b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, "MB-trigram-heap")
	return m, m0
}

// endLoad reports the heap, tables and resident memory with all orders loaded.
func endLoad(b *testing.B, m *Models, m0 runtime.MemStats) {
	debug.FreeOSMemory()
	var m2 runtime.MemStats
	runtime.ReadMemStats(&m2)
	b.ReportMetric(float64(m2.HeapAlloc-m0.HeapAlloc)/1e6, "MB-all-heap")
	b.ReportMetric(float64(m.MemoryBytes())/1e6, "MB-tables")
	st := procStatus(b)
	b.ReportMetric(st["RssAnon"]/1e3, "MB-rss-anon")
	b.ReportMetric(st["RssFile"]/1e3, "MB-rss-file")
	b.ReportMetric(st["VmHWM"]/1e3, "MB-rss-peak")
	runtime.KeepAlive(m)
}

// procStatus returns the kB fields of /proc/self/status (none elsewhere).
func procStatus(tb testing.TB) map[string]float64 {
	st := map[string]float64{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return st
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(rest)
		if !ok || len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		if v, err := strconv.ParseFloat(fields[0], 64); err == nil {
			st[name] = v
		}
	}
	return st
}
