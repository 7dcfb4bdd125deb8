package gopher

import (
	"testing"

	"github.com/curator-dev/curator/filters"
)

func benchDocs(b *testing.B) ([]*filters.Doc, int) {
	docs := realDocs(b)
	n := 0
	for _, d := range docs {
		n += len(d.Text)
	}
	return docs, n
}

func BenchmarkEnglishWords(b *testing.B) {
	docs, n := benchDocs(b)
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, d := range docs {
			EnglishWords(d.Text)
		}
	}
}

func benchStep(b *testing.B, name string) {
	docs, n := benchDocs(b)
	e, _ := filters.Lookup(name)
	s, err := e.Build(e.Defaults(), filters.Env{})
	if err != nil {
		b.Fatal(err)
	}
	f := s.(filters.Filter)
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, d := range docs {
			if _, err := f.Filter(&filters.Doc{Text: d.Text}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkGopherQuality(b *testing.B)    { benchStep(b, "gopher_quality") }
func BenchmarkGopherRepetition(b *testing.B) { benchStep(b, "gopher_repetition") }
