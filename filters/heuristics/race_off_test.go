//go:build !race

package heuristics_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false
