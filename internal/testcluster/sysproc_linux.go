package testcluster

import "syscall"

// sysProcAttr asks the kernel to kill the child when the test process
// dies (a panic, a -timeout), so that no nats-server outlives its test.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
