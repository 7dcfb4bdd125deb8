package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	t.Setenv(EnvChromium, filepath.Join(t.TempDir(), "no-such-browser"))
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), EnvChromium) {
		t.Errorf("Find with a bad %s = %v", EnvChromium, err)
	}
	t.Setenv(EnvChromium, "")
	t.Setenv("PATH", t.TempDir())
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "chromium package") {
		t.Errorf("Find with an empty PATH = %v", err)
	}
	fake := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", filepath.Dir(fake))
	if got, err := Find(); err != nil || got != fake {
		t.Errorf("Find = %q, %v, want %q", got, err, fake)
	}
}

// fakeTB records whether ForTest failed or skipped the test.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestForTest(t *testing.T) {
	t.Setenv(EnvChromium, "")
	t.Setenv("PATH", t.TempDir())
	for _, c := range []struct {
		ci       string
		wantFail bool
	}{{"true", true}, {"1", true}, {"", false}, {"false", false}} {
		t.Setenv("CI", c.ci)
		f := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			ForTest(f)
		}()
		<-done
		switch {
		case c.wantFail && (f.fatal == "" || !strings.Contains(f.fatal, "chromium")):
			t.Errorf("CI=%q: fatal = %q, skip = %q, want a failure naming chromium", c.ci, f.fatal, f.skip)
		case !c.wantFail && (f.skip == "" || f.fatal != "" || !strings.Contains(f.skip, "chromium")):
			t.Errorf("CI=%q: fatal = %q, skip = %q, want a skip naming chromium", c.ci, f.fatal, f.skip)
		}
	}
}
