package shard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func writeLines(t *testing.T, path string, n int) WriterInfo {
	t.Helper()
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := w.WriteLine(fmt.Appendf(nil, `{"id":"doc-%d","text":"text %d %s"}`, i, i, bytes.Repeat([]byte("ab"), i%50))); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")); len(m) != 1 {
		t.Errorf("temporary files %v", m)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s exists before Commit", path)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteLine([]byte("{}")); err == nil {
		t.Error("WriteLine after Commit")
	}
	return w.Info()
}

func TestWriterDeterministic(t *testing.T) {
	for _, ext := range []string{".jsonl.zst", ".jsonl.gz", ".jsonl"} {
		d1, d2 := t.TempDir(), t.TempDir()
		i1 := writeLines(t, filepath.Join(d1, "recipe-00007"+ext), 3000)
		i2 := writeLines(t, filepath.Join(d2, "recipe-00007"+ext), 3000)
		b1, err1 := os.ReadFile(i1.Path)
		b2, err2 := os.ReadFile(i2.Path)
		if err1 != nil || err2 != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("%s: outputs differ (%v %v)", ext, err1, err2)
		}
		sum := sha256.Sum256(b1)
		if i1.Lines != 3000 || i1.Bytes != int64(len(b1)) || i1.SHA256 != hex.EncodeToString(sum[:]) || i1.SHA256 != i2.SHA256 {
			t.Errorf("%s: info %+v", ext, i1)
		}
		if m, _ := filepath.Glob(filepath.Join(d1, ".*")); len(m) != 0 {
			t.Errorf("%s: left %v", ext, m)
		}
		// Read it back.
		res := mustReadAll(t, Whole(i1.Path), Options{})
		if len(res.recs) != 3000 || res.recs[2999].ID != "doc-2999" || res.recs[5].Text != "text 5 ababababab" {
			t.Errorf("%s: read back %d records", ext, len(res.recs))
		}
		if ext == ".jsonl.zst" && !bytes.HasPrefix(b1, zstdMagic) || ext == ".jsonl.gz" && !bytes.HasPrefix(b1, gzipMagic) {
			t.Errorf("%s: wrong compression", ext)
		}
	}
}

func TestWriterAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl.zst")
	// An older committed output stays until a new one is committed.
	writeLines(t, path, 2)
	old, _ := os.ReadFile(path)
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteLine([]byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteLine([]byte("{\"a\":\n1}")); err == nil {
		t.Error("a line with a newline was accepted")
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err == nil {
		t.Error("Commit after Abort")
	}
	now, _ := os.ReadFile(path)
	if !bytes.Equal(old, now) {
		t.Error("Abort changed the committed file")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) != 0 {
		t.Errorf("Abort left %v", m)
	}
	if _, err := Create(filepath.Join(dir, "missing", "x.jsonl")); err == nil {
		t.Error("Create in a missing directory")
	}
}

// TestLimits checks the record size limit on WARC records.
func TestLimits(t *testing.T) {
	big := []byte("<html>" + string(bytes.Repeat([]byte("x"), 5000)) + "</html>")
	file := warcRec("resource", "http://a/", []string{"Content-Type: text/html"}, big)
	file = append(file, warcRec("resource", "http://b/", []string{"Content-Type: text/html"}, []byte("<html>b</html>"))...)
	for _, name := range []string{"l.warc", "l.warc.gz"} {
		b := file
		if name == "l.warc.gz" {
			b = gzipBytes(t, file)
		}
		p := writeTemp(t, name, b)
		res := mustReadAll(t, Whole(p), Options{MaxRecordBytes: 1000})
		if len(res.recs) != 1 || res.recs[0].URL != "http://b/" || res.counts.Skipped["record_too_large"] != 1 || res.recs[0].Index != 1 {
			t.Errorf("%s: %d records %+v", name, len(res.recs), res.counts)
		}
	}
}

// TestWriterReusedEncoder checks that a pooled zstd encoder, reused after
// another file (committed or aborted), writes the bytes a new one writes.
func TestWriterReusedEncoder(t *testing.T) {
	dir := t.TempDir()
	zstdEncoders = sync.Pool{} // start with no encoder
	fresh := writeLines(t, filepath.Join(dir, "fresh.jsonl.zst"), 10)
	writeLines(t, filepath.Join(dir, "big.jsonl.zst"), 3000)
	w, err := Create(filepath.Join(dir, "aborted.jsonl.zst"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteLine([]byte(`{"half":"written"}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	reused := writeLines(t, filepath.Join(dir, "reused.jsonl.zst"), 10)
	if fresh.SHA256 != reused.SHA256 || fresh.Bytes != reused.Bytes {
		t.Errorf("a reused encoder wrote %+v, a new one %+v", reused, fresh)
	}
}
