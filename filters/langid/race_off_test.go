//go:build !race

package langid

// raceEnabled: see race_on_test.go.
const raceEnabled = false
