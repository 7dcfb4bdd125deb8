package browser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStartClose checks that Close stops every Chromium process and removes
// the profile directory, and that a done context stops Start.
func TestStartClose(t *testing.T) {
	exe := ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	start := time.Now()
	b, err := Start(ctx, exe)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start took %v", time.Since(start))
	dir := b.dataDir
	if n := processesUsing(dir); n == 0 {
		t.Errorf("no process uses the profile %s", dir)
	}
	start = time.Now()
	b.Close()
	b.Close() // a second Close does nothing
	t.Logf("Close took %v", time.Since(start))
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile directory %s after Close: %v", dir, err)
	}
	if n := processesUsing(dir); n != 0 {
		t.Errorf("%d processes still use the profile %s after Close", n, dir)
	}
	if _, err := b.Open(ctx, "about:blank"); err == nil {
		t.Error("Open after Close: no error")
	}

	// A deadline in the middle of the start stops it.
	short, cancelShort := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelShort()
	start = time.Now()
	if _, err := Start(short, exe); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Start with a 50ms deadline = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Start with a 50ms deadline took %v", d)
	}

	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if _, err := Start(done, exe); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with a done context = %v, want context.Canceled", err)
	}
}

// processesUsing counts the processes whose command line has
// --user-data-dir=dir.
func processesUsing(dir string) int {
	want := "--user-data-dir=" + dir
	entries, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range entries {
		cmd, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		for _, arg := range strings.Split(string(cmd), "\x00") {
			if arg == want {
				n++
				break
			}
		}
	}
	return n
}
