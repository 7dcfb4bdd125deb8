//go:build !unix

// Package benchutil holds what the benchmarks of several packages share:
// the process CPU time, so that they can report rates per CPU-second, which
// hold up better than wall-clock rates on a shared machine.
package benchutil

import "time"

// CPUTime is not measured on this platform: it is always 0.
func CPUTime() time.Duration { return 0 }
