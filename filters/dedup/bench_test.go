package dedup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/benchutil"
)

// cpuMBs reports cpu-MB/s: the bytes processed per second of the process's
// CPU time since start (with -cpu 1, MB/s per core however busy the
// machine is, as long as it does not thrash the caches).
func cpuMBs(b *testing.B, start time.Duration, bytes int64) {
	if d := benchutil.CPUTime() - start; d > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/d.Seconds(), "cpu-MB/s")
	}
}

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

// poolTexts reads the texts of the make_pool.py pool named by
// CURATOR_DEDUP_POOL (see TestPool), in canonical order.
func poolTexts(b *testing.B) ([]string, int64) {
	dir := os.Getenv("CURATOR_DEDUP_POOL")
	if dir == "" {
		b.Skip("CURATOR_DEDUP_POOL is not set: no make_pool.py pool to read")
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "jsonl", "shard_*.jsonl.gz"))
	sort.Strings(shards)
	if len(shards) == 0 {
		b.Fatalf("%s: no jsonl/shard_*.jsonl.gz", dir)
	}
	var texts []string
	var n int64
	for _, s := range shards {
		readGz(b, s, func(line []byte) {
			var d testDoc
			if err := json.Unmarshal(line, &d); err != nil {
				b.Fatalf("%s: %v", s, err)
			}
			texts = append(texts, d.Text)
			n += int64(len(d.Text))
		})
	}
	return texts, n
}

// BenchmarkShingle: tokenizing and hashing, MB/s of text on one core.
func BenchmarkShingle(b *testing.B) {
	texts, n := benchTexts(b)
	benchShingle(b, texts, n)
}

// BenchmarkShinglePool: the same on the pool's texts (20% of their bytes
// are not ASCII).
func BenchmarkShinglePool(b *testing.B) {
	texts, n := poolTexts(b)
	benchShingle(b, texts, n)
}

func benchShingle(b *testing.B, texts []string, n int64) {
	z, _ := NewShingler(13, 13, false)
	b.SetBytes(n)
	b.ReportAllocs()
	cpu := benchutil.CPUTime()
	for b.Loop() {
		for _, s := range texts {
			z.Shingle(s)
		}
	}
	cpuMBs(b, cpu, n)
}

// BenchmarkTokens: the tokenizer alone.
func BenchmarkTokens(b *testing.B) {
	texts, n := benchTexts(b)
	b.SetBytes(n)
	k := 0
	cpu := benchutil.CPUTime()
	for b.Loop() {
		for _, s := range texts {
			Tokens(s, func(string) bool { k++; return true })
		}
	}
	cpuMBs(b, cpu, n)
}

// BenchmarkOldBoth: shingling and old-both deciding with a bloom filter
// sized for the input (the filter is cleared between passes), MB/s of text
// on one core; bytes/ngram is the filter size per distinct shingle.
// "bloom" decides against the Bloom, "lookup" through a Lookup loaded with
// each document's shingles, "blocked" through a Lookup over a blocked
// filter planned for the same n-grams (PlanBlocked: 1.240 bytes/ngram).
func BenchmarkOldBoth(b *testing.B) {
	texts, n := benchTexts(b)
	_, distinct := countShingles(texts)
	benchModes(b, texts, n, uint64(distinct), distinct)
}

// BenchmarkOldBothLargeFilter: the same with a 120 MB filter (1e8 n-grams),
// where every query and insertion misses the caches as in a real run.
func BenchmarkOldBothLargeFilter(b *testing.B) {
	texts, n := benchTexts(b)
	_, distinct := countShingles(texts)
	benchModes(b, texts, n, 1e8, distinct)
}

// BenchmarkOldBothHugeFilter: the same with a 1.2 GB filter (1e9 n-grams,
// DCLM's example in its issue 71).
func BenchmarkOldBothHugeFilter(b *testing.B) {
	texts, n := benchTexts(b)
	_, distinct := countShingles(texts)
	benchModes(b, texts, n, 1e9, distinct)
}

// BenchmarkOldBothPool: the pool's texts with a filter planned for their
// distinct n-grams, and with the 1.2 GB filter.
func BenchmarkOldBothPool(b *testing.B) {
	texts, n := poolTexts(b)
	_, distinct := countShingles(texts)
	b.Run("sized", func(b *testing.B) { benchModes(b, texts, n, uint64(distinct), distinct) })
	b.Run("1e9", func(b *testing.B) { benchModes(b, texts, n, 1e9, distinct) })
}

func benchModes(b *testing.B, texts []string, n int64, expected uint64, distinct int) {
	for _, kind := range []string{"bloom", "lookup", "blocked"} {
		b.Run(kind, func(b *testing.B) { benchOldBoth(b, texts, n, expected, distinct, kind) })
	}
}

