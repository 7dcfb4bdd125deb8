package shard

import (
	"context"
	"io"
	"os"
	"testing"
)

// BenchmarkHTTPReadRecords reads a whole shard's records over loopback HTTP
// (HEAD, head block, one stream per iteration).
func BenchmarkHTTPReadRecords(b *testing.B) {
	file := td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst"
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	_, url := serveFile(b, file, faultNone, 0)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		readRecords(b, Whole(url), Options{})
	}
}

// BenchmarkLocalReadRecords is the same read from the local file.
func BenchmarkLocalReadRecords(b *testing.B) {
	file := td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst"
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		readRecords(b, Whole(file), Options{})
	}
}

func readRecords(b *testing.B, rng Range, opts Options) {
	r, err := Open(context.Background(), rng, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for {
		_, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
