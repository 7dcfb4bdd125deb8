package shard

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// checkFastJSONL compares the fast path with encoding/json on one line:
// whenever the fast path takes a line, json.Unmarshal must accept it and
// give the same fields.
func checkFastJSONL(t *testing.T, line []byte) (fast bool) {
	t.Helper()
	got, ok := parseJSONLFast(line)
	if !ok {
		return false
	}
	var want jsonlLine
	if err := json.Unmarshal(line, &want); err != nil {
		t.Fatalf("fast path took %q, encoding/json refuses it: %v", line, err)
	}
	str := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	if str(got.Text) != str(want.Text) || str(got.URL) != str(want.URL) ||
		!bytes.Equal(got.ID, want.ID) || !bytes.Equal(got.Metadata, want.Metadata) {
		t.Fatalf("line %q: fast path %q %q %s %s, encoding/json %q %q %s %s", line,
			str(got.Text), str(got.URL), got.ID, got.Metadata, str(want.Text), str(want.URL), want.ID, want.Metadata)
	}
	return true
}

var jsonlFastCases = []string{
	`{"id":"a","text":"one\ntwo \"q\" \\ \/ \b\f\r\t \u00e9 \ud83d\ude00","url":"http://a/","metadata":{"k":[1,-2.5e+3,true,false,null,{}]}}`,
	`  {"text":"","extra":{"a":{"b":[[]]}},"id":12.5e-1}  `,
	`{}`,
	`{"text":"x","Text":"y"}`,               // case-insensitive key: encoding/json's business
	`{"text":"x","text":"y"}`,               // duplicate
	`{"text":"\ud800"}`,                     // lone surrogate
	`{"text":"\ud800\u0041"}`,               // bad pair
	"{\"text\":\"a\xffb\"}",                 // invalid UTF-8
	"{\"text\":\"tab\there\"}",              // raw control character
	`{"text":"x","n":01}`,                   // leading zero
	`{"text":"x","n":-}`,                    // bad number
	`{"text":"x","n":1.}`,                   // bad number
	`{"text":"x"} trailing`,                 // trailing data
	`{"text":"x",}`,                         // trailing comma
	`{"text":null}`,                         // null text
	`{"text":"x","metadata":null}`,          // null metadata
	`["text"]`,                              // not an object
	`{"text":"x","m":{"k\u00e9":1}}`,        // escaped key inside
	`{"url":"u","text":"\u0000 nul"}`,       // NUL
	`{"text":"x","id":"\uD83D\uDE00"}`,      // upper-case hex
	`{"te\u0078t":"x"}`,                     // escaped key
	`{"text":"x","deep":[[[[[[[[1]]]]]]]]}`, // nesting
}

func TestJSONLFastPath(t *testing.T) {
	taken := 0
	for _, c := range jsonlFastCases {
		if checkFastJSONL(t, []byte(c)) {
			taken++
		}
	}
	if taken < 5 {
		t.Errorf("the fast path took only %d of the cases", taken)
	}
	// Real lines: the fast path must take every one of them, and agree.
	for _, name := range []string{"real_web_docs_mixed_head40.jsonl.zst", "dolma_provided_documents_000.jsonl.gz"} {
		lines, fast := 0, 0
		for _, line := range bytes.Split(decompressed(t, td+name), []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			lines++
			if checkFastJSONL(t, line) {
				fast++
			}
		}
		if lines == 0 || fast != lines {
			t.Errorf("%s: fast path took %d of %d lines", name, fast, lines)
		}
	}
}

// decompressed returns the bytes of a .zst or .gz file.
func decompressed(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	} else {
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func FuzzJSONLFast(f *testing.F) {
	for _, c := range jsonlFastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		checkFastJSONL(t, line)
	})
}
