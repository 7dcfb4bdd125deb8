package extract

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"

	"github.com/curator-dev/curator/internal/benchutil"
)

// BenchmarkTokenizerOnly runs golang.org/x/net/html's tokenizer alone over
// the same pages as BenchmarkExtract: the ceiling extraction works under.
func BenchmarkTokenizerOnly(b *testing.B) {
	docs := pages(b)
	for n, body := range wikipedia(b) {
		docs = append(docs, page{name: n, body: body})
	}
	total := 0
	for _, d := range docs {
		total += len(d.body)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	start := benchutil.CPUTime()
	for b.Loop() {
		for _, d := range docs {
			z := html.NewTokenizer(bytes.NewReader(d.body))
			for z.Next() != html.ErrorToken {
			}
		}
	}
	reportCPU(b, start, total)
}
