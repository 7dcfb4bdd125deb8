//go:build unix

// Package benchutil holds what the benchmarks of several packages share:
// the process CPU time, so that they can report rates per CPU-second, which
// hold up better than wall-clock rates on a shared machine.
package benchutil

import (
	"syscall"
	"time"
)

// CPUTime is the user+system CPU time of the process so far.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
