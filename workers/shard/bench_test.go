package shard

import (
	"io"
	"os"
	"testing"
)

// benchFile returns a real file for the benchmarks: the full Common Crawl
// sample when the shared data is there, else its copied head.
func benchFile(b *testing.B, shared, local string) string {
	if haveShared() {
		return sharedData + shared
	}
	return td + local
}

// benchRead reads the whole file b.N times and reports records/s and the
// uncompressed MB/s (the WARC bytes parsed).
func benchRead(b *testing.B, path string) {
	r, err := Open(b.Context(), Whole(path), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
	}
	raw := r.us.uoff
	records := r.Counts().Total()
	r.Close()
	st, _ := os.Stat(path)
	b.SetBytes(raw)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Open(b.Context(), Whole(path), Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		r.Close()
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(records)/sec, "records/s")
	b.ReportMetric(float64(st.Size())/sec/1e6, "compressed-MB/s")
}

func BenchmarkReadWARCGzip(b *testing.B) {
	benchRead(b, benchFile(b, "warc/resiliparse_CC-MAIN-2020-34_warcfile.warc.gz", "resiliparse_CC-MAIN-2020-34_head20.warc.gz"))
}

func BenchmarkReadWARCZstdDict(b *testing.B) {
	benchRead(b, benchFile(b, "zstd/resiliparse_CC-MAIN-2020-34.dict.warc.zst", "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst"))
}

func BenchmarkReadWARC017(b *testing.B) {
	benchRead(b, benchFile(b, "warc/aut_IAH-20080430204825-blackbook_warc0.17.warc.gz", "aut_IAH-20080430204825_head40.warc.gz"))
}

func BenchmarkReadWET(b *testing.B) {
	benchRead(b, benchFile(b, "wet/jeffharwell_CC-MAIN-2016-50_filter_test_1.wet.gz", "jeffharwell_CC-MAIN-2016-50_fragment3.wet.gz"))
}

func BenchmarkReadJSONLZstd(b *testing.B) {
	benchRead(b, benchFile(b, "jsonl/real_web_docs_mixed_560.jsonl.zst", "real_web_docs_mixed_head40.jsonl.zst"))
}

func BenchmarkSplit(b *testing.B) {
	path := benchFile(b, "zstd/aut_IAH-20080430204825.dict.warc.zst", "aut_IAH-20080430204825_head40.dict.warc.zst")
	for b.Loop() {
		if _, err := Split(path, 256<<10, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteZstd(b *testing.B) {
	line := []byte(`{"id":"x","text":"` + string(make([]byte, 0)) + `The quick brown fox jumps over the lazy dog, again and again and again."}`)
	b.SetBytes(int64(len(line)+1) * 1000)
	for b.Loop() {
		w, err := Create(b.TempDir() + "/o.jsonl.zst")
		if err != nil {
			b.Fatal(err)
		}
		for range 1000 {
			w.WriteLine(line)
		}
		if err := w.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
