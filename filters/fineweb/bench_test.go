package fineweb

import (
	"testing"

	"github.com/curator-dev/curator/filters"
)

func BenchmarkFineWebQuality(b *testing.B) {
	step := build(b, nil)
	texts := realTexts(b)
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range texts {
			if _, err := step.Filter(&filters.Doc{Text: s}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
