package c4

import (
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/golden"
)

func BenchmarkC4Quality(b *testing.B) {
	q := buildQuality(b, nil)
	golden.Bench(b, func(s string) error { _, err := q.Modify(&filters.Doc{Text: s}); return err })
}

func BenchmarkC4BadWords(b *testing.B) {
	f := buildBadWords(b, nil)
	golden.Bench(b, func(s string) error { _, err := f.Filter(&filters.Doc{Text: s}); return err })
}
