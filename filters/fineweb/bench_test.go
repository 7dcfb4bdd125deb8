package fineweb

import (
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/golden"
)

func BenchmarkFineWebQuality(b *testing.B) {
	step := build(b, nil)
	golden.Bench(b, func(s string) error { _, err := step.Filter(&filters.Doc{Text: s}); return err })
}
