package eval

import (
	"fmt"
	"strings"
	"testing"
)

// benchDocs builds n documents from real pages the way make_pool.py builds
// its web documents: a page with up to 6 paragraphs of another page
// inserted at a random point.
func benchDocs(b *testing.B, n int) []string {
	base := nearDupCorpus(b)
	paras := make([][]string, len(base))
	for i, t := range base {
		paras[i] = strings.Split(t, "\n")
	}
	r := newSplitMix(1)
	out := make([]string, n)
	for i := range out {
		p, d := paras[r.intn(len(paras))], paras[r.intn(len(paras))]
		cut := r.intn(len(p) + 1)
		k := r.intn(min(len(d), 6) + 1)
		doc := append(append(append([]string{}, p[:cut]...), d[:k]...), p[cut:]...)
		out[i] = strings.Join(doc, "\n")
	}
	return out
}

func BenchmarkNearDupRate20k(b *testing.B) {
	texts := benchDocs(b, 20000)
	var bytes int64
	for _, t := range texts {
		bytes += int64(len(t))
	}
	b.SetBytes(bytes)
	b.ResetTimer()
	var r NearDupResult
	for b.Loop() {
		r = NearDupRate(texts, DefaultNearDupParams())
	}
	b.ReportMetric(r.Rate, "dup_rate")
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkAgreement499x1000(b *testing.B) {
	pages := humanPages(b)
	kept := map[string]bool{}
	for i, p := range pages {
		kept[p.ID] = i%3 != 0
	}
	bs := Bootstrap{Samples: 1000, Seed: 1, Confidence: 0.95}
	for b.Loop() {
		Agreement(kept, pages, bs)
	}
}

func BenchmarkDistinctNgramRatio1M(b *testing.B) {
	seqs := wordIDs(benchDocs(b, 2500))
	total := 0
	for _, s := range seqs {
		total += len(s)
	}
	for b.Loop() {
		DistinctNgramRatio(seqs, 4)
	}
	b.ReportMetric(float64(total), "tokens")
}

func BenchmarkSampleBudget20k(b *testing.B) {
	ids := make([]string, 20000)
	for i := range ids {
		ids[i] = fmt.Sprintf("doc-%08d", i)
	}
	for b.Loop() {
		SampleBudget(ids, 7, 1_000_000, func(int) int { return 500 })
	}
}
