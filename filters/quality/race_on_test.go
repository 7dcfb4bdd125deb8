//go:build race

package quality

// raceEnabled: the race detector slows training about tenfold, so the accuracy test
// runs only its multi-goroutine case.
const raceEnabled = true
