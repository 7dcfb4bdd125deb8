package dedup

import (
	"syscall"
	"unsafe"
)

// madvCollapse is MADV_COLLAPSE (Linux 6.1), which package syscall lacks.
const madvCollapse = 25

// newWords allocates a filter's bit array. A large one is advised to the
// kernel as transparent huge pages (MADV_HUGEPAGE; THP "madvise" mode) and
// collapsed into huge pages at once (MADV_COLLAPSE): the Go runtime may
// have zeroed a reused span with small pages before the advice, and a
// query's k random reads miss the TLB far less often with 2 MB pages (in a
// virtual machine a TLB miss costs a two-level page walk). The advice is
// best effort; the memory is ordinary Go heap.
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
	_ = syscall.Madvise(b[:len(b)/huge*huge], madvCollapse)
	return words
}
