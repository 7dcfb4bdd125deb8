package coordinator

import (
	"path/filepath"
	"testing"
)

// TestConfinedOutput: a run's output stays below the output root, whatever
// its name; object store outputs keep a relative prefix.
func TestConfinedOutput(t *testing.T) {
	root := "/srv/out"
	for _, c := range []struct {
		name, want string
		ok         bool
	}{
		{"", "/srv/out/run-1", true},
		{"cc-2024-22", "/srv/out/cc-2024-22", true},
		{"crawls/cc-2024-22", "/srv/out/crawls/cc-2024-22", true},
		{"../etc", "", false},
		{"a/../../etc", "", false},
		{"/etc", "", false},
		{".hidden", "", false},
		{"object://bucket/runs/a", "", true},
		{"object://bucket/../a", "", false},
		{"object://bucket//a", "", false},
		{"object://bucket/", "", false},
		{"object://bad bucket/a", "", false},
	} {
		got, err := ConfinedOutput(root, c.name, "run-1")
		if (err == nil) != c.ok || got != filepath.FromSlash(c.want) {
			t.Errorf("ConfinedOutput(%q) = %q, %v; want %q, ok %v", c.name, got, err, c.want, c.ok)
		}
	}
}
