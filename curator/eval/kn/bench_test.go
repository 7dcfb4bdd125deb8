package kn

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// sharedBrown is the whole Brown corpus (1,017,323 whitespace-separated words),
// present in the project's workspace but not in a user's clone; the benchmarks
// fall back to the 40,648-word sample in testdata, repeated.
const sharedBrown = "../../../../shared/data/text/brown_corpus_plain.jsonl.gz"

type benchData struct {
	train   [][]uint32 // one sequence per document, n tokens in all (EOS not counted)
	heldOut [][]uint32 // the documents after the first n tokens, if any
	vocab   int
}

// benchCorpus returns n tokens of Brown text, one sequence per document, repeating
// the corpus when it is shorter than n (said in the benchmark log). With disjoint,
// each repetition uses its own ids (as if each were another language), so that the
// number of distinct n-grams grows with n as in real text, instead of staying
// that of one copy.
func benchCorpus(b *testing.B, n int, disjoint bool) benchData {
	b.Helper()
	path := sharedBrown
	if _, err := os.Stat(path); err != nil {
		path = brownSample
	}
	docs, err := readDocs(path)
	if err != nil {
		b.Fatal(err)
	}
	words := wordIDs{}
	var all [][]uint32
	total := 0
	for _, d := range docs {
		ids := words.ids(d)
		all = append(all, ids)
		total += len(ids)
	}
	var data benchData
	data.vocab = len(words)
	left := n
	orig := all
	for rep := 0; left > 0; rep++ {
		if disjoint && rep > 0 {
			shifted := make([][]uint32, len(orig))
			for i, s := range orig {
				shifted[i] = make([]uint32, len(s))
				for j, id := range s {
					shifted[i][j] = id + uint32(rep*len(words))
				}
			}
			all = shifted
			data.vocab += len(words)
		}
		for _, s := range all {
			if left == 0 {
				if rep == 0 {
					data.heldOut = append(data.heldOut, s)
				}
				continue
			}
			if len(s) > left {
				if rep == 0 {
					data.heldOut = append(data.heldOut, s[left:])
				}
				s = s[:left]
			}
			data.train = append(data.train, s)
			left -= len(s)
		}
	}
	if n > total {
		b.Logf("%s has %d words: repeated %.2f times to make %d training tokens (disjoint ids: %v)",
			path, total, float64(n)/float64(total), n, disjoint)
	}
	return data
}

// heapPeak runs f and returns the peak of live heap objects seen while it ran,
// sampled every millisecond, in bytes.
func heapPeak(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	read := func() {
		metrics.Read(sample)
		mu.Lock()
		peak = max(peak, sample[0].Value.Uint64())
		mu.Unlock()
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	f()
	read()
	close(done)
	<-stopped
	return peak
}

func trainModel(b *testing.B, order int, d benchData) *Model {
	bl, err := NewBuilder(order, d.vocab)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range d.train {
		if err := bl.Add(s); err != nil {
			b.Fatal(err)
		}
	}
	m, err := bl.Build()
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkTrain: counting and estimation, tokens/s, with the model's heap size
// and the peak live heap during Add+Build (the token ids included). The 5M cases
// repeat Brown about 4.9 times: "-disjoint" gives each copy its own ids, the
// other repeats the same text (fewer distinct n-grams than real 5M-token text).
func BenchmarkTrain(b *testing.B) {
	for _, c := range []struct {
		order, tokens int
		disjoint      bool
	}{{4, 1_000_000, false}, {5, 1_000_000, false}, {5, 5_000_000, false}, {5, 5_000_000, true}} {
		name := fmt.Sprintf("order=%d/tokens=%dM", c.order, c.tokens/1_000_000)
		if c.disjoint {
			name += "-disjoint"
		}
		b.Run(name, func(b *testing.B) {
			d := benchCorpus(b, c.tokens, c.disjoint)
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			var m *Model
			var peak uint64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				m = nil
				runtime.GC()
				b.StartTimer()
				peak = heapPeak(func() { m = trainModel(b, c.order, d) })
			}
			b.StopTimer()
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(m.Tokens())*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "model-MiB")
			b.ReportMetric(float64(peak-before.HeapAlloc)/(1<<20), "peak-MiB")
			runtime.KeepAlive(m)
		})
	}
}

// BenchmarkScore: Bits over the training text itself ("seen": most contexts are
// found, the longest lookups) and over the Brown text after the first 1M tokens
// ("heldout").
func BenchmarkScore(b *testing.B) {
	d := benchCorpus(b, 1_000_000, false)
	for _, order := range []int{4, 5} {
		m := trainModel(b, order, d)
		for _, set := range []struct {
			name string
			seqs [][]uint32
		}{{"seen", d.train}, {"heldout", d.heldOut}} {
			if len(set.seqs) == 0 {
				continue
			}
			b.Run(fmt.Sprintf("order=%d/%s", order, set.name), func(b *testing.B) {
				tokens := 0
				for _, s := range set.seqs {
					tokens += len(s) + 1
				}
				bits := 0.0
				b.ResetTimer()
				for range b.N {
					bits = 0
					for _, s := range set.seqs {
						bits += m.Bits(s)
					}
				}
				b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
				b.ReportMetric(bits/float64(tokens), "bits/token")
			})
		}
	}
}
