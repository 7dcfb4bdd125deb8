package workers

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Records written come back in order; a changed, truncated or corrupt file
// is an error naming the file and offset.
func TestRecords(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.prints")
	w, err := CreateRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := [][]byte{[]byte("first"), {}, bytes.Repeat([]byte{7}, 300)}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	sha, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatal("temporary file left behind")
	}
	read := func(sha string) ([][]byte, error) {
		r, err := OpenRecords(path, sha)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		var out [][]byte
		for {
			b, err := r.Next()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			out = append(out, append([]byte{}, b...))
		}
	}
	got, err := read(sha)
	if err != nil || len(got) != 3 || string(got[0]) != "first" || len(got[1]) != 0 || !bytes.Equal(got[2], recs[2]) {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := read(strings.Repeat("0", 64)); err == nil || !strings.Contains(err.Error(), "changed since it was written") {
		t.Fatalf("wrong sha: %v", err)
	}
	b, _ := os.ReadFile(path)
	for _, c := range []struct {
		data []byte
		want string
	}{
		{b[:len(b)-10], "record of 300 bytes"},
		{append(append([]byte{}, b...), 0xff), "record length"},
		{append(append([]byte{}, b...), 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f), "corrupt"},
	} {
		_ = os.WriteFile(path, c.data, 0o644)
		if _, err := read(""); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("want an error with %q, got %v", c.want, err)
		}
	}
}

// FuzzRecords: any file is read to its end or to a clear error.
func FuzzRecords(f *testing.F) {
	f.Add([]byte{5, 'h', 'e', 'l', 'l', 'o', 0})
	f.Add([]byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := OpenRecords(path, "")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		total := 0
		for {
			rec, err := r.Next()
			if err != nil {
				if err != io.EOF && !strings.Contains(err.Error(), path) {
					t.Fatalf("error without the file: %v", err)
				}
				break
			}
			total += len(rec)
			if total > len(b) {
				t.Fatalf("read %d bytes of records from %d", total, len(b))
			}
		}
	})
}
