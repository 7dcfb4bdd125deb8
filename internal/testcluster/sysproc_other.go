//go:build !linux

package testcluster

import "syscall"

// sysProcAttr has nothing to add outside Linux: there a child may outlive
// a test process that dies without running its cleanups.
func sysProcAttr() *syscall.SysProcAttr { return nil }
