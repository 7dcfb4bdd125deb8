package tokens

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// poolSampleDocs is the number of pool documents BenchmarkR50kPool counts.
const poolSampleDocs = 3000

// poolTexts returns the text of the first poolSampleDocs documents of the
// benchmark pool named by CURATOR_BENCH_POOL: a gzipped JSONL file with a
// "text" field, or a pool directory holding jsonl/shard_00000.jsonl.gz. It
// skips the benchmark when the variable is unset (the pool is not in the
// repository).
func poolTexts(b *testing.B) []string {
	b.Helper()
	p := os.Getenv("CURATOR_BENCH_POOL")
	if p == "" {
		b.Skip("CURATOR_BENCH_POOL is unset: set it to a pool directory (with jsonl/shard_00000.jsonl.gz) or a .jsonl.gz file to run this benchmark")
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		p = filepath.Join(p, "jsonl", "shard_00000.jsonl.gz")
	}
	var texts []string
	for _, d := range readJSONLDocs(b, p) {
		texts = append(texts, d.Text)
	}
	if len(texts) > poolSampleDocs {
		texts = texts[:poolSampleDocs]
	}
	return texts
}

// testdataMix is the documents of testdata/tokens: English web pages, Brown
// documents and the sentences of 75 languages (one document per language).
func testdataMix(b *testing.B) []string {
	texts := append(readJSONLText(b, "web_en.jsonl.gz"), readJSONLText(b, "brown.jsonl.gz")...)
	byLang := map[string][]string{}
	var langs []string
	for _, d := range readJSONLDocs(b, "../../testdata/tokens/sentences_75langs.jsonl.gz") {
		if byLang[d.Lang] == nil {
			langs = append(langs, d.Lang)
		}
		byLang[d.Lang] = append(byLang[d.Lang], d.Text)
	}
	for _, l := range langs {
		texts = append(texts, strings.Join(byLang[l], " "))
	}
	return texts
}

// benchDocs counts the tokens of each document of texts per iteration:
// warm (the shared encoder, its cache filled by earlier iterations) and
// cold (a fresh piece cache per iteration, as for a first pass over new
// text), without the piece cache, and Encode (warm).
func benchDocs(b *testing.B, texts []string) {
	e := mustR50k(b)
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.Run("Count", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, t := range texts {
				e.Count(t)
			}
		}
	})
	b.Run("CountCold", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			cold := *e
			cold.cache, cold.counts = newPieceCache(), newCountCache()
			for _, t := range texts {
				cold.Count(t)
			}
		}
	})
	b.Run("CountNoCache", func(b *testing.B) {
		b.SetBytes(int64(size))
		noCache := *e
		noCache.cache, noCache.counts = nil, nil
		for b.Loop() {
			for _, t := range texts {
				noCache.Count(t)
			}
		}
	})
	b.Run("Encode", func(b *testing.B) {
		b.SetBytes(int64(size))
		var dst []uint32
		for b.Loop() {
			for _, t := range texts {
				dst = e.Encode(t, dst[:0])
			}
		}
	})
}

// BenchmarkR50kPool counts the tokens of real crawl pages from the
// benchmark pool (CURATOR_BENCH_POOL), one Count per document.
func BenchmarkR50kPool(b *testing.B) { benchDocs(b, poolTexts(b)) }

// BenchmarkR50kMix counts the tokens of the documents of testdata/tokens
// (English web, Brown, 75 languages), one Count per document.
func BenchmarkR50kMix(b *testing.B) { benchDocs(b, testdataMix(b)) }

// jsonlDoc is the part of a JSONL line the benchmarks read.
type jsonlDoc struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}

// readJSONLDocs returns every line of a gzipped JSONL file.
func readJSONLDocs(tb testing.TB, path string) []jsonlDoc {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	var docs []jsonlDoc
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		var d jsonlDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			tb.Fatalf("%s line %d: %v", path, line, err)
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	if len(docs) == 0 {
		tb.Fatalf("%s: no documents", path)
	}
	return docs
}
