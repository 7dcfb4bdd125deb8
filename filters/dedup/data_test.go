package dedup

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"
)

const testdata = "../../testdata/dedup/"

type testDoc struct {
	ID   string `json:"id"`
	URL  string `json:"url"`
	Text string `json:"text"`
}

// readJSONL reads a zstd JSONL file of testdata/dedup.
func readJSONL[T any](t testing.TB, name string) []T {
	t.Helper()
	f, err := os.Open(testdata + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<26)
	var out []T
	for line := 1; sc.Scan(); line++ {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", name, line, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no records", name)
	}
	return out
}

func webDocs(t testing.TB) []testDoc { return readJSONL[testDoc](t, "web_docs.jsonl.zst") }
