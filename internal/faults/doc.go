// Package faults holds curator's cluster fault tests: real nats-server and
// curator processes on loopback (built from this module by
// internal/testcluster, curator with -tags faults for its fault-injection
// steps), broken on purpose — workers killed, the coordinator killed, NATS
// nodes killed, poison shards, hung workers — and every run compared with
// an undisturbed run of the same inputs. `go test -short` runs a subset;
// `make test-faults` runs them all.
package faults
