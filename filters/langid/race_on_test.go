//go:build race

package langid

// raceEnabled: the race detector slows detection about tenfold, so the
// decision checks run on a sample of the documents.
const raceEnabled = true
