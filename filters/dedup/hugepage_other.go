//go:build !linux

package dedup

// newWords allocates a filter's bit array.
func newWords(n uint64) []uint64 { return make([]uint64, n) }
