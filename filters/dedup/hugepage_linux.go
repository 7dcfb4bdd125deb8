package dedup

import (
	"syscall"
	"unsafe"
)

// newWords allocates a filter's bit array. A large one is advised to the
// kernel as transparent huge pages (MADV_HUGEPAGE; THP "madvise" mode) before
// it is touched: a query's k random reads then miss the TLB far less often.
// The advice is best effort; the memory is ordinary Go heap.
func newWords(n uint64) []uint64 {
	const huge = 2 << 20
	if n*8 < 16*huge {
		return make([]uint64, n)
	}
	raw := make([]uint64, n+huge/8)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	off := uint64((huge - p%huge) % huge / 8)
	words := raw[off : off+n : off+n]
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), n*8)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	return words
}
