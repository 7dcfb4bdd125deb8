package dedup

// prefetchBits asks the CPU to fetch the cache lines of words that hold
// the bits pos (PREFETCHT0). It reads no memory in Go's sense and changes
// nothing.
//
//go:noescape
func prefetchBits(words []uint64, pos []uint64)
