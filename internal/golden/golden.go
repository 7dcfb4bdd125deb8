// Package golden gives tests the real web pages of testdata/dclm_golden
// (DCLM's own inputs and outputs; see testdata/dclm_golden's README).
package golden

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Texts returns the text of every page of
// testdata/dclm_golden/web_docs_golden.jsonl (234 real pages), failing the
// test when it cannot.
func Texts(t testing.TB) []string {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "dclm_golden", "web_docs_golden.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var rec struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, rec.Text)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(out) < 200 {
		t.Fatalf("%s: %d documents, want the 234 real pages", path, len(out))
	}
	return out
}

// Bench times fn over every page of Texts, b.N times, in bytes of text.
func Bench(b *testing.B, fn func(text string) error) {
	texts := Texts(b)
	var n int64
	for _, s := range texts {
		n += int64(len(s))
	}
	b.SetBytes(n)
	for b.Loop() {
		for _, s := range texts {
			if err := fn(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
