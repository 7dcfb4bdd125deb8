package workers

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/klauspost/compress/zstd"
)

// TestStagedRoundTrip stages documents with signals of every type and reads
// them back unchanged, types included.
func TestStagedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := newStager(dir, 3)
	docs := []*filters.Doc{
		{ID: "a", URL: "https://a.example/", Text: "first\nline", Metadata: []byte(`{"k":"v"}`),
			Signals: map[string]any{"n": 7, "n64": int64(1) << 60, "f": 0.018112, "f32": float32(0.25), "s": "en", "b": true,
				"nan": math.NaN(), "inf": math.Inf(-1), "list": []any{"x", 1.5}},
			Source: filters.Source{Shard: "s.warc.gz", Offset: 1234, Index: 5}},
		{ID: "b", HTML: []byte("<p>raw\x00bytes</p>"), ContentType: "text/html; charset=latin1"},
	}
	for i, d := range docs {
		if err := s.stage(4, d, float64(i)+0.5, nil); err != nil {
			t.Fatal(err)
		}
	}
	staged, err := s.commit()
	if err != nil || len(staged) != 1 || staged[0].GetDocs() != 2 || staged[0].GetNode() != 4 {
		t.Fatalf("commit: %v %v", staged, err)
	}
	scores, _ := os.ReadFile(filepath.Join(dir, staged[0].GetScores()))
	if len(scores) != 16 {
		t.Errorf("scores file of %d bytes", len(scores))
	}
	r, err := openStaged(filepath.Join(dir, staged[0].GetPath()), staged[0].GetSha256())
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	for i, want := range docs {
		got, score, err := r.next()
		if err != nil {
			t.Fatal(err)
		}
		if score != float64(i)+0.5 {
			t.Errorf("doc %d: score %v", i, score)
		}
		if nan, ok := got.Signals["nan"].(float64); ok && math.IsNaN(nan) {
			delete(got.Signals, "nan")
			delete(want.Signals, "nan")
		} else if i == 0 {
			t.Errorf("NaN signal came back as %v", got.Signals["nan"])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("doc %d:\n got %#v\nwant %#v", i, got, want)
		}
	}
	if _, _, err := r.next(); err != io.EOF {
		t.Errorf("after the last document: %v", err)
	}
}

// TestStagedDamage: a changed or truncated staged file is an error naming
// the file and the line, never a panic and never silently short.
func TestStagedDamage(t *testing.T) {
	dir := t.TempDir()
	s := newStager(dir, 0)
	for i := range 50 {
		_ = s.stage(1, &filters.Doc{ID: "d", Text: strings.Repeat("word ", i)}, 0.5, nil)
	}
	staged, err := s.commit()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, staged[0].GetPath())
	orig, _ := os.ReadFile(path)
	readAll := func(sha string) error {
		r, err := openStaged(path, sha)
		if err != nil {
			return err
		}
		defer r.close()
		for {
			if _, _, err := r.next(); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
		}
	}
	if err := readAll(staged[0].GetSha256()); err != nil {
		t.Fatalf("intact file: %v", err)
	}
	if err := readAll(strings.Repeat("0", 64)); err == nil || !strings.Contains(err.Error(), "changed since it was written") {
		t.Errorf("wrong hash: %v", err)
	}
	_ = os.WriteFile(path, orig[:len(orig)/2], 0o644)
	if err := readAll(staged[0].GetSha256()); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("truncated file: %v", err)
	}
	if _, err := openStaged(filepath.Join(dir, "missing.jsonl.zst"), ""); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzStagedLine feeds arbitrary lines to the staged-document decoder.
func FuzzStagedLine(f *testing.F) {
	dir := f.TempDir()
	s := newStager(dir, 0)
	_ = s.stage(0, &filters.Doc{ID: "a", Text: "t", Signals: map[string]any{"n": 1, "f": 0.5, "x": []any{1.0}}}, 0.25, nil)
	staged, _ := s.commit()
	r, _ := openStaged(filepath.Join(dir, staged[0].GetPath()), "")
	line, _ := r.br.ReadBytes('\n')
	r.close()
	f.Add(line)
	f.Add([]byte(`{"signals":[["a","int",1.5]]}` + "\n"))
	f.Add([]byte(`{"signals":[["a","float64","bits:zz"]]}` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "x.jsonl.zst")
		// Write raw bytes as a zstd file, then read it as staged documents.
		if err := writeZstd(path, b); err != nil {
			t.Fatal(err)
		}
		r, err := openStaged(path, "")
		if err != nil {
			return
		}
		defer r.close()
		for range 1000 {
			if _, _, err := r.next(); err != nil {
				if err != io.EOF && !strings.Contains(err.Error(), path) {
					t.Fatalf("error without the file name: %v", err)
				}
				return
			}
		}
	})
}

func writeZstd(path string, b []byte) error {
	var buf bytes.Buffer
	enc, err := newZstdWriter(&buf)
	if err != nil {
		return err
	}
	if _, err := enc.Write(b); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func newZstdWriter(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w) }
