package testcluster

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a child process for the Proc
// tests (the os/exec helper-process pattern).
const helperEnv = "TESTCLUSTER_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helperMain(mode))
	}
	code := Main(m)
	if code == 0 {
		if err := checkNoLeaks(5 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// checkNoLeaks waits, for at most timeout, until no goroutine of the
// harness (a process waiter) or of nats.go is left, once every test and
// cleanup has run; else it returns their stacks.
func checkNoLeaks(timeout time.Duration) error {
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(timeout)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "nats-io/nats.go") || strings.Contains(g, "internal/testcluster.startProc") ||
				strings.Contains(g, "net/http.(*persistConn)") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("leaked goroutines:\n%s", strings.Join(leaked, "\n\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// helperMain is the child process: "exit3" writes to both outputs and
// exits with 3; "term" says it is ready, waits for SIGTERM and exits 0;
// "lines" writes 100 numbered lines to stderr and waits to be killed.
func helperMain(mode string) int {
	switch mode {
	case "exit3":
		fmt.Fprintln(os.Stdout, "to stdout")
		fmt.Fprintln(os.Stderr, "to stderr", os.Getenv("TESTCLUSTER_EXTRA"))
		return 3
	case "term":
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		fmt.Fprintln(os.Stderr, "ready")
		<-c
		fmt.Fprintln(os.Stdout, "bye")
		return 0
	case "lines":
		for i := 1; i <= 100; i++ {
			fmt.Fprintf(os.Stderr, "line %d\n", i)
		}
		time.Sleep(time.Minute)
		return 0
	}
	fmt.Fprintln(os.Stderr, "unknown mode", mode)
	return 2
}
