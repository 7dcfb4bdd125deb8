//go:build faults

package main

// A binary built with -tags faults links the test steps (test_slow,
// test_crash, test_hang, ...) for the fault tests, which run it as real
// processes. Release binaries do not have them.
import _ "github.com/curator-dev/curator/internal/teststeps"
