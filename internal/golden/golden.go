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

// Page is one page of testdata/dclm_golden/web_docs_golden.jsonl.
type Page struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Pages returns every page of testdata/dclm_golden/web_docs_golden.jsonl
// (234 real pages), failing the test when it cannot.
func Pages(t testing.TB) []Page {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "dclm_golden", "web_docs_golden.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Page
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var p Page
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(out) < 200 {
		t.Fatalf("%s: %d documents, want the 234 real pages", path, len(out))
	}
	return out
}

// Texts returns the text of every page of Pages.
func Texts(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, p := range Pages(t) {
		out = append(out, p.Text)
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
