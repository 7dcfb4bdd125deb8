package shard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

const td = "../../testdata/shard/"

// sharedData is the project's shared data folder; a user's clone lacks it.
const sharedData = "../../../shared/data/"

func haveShared() bool {
	_, err := os.Stat(sharedData + "README.md")
	return err == nil
}

// readResult is everything a reader gave.
type readResult struct {
	recs    []*Record
	recErrs []*RecordError
	fatal   error
	counts  Counts
}

// readAll reads a range to its end; it stops at a fatal error after checking
// that Next repeats it.
func readAll(t testing.TB, rng Range, opts Options) readResult {
	t.Helper()
	r, err := Open(context.Background(), rng, opts)
	if err != nil {
		return readResult{fatal: err}
	}
	defer r.Close()
	var res readResult
	for i := 0; ; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			if _, err := r.Next(); err != io.EOF {
				t.Fatalf("%s: Next after io.EOF gave %v", rng.Path, err)
			}
			break
		}
		var re *RecordError
		if errors.As(err, &re) {
			res.recErrs = append(res.recErrs, re)
			continue
		}
		if err != nil {
			res.fatal = err
			if _, err2 := r.Next(); err2 != err {
				t.Fatalf("%s: Next after fatal %v gave %v", rng.Path, err, err2)
			}
			break
		}
		res.recs = append(res.recs, rec)
	}
	res.counts = r.Counts()
	if got := res.counts.Records; got != int64(len(res.recs)) {
		t.Errorf("%s: Counts.Records %d, returned %d", rng.Path, got, len(res.recs))
	}
	if got := res.counts.Errors; got != int64(len(res.recErrs)) {
		t.Errorf("%s: Counts.Errors %d, returned %d", rng.Path, got, len(res.recErrs))
	}
	return res
}

// mustReadAll is readAll that fails the test on any error.
func mustReadAll(t testing.TB, rng Range, opts Options) readResult {
	t.Helper()
	res := readAll(t, rng, opts)
	if res.fatal != nil {
		t.Fatalf("%s: %v", rng.Path, res.fatal)
	}
	for _, e := range res.recErrs {
		t.Errorf("%s: record error %v", rng.Path, e)
	}
	return res
}

// sameRecord compares two records, ignoring Index (it is per task) and,
// when ignoreOffset, Offset and derived ids (they differ between
// compressions).
func sameRecord(a, b *Record, ignoreOffset bool) error {
	if a.URL != b.URL || a.Text != b.Text || !bytes.Equal(a.HTML, b.HTML) ||
		a.ContentType != b.ContentType || !bytes.Equal(a.Metadata, b.Metadata) || a.Format != b.Format {
		return fmt.Errorf("records differ: %s %s vs %s %s", a.ID, a.URL, b.ID, b.URL)
	}
	if !ignoreOffset && (a.Offset != b.Offset || a.ID != b.ID) {
		return fmt.Errorf("offsets differ: %s@%d vs %s@%d", a.ID, a.Offset, b.ID, b.Offset)
	}
	if ignoreOffset && a.ID != b.ID && !(a.ID == "" || b.ID == "") {
		if filepath.Ext(a.ID) == "" { // WARC-Record-IDs must agree
			return fmt.Errorf("ids differ: %s vs %s", a.ID, b.ID)
		}
	}
	return nil
}

// warcRec builds a WARC/1.1 record.
func warcRec(typ, url string, extra []string, block []byte) []byte {
	var b bytes.Buffer
	b.WriteString("WARC/1.1\r\nWARC-Type: " + typ + "\r\n")
	if url != "" {
		b.WriteString("WARC-Target-URI: " + url + "\r\n")
	}
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// httpResp builds an HTTP response block.
func httpResp(status int, headers []string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d X\r\n", status)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

func gzipBytes(t testing.TB, p []byte) []byte {
	var b bytes.Buffer
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&b)
	w.Write(p)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// testZstd is shared by the tests: EncodeAll is safe for concurrent use.
var testZstd = sync.OnceValue(func() *zstd.Encoder {
	e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err)
	}
	return e
})

func zstdBytes(t testing.TB, p []byte) []byte {
	return testZstd().EncodeAll(p, nil)
}

// writeTemp writes b to a file named name in a fresh temporary directory.
func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
