//go:build !trafilatura

package extract

import (
	"errors"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// A build without go-trafilatura refuses a recipe that asks for it, saying
// how to get a build that has it.
func TestTrafilaturaNotBuilt(t *testing.T) {
	_, err := filters.ParseRecipe("r.yaml", []byte("name: r\nsteps:\n  - use: extract\n    with: {engine: trafilatura}\n"))
	if err == nil || !strings.Contains(err.Error(), "-tags trafilatura") {
		t.Fatalf("recipe with engine trafilatura: %v", err)
	}
	if _, err := ExtractTrafilatura([]byte("<p>x</p>"), "", DefaultTrafilaturaOptions()); !errors.Is(err, errNoTrafilatura) {
		t.Errorf("ExtractTrafilatura: %v", err)
	}
}