// benchFilters keeps the benchmarks' filters from one run of a benchmark
// function to the next: a real run allocates its filter once (and a new
// 1.2 GB filter in the same process would reuse the last one's memory).
var benchFilters = map[Plan]*Bloom{}

func benchFilter(b *testing.B, plan Plan, blocked bool) *Bloom {
	if bf := benchFilters[plan]; bf != nil {
		return bf
	}
	clear(benchFilters)
	newBloom := NewBloom
	if blocked {
		newBloom = NewBlockedBloom
	}
	bf, err := newBloom(plan)
	if err != nil {
		b.Fatal(err)
	}
	clear(bf.words) // fault the pages in before timing
	benchFilters[plan] = bf
	return bf
}

// benchSalt is the salt of the last pass over a large filter: every pass
// of the process has its own, even when benchmarks share a filter.
var benchSalt uint64

// benchOldBoth decides texts in old-both mode once per iteration. A filter
// larger than 16 MB is not cleared between iterations (that would cost more
// than the pass): each pass XORs its shingle hashes with a salt of its own
// instead (benchSalt), so that it meets a filter holding the earlier
// passes' shingles as unrelated bits, as a real run's filter fills.
func benchOldBoth(b *testing.B, texts []string, n int64, expected uint64, distinct int, kind string) {
	plan, _ := PlanBloom(expected, 0.01)
	if kind == "blocked" {
		plan, _ = PlanBlocked(expected, 0.01)
	}
	bf := benchFilter(b, plan, kind == "blocked")
	lookup := kind != "bloom"
	l := NewLookup(bf)
	if a, err := strconv.Atoi(os.Getenv("CURATOR_DEDUP_AHEAD")); err == nil {
		l.ahead = a
	}
	var m Membership = bf
	if lookup {
		m = l
	}
	z, _ := NewShingler(13, 13, false)
	dec := Decider{Mode: ModeOldBoth, Threshold: 0.8}
	var dc Decision
	salt, removed := uint64(0), 0
	b.SetBytes(n)
	b.ReportAllocs()
	cpu := benchutil.CPUTime()
	for b.Loop() {
		if plan.Bytes <= 16<<20 {
			clear(bf.words)
		} else {
			benchSalt += 0x9e3779b97f4a7c15
			salt = benchSalt
		}
		for _, s := range texts {
			sh := z.Shingle(s)
			if salt != 0 {
				for i := range sh.Hashes {
					sh.Hashes[i] ^= salt
				}
			}
			if lookup {
				l.Load(sh.Hashes)
			}
			dec.Decide(sh, m, &dc)
			removed += len(dc.Removed)
		}
	}
	cpuMBs(b, cpu, n)
	b.ReportMetric(float64(plan.Bytes)/float64(expected), "bytes/ngram")
	b.ReportMetric(float64(plan.Bytes)/1e6, "filter-MB")
	b.ReportMetric(float64(distinct), "distinct-ngrams")
	b.ReportMetric(float64(removed)/float64(b.N), "removed-units/op")
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
	if hits > b.N/2 {
		b.Fatalf("%d of %d new shingles found", hits, b.N)
	}
}

// BenchmarkLookupQueryInsert: the same through a Lookup loaded with 256
// shingles at a time (as a document's), in a 1.2 GB filter (1e9 n-grams),
// standard and blocked: ns/shingle, the reads of the shingles ahead
// overlapping.
func BenchmarkLookupQueryInsert(b *testing.B) {
	for _, blocked := range []bool{false, true} {
		name := "standard"
		plan, _ := PlanBloom(1e9, 0.01)
		if blocked {
			name = "blocked"
			plan, _ = PlanBlocked(1e9, 0.01)
		}
		b.Run(name, func(b *testing.B) {
			bf := benchFilter(b, plan, blocked)
			l := NewLookup(bf)
			if a, err := strconv.Atoi(os.Getenv("CURATOR_DEDUP_AHEAD")); err == nil {
				l.ahead = a
			}
			hs := make([]uint64, 256)
			x := uint64(0)
			hits := 0
			for b.Loop() {
				for i := range hs {
					x += 0x9e3779b97f4a7c15
					hs[i] = x
				}
				l.Load(hs)
				for _, h := range hs {
					if l.Contains(h) {
						hits++
					}
				}
				for _, h := range hs {
					l.Add(h)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(hs)), "ns/shingle")
			if hits > b.N*len(hs)/2 {
				b.Fatalf("%d of %d new shingles found", hits, b.N*len(hs))
			}
		})
	}
}
