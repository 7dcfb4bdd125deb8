package tokens

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"sync"
	"testing"

	tiktoken "github.com/pkoukk/tiktoken-go"
	loader "github.com/pkoukk/tiktoken-go-loader"
)

// reference is tiktoken-go's r50k_base encoding, the implementation this
// package reproduces. SetBpeLoader sets a package variable of tiktoken-go,
// hence the Once.
var reference = sync.OnceValues(func() (*tiktoken.Tiktoken, error) {
	tiktoken.SetBpeLoader(loader.NewOfflineLoader())
	return tiktoken.GetEncoding(r50kName)
})

func mustReference(tb testing.TB) *tiktoken.Tiktoken {
	tb.Helper()
	ref, err := reference()
	if err != nil {
		tb.Fatalf("tiktoken-go r50k_base: %v", err)
	}
	return ref
}

func mustR50k(tb testing.TB) *Encoder {
	tb.Helper()
	e, err := R50k()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// refIDs is tiktoken-go's Encode with no special token allowed or
// disallowed, as uint32s.
func refIDs(ref *tiktoken.Tiktoken, text string) []uint32 {
	ids := ref.Encode(text, nil, nil)
	out := make([]uint32, len(ids))
	for i, id := range ids {
		out[i] = uint32(id)
	}
	return out
}

// readJSONLText returns the "text" field of every line of a gzipped JSONL
// file under testdata/tokens.
func readJSONLText(tb testing.TB, name string) []string {
	tb.Helper()
	f, err := os.Open("../../testdata/tokens/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	var texts []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	for line := 1; sc.Scan(); line++ {
		var d struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			tb.Fatalf("%s line %d: %v", name, line, err)
		}
		texts = append(texts, d.Text)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	if len(texts) == 0 {
		tb.Fatalf("%s: no texts", name)
	}
	return texts
}

// readBin returns a raw file under testdata/tokens.
func readBin(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile("../../testdata/tokens/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
