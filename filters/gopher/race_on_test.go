//go:build race

package gopher

// raceEnabled: the race detector slows the checks about tenfold, so the
// decision checks run on a sample of the documents.
const raceEnabled = true
