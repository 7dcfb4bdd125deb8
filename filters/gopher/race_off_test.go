//go:build !race

package gopher

// raceEnabled: see race_on_test.go.
const raceEnabled = false
