package testcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startHelper starts this test binary as a helper process in mode.
func startHelper(t testing.TB, name, mode string, env ...string) *Proc {
	t.Helper()
	return StartProc(t, name, os.Args[0], []string{"-test.run=^$"}, append([]string{helperEnv + "=" + mode, "GORACE=atexit_sleep_ms=0"}, env...))
}

func TestProcExitCodeAndOutput(t *testing.T) {
	p := startHelper(t, "exit3", "exit3", "TESTCLUSTER_EXTRA=from-env")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code, err := p.Wait(ctx)
	if err != nil || code != 3 {
		t.Fatalf("Wait = %d, %v; want 3, nil", code, err)
	}
	if got := p.Stdout(); got != "to stdout\n" {
		t.Errorf("Stdout = %q", got)
	}
	if got := p.Stderr(); got != "to stderr from-env\n" {
		t.Errorf("Stderr = %q", got)
	}
	if p.Running() {
		t.Error("Running after exit")
	}
	if err := p.Signal(syscall.SIGTERM); err == nil {
		t.Error("Signal to an exited process: no error")
	}
	if err := p.Kill(); err != nil {
		t.Errorf("Kill of an exited process: %v", err)
	}
}

func TestProcSignal(t *testing.T) {
	p := startHelper(t, "term", "term")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.WaitOutput(ctx, "ready"); err != nil {
		t.Fatal(err)
	}
	if p.Pid() <= 0 || !p.Running() {
		t.Fatalf("pid %d, running %t", p.Pid(), p.Running())
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code, err := p.Wait(ctx)
	if err != nil || code != 0 {
		t.Fatalf("Wait = %d, %v; want 0, nil", code, err)
	}
	if got := p.Stdout(); got != "bye\n" {
		t.Errorf("Stdout = %q", got)
	}
	if err := p.WaitOutput(ctx, "never written"); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("WaitOutput on an exited process = %v", err)
	}
}

func TestProcWaitTimeoutAndKill(t *testing.T) {
	p := startHelper(t, "lines", "lines")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := p.Wait(ctx); err == nil {
		t.Fatal("Wait of a running process returned before its context ended")
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	code, err := p.Wait(context.Background())
	if code != -1 || err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("Wait after Kill = %d, %v; want -1 and a 'killed' error", code, err)
	}
}

// recordingTB is a testing.TB whose failure state, logs and cleanups are
// its own, to test what the harness's cleanup does in a failed test.
type recordingTB struct {
	testing.TB
	failed   bool
	logs     []string
	cleanups []func()
}

func (r *recordingTB) Helper()          {}
func (r *recordingTB) Failed() bool     { return r.failed }
func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Logf(format string, a ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, a...))
}
func (r *recordingTB) Errorf(format string, a ...any) { r.failed = true; r.Logf(format, a...) }

// errFatal is what recordingTB.Fatalf panics with, to stop its caller.
var errFatal = errors.New("recordingTB: Fatalf")

// Fatalf records a failure and stops the caller; run it under fatal.
func (r *recordingTB) Fatalf(format string, a ...any) {
	r.Errorf(format, a...)
	panic(errFatal)
}

// fatal runs f, stopping where f calls Fatalf.
func (r *recordingTB) fatal(f func()) {
	defer func() {
		if v := recover(); v != nil && v != errFatal {
			panic(v)
		}
	}()
	f()
}

// runCleanups runs the recorded cleanups, last first, as testing does.
func (r *recordingTB) runCleanups() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestProcCleanupKillsAndLogsTailOnFailure(t *testing.T) {
	for _, failed := range []bool{false, true} {
		rec := &recordingTB{TB: t}
		p := startHelper(rec, "lines", "lines")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := p.WaitOutput(ctx, "line 100\n"); err != nil {
			cancel()
			t.Fatal(err)
		}
		cancel()
		rec.failed = failed
		rec.runCleanups()
		if p.Running() {
			t.Fatal("the cleanup left the process running")
		}
		logs := strings.Join(rec.logs, "\n")
		if !failed {
			if logs != "" {
				t.Errorf("passed test: cleanup logged %q", logs)
			}
			continue
		}
		if !strings.Contains(logs, "line 61\n") || !strings.HasSuffix(logs, "line 100") {
			t.Errorf("failed test: the log does not end with lines 61..100:\n%s", logs)
		}
		if strings.Contains(logs, "line 60\n") {
			t.Errorf("failed test: more than %d lines logged:\n%s", tailLines, logs)
		}
	}
}
