//go:build !amd64

package dedup

// prefetchBits would ask the CPU to fetch the cache lines of words that hold
// the bits pos; without assembly for this architecture it does nothing.
func prefetchBits(words []uint64, pos []uint64) {}
