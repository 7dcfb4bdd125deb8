//go:build !linux

package ngram

// makeHuge allocates n zeroed uint64s (huge pages are asked for on Linux
// only).
func makeHuge(n int) []uint64 { return make([]uint64, n) }
