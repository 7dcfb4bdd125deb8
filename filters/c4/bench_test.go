package c4

import (
	"testing"

	"github.com/curator-dev/curator/filters"
)

func BenchmarkC4Quality(b *testing.B) {
	q := buildQuality(b, nil)
	texts := realTexts(b)
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range texts {
			if _, err := q.Modify(&filters.Doc{Text: s}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkC4BadWords(b *testing.B) {
	f := buildBadWords(b, nil)
	texts := realTexts(b)
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range texts {
			if _, err := f.Filter(&filters.Doc{Text: s}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
