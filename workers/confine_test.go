package workers

import (
	"testing"

	pb "github.com/curator-dev/curator/proto"
)

// TestConfined: a worker given an output root refuses tasks that would
// write elsewhere.
func TestConfined(t *testing.T) {
	for _, c := range []struct {
		root, dir string
		ok        bool
	}{
		{"", "/anywhere", true},
		{"/srv/out", "/srv/out/run-1", true},
		{"/srv/out", "/srv/out/a/b", true},
		{"/srv/out", "/srv/out", false},
		{"/srv/out", "/srv/out/../etc", false},
		{"/srv/out", "/srv/outside", false},
		{"/srv/out", "relative/run", false},
	} {
		task := &pb.Task{Options: &pb.TaskOptions{OutputDir: c.dir}}
		if err := confined(task, c.root); (err == nil) != c.ok {
			t.Errorf("root %q, output %q: %v, want ok %v", c.root, c.dir, err, c.ok)
		}
	}
}
