package testcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Bounds of the harness's own waits.
const (
	// killWait bounds the wait for a killed process to be reaped.
	killWait = 10 * time.Second
	// tailLines is how many lines of a process's stderr a failed test shows.
	tailLines = 40
	// tailBytes bounds how much of the end of a log is read for the tail.
	tailBytes = 64 << 10
)

// Proc is a running (or exited) process whose stdout and stderr go to
// files. A test's cleanup kills it if it still runs and, when the test
// failed, logs the end of its stderr.
type Proc struct {
	name       string
	cmd        *exec.Cmd
	stdoutPath string
	stderrPath string
	done       chan struct{}
	// state and waitErr are written once, before done is closed.
	state   *os.ProcessState
	waitErr error
}

// StartProc starts bin with args. The process's environment is the test's
// (os.Environ) followed by env, so that env's entries win. Its stdout and
// stderr go to NAME.stdout and NAME.stderr in a directory of the test.
// name labels the process in logs and errors.
func StartProc(t testing.TB, name, bin string, args, env []string) *Proc {
	t.Helper()
	p, err := startProc(t.TempDir(), name, bin, args, env)
	if err != nil {
		t.Fatalf("testcluster: %v", err)
	}
	t.Cleanup(func() { p.cleanup(t) })
	return p
}

// startProc starts a process logging into dir.
func startProc(dir, name, bin string, args, env []string) (*Proc, error) {
	p := &Proc{
		name:       name,
		stdoutPath: filepath.Join(dir, name+".stdout"),
		stderrPath: filepath.Join(dir, name+".stderr"),
		done:       make(chan struct{}),
	}
	stdout, err := os.Create(p.stdoutPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer stdout.Close()
	stderr, err := os.Create(p.stderrPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer stderr.Close()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	// Files are handed to the child as they are: no copying goroutines.
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s (%s): %w", name, bin, err)
	}
	p.cmd = cmd
	go func() {
		err := cmd.Wait()
		p.state, p.waitErr = cmd.ProcessState, err
		close(p.done)
	}()
	return p, nil
}

// Name is the label the process was started with.
func (p *Proc) Name() string { return p.name }

// Pid is the process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Running reports whether the process has not exited yet.
func (p *Proc) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Signal sends sig to the process; it fails with os.ErrProcessDone when
// the process has exited.
func (p *Proc) Signal(sig os.Signal) error {
	if !p.Running() {
		return fmt.Errorf("%s: %w", p.name, os.ErrProcessDone)
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		return fmt.Errorf("%s: signal %v: %w", p.name, sig, err)
	}
	return nil
}

// Kill sends SIGKILL (a crash: no cleanup in the process) and waits until
// the process has exited. Killing an exited process does nothing.
func (p *Proc) Kill() error {
	if err := p.Signal(os.Kill); err != nil {
		if errors.Is(err, os.ErrProcessDone) {
			return nil
		}
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	_, err := p.Wait(ctx)
	if ctx.Err() != nil {
		return err
	}
	return nil
}

// Wait waits until the process exits or ctx is done. It returns the exit
// code and a nil error when the process exited by itself (whatever the
// code); code -1 and an error when it was ended by a signal (the error
// names it), when ctx ended first, or when it could not be waited for.
func (p *Proc) Wait(ctx context.Context) (int, error) {
	select {
	case <-p.done:
	case <-ctx.Done():
		return -1, fmt.Errorf("waiting for %s (pid %d): %w", p.name, p.Pid(), ctx.Err())
	}
	if p.state == nil {
		return -1, fmt.Errorf("%s (pid %d): %w", p.name, p.Pid(), p.waitErr)
	}
	if code := p.state.ExitCode(); code >= 0 {
		return code, nil
	}
	return -1, fmt.Errorf("%s (pid %d): %s", p.name, p.Pid(), p.state)
}

// Stdout is what the process has written to stdout so far.
func (p *Proc) Stdout() string { return readLog(p.stdoutPath) }

// Stderr is what the process has written to stderr so far.
func (p *Proc) Stderr() string { return readLog(p.stderrPath) }

// StdoutPath is the file holding the process's stdout (it is removed with
// the test's temporary directory).
func (p *Proc) StdoutPath() string { return p.stdoutPath }

// StderrPath is the file holding the process's stderr.
func (p *Proc) StderrPath() string { return p.stderrPath }

// WaitOutput waits until the process's stdout or stderr contains s. It
// fails when ctx ends first or the process exits without writing s.
func (p *Proc) WaitOutput(ctx context.Context, s string) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		exited := !p.Running()
		if strings.Contains(p.Stderr(), s) || strings.Contains(p.Stdout(), s) {
			return nil
		}
		if exited {
			return fmt.Errorf("%s (pid %d) exited (%s) without writing %q", p.name, p.Pid(), p.state, s)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %q from %s: %w", s, p.name, ctx.Err())
		case <-tick.C:
		}
	}
}

// cleanup kills the process if it still runs and, when the test failed,
// logs the end of its stderr.
func (p *Proc) cleanup(t testing.TB) {
	t.Helper()
	if err := p.Kill(); err != nil {
		t.Errorf("testcluster: cleanup: %v", err)
	}
	if !t.Failed() {
		return
	}
	status := "running"
	if !p.Running() && p.state != nil {
		status = p.state.String()
	}
	t.Logf("testcluster: %s (pid %d, %s): last %d lines of stderr:\n%s",
		p.name, p.Pid(), status, tailLines, tail(p.stderrPath, tailLines))
}

// readLog reads a whole log file; a missing file reads as empty.
func readLog(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// tail returns the last n lines of a file, reading at most its last
// tailBytes.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > tailBytes {
		if _, err := f.Seek(-tailBytes, io.SeekEnd); err != nil {
			return fmt.Sprintf("(%v)", err)
		}
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
