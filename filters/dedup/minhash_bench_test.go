package dedup

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// BenchmarkMinHashSignature fingerprints real web pages (FineWeb's
// parameters): the workers' share.
func BenchmarkMinHashSignature(b *testing.B) {
	m := newTestMinHash(b, MinHashParams{})
	docs := webDocs(b)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Text))
	}
	b.SetBytes(bytes / int64(len(docs)))
	b.ReportAllocs()
	var fp []byte
	i := 0
	for b.Loop() {
		fp, _, _ = m.Fingerprint(&filters.Doc{Text: docs[i%len(docs)].Text}, fp[:0])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkMinHashJudge observes and judges 1M fingerprints (14 bands,
// one document in ten a copy of an earlier one): the coordinator's share.
func BenchmarkMinHashJudge(b *testing.B) {
	m := newTestMinHash(b, MinHashParams{})
	const n = 1_000_000
	r := rand.New(rand.NewPCG(1, 2))
	fps := make([][]byte, n)
	for i := range fps {
		if i > 0 && r.IntN(10) == 0 {
			fps[i] = fps[r.IntN(i)]
			continue
		}
		keys := make([]uint64, 14)
		for k := range keys {
			keys[k] = r.Uint64()
		}
		fps[i] = fp(keys...)
	}
	var heap float64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		j, _ := m.NewJudge()
		cl := j.(filters.Clusterer)
		for _, f := range fps {
			if err := cl.Observe(f); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc-before.HeapAlloc) / n
		b.StartTimer()
		var v []byte
		for _, f := range fps {
			var err error
			if v, err = cl.Judge(f, v[:0]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(minhashBytesPerDoc(14)), "planned-bytes/doc")
	b.ReportMetric(heap, "heap-bytes/doc")
}
