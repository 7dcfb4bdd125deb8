package dedup

import (
	"testing"
)

func benchTexts(b *testing.B) ([]string, int64) {
	docs := webDocs(b)
	var texts []string
	var n int64
	for _, d := range docs {
		texts = append(texts, d.Text)
		n += int64(len(d.Text))
	}
	return texts, n
}

// BenchmarkShingle: tokenizing and hashing, MB/s of text on one core.
func BenchmarkShingle(b *testing.B) {
	texts, n := benchTexts(b)
	z, _ := NewShingler(13, 13, false)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			z.Shingle(s)
		}
	}
}

// BenchmarkTokens: the tokenizer alone.
func BenchmarkTokens(b *testing.B) {
	texts, n := benchTexts(b)
	b.SetBytes(n)
	k := 0
	for b.Loop() {
		for _, s := range texts {
			Tokens(s, func(string) bool { k++; return true })
		}
	}
}

// BenchmarkOldBoth: shingling and old-both deciding with a bloom filter
// sized for the input (the filter is cleared between passes), MB/s of text
// on one core; bytes/ngram is the filter size per distinct shingle.
func BenchmarkOldBoth(b *testing.B) {
	texts, n := benchTexts(b)
	_, distinct := countShingles(texts)
	benchOldBoth(b, texts, n, uint64(distinct), distinct)
}

// BenchmarkOldBothLargeFilter: the same with a 120 MB filter (1e8 n-grams),
// where every query and insertion misses the caches as in a real run.
func BenchmarkOldBothLargeFilter(b *testing.B) {
	texts, n := benchTexts(b)
	_, distinct := countShingles(texts)
	benchOldBoth(b, texts, n, 1e8, distinct)
}

func benchOldBoth(b *testing.B, texts []string, n int64, expected uint64, distinct int) {
	plan, _ := PlanBloom(expected, 0.01)
	bf, _ := NewBloom(plan)
	z, _ := NewShingler(13, 13, false)
	dec := Decider{Mode: ModeOldBoth, Threshold: 0.8}
	var dc Decision
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		clear(bf.words)
		for _, s := range texts {
			dec.Decide(z.Shingle(s), bf, &dc)
		}
	}
	b.ReportMetric(float64(plan.Bytes)/float64(expected), "bytes/ngram")
	b.ReportMetric(float64(distinct), "distinct-ngrams")
}

// BenchmarkBloomQueryInsert: one query and one insertion of a new shingle
// (what an owner does per shingle) in a filter planned for 1e8 n-grams
// (120 MB): ns/op is the cost per shingle, dominated by k cache misses.
func BenchmarkBloomQueryInsert(b *testing.B) {
	plan, _ := PlanBloom(1e8, 0.01)
	bf, _ := NewBloom(plan)
	x := uint64(0)
	hits := 0
	for b.Loop() {
		x += 0x9e3779b97f4a7c15
		if bf.Contains(x) {
			hits++
		}
		bf.Add(x)
	}
	b.ReportMetric(float64(plan.K), "k")
}
