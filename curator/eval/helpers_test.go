package eval

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// webDoc is one real web document of testdata/eval/web_docs.jsonl.zst.
type webDoc struct {
	ID       string  `json:"id"`
	URL      string  `json:"url"`
	Language *string `json:"language"`
	Source   string  `json:"source"`
	Text     string  `json:"text"`
}

const webDocsPath = "../../testdata/eval/web_docs.jsonl.zst"

func readWebDocs(t testing.TB) []webDoc {
	t.Helper()
	raw, err := os.ReadFile(webDocsPath)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	body, err := dec.DecodeAll(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []webDoc
	for _, line := range bytes.Split(bytes.TrimSpace(body), []byte("\n")) {
		var d webDoc
		if err := json.Unmarshal(line, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	if len(out) != 61 {
		t.Fatalf("%s: %d docs, want 61", webDocsPath, len(out))
	}
	return out
}

// humanPages returns the default suite's labelled pages.
func humanPages(t testing.TB) []Labelled {
	t.Helper()
	s, err := Load("suite")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := s.Human()
	if err != nil {
		t.Fatal(err)
	}
	return pages
}
