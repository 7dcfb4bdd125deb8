package ngram

import (
	"syscall"
	"unsafe"
)

// madvCollapse is MADV_COLLAPSE (Linux 6.1), which package syscall lacks.
const madvCollapse = 25

// hugePage is the size of a transparent huge page on x86-64 and arm64.
const hugePage = 2 << 20

// makeHuge allocates n zeroed uint64s. Arrays of several megabytes that
// the engine reads at random (the trigram records and postings) are aligned
// to 2 MB and advised to the kernel as transparent huge pages (MADV_HUGEPAGE,
// for THP's "madvise" mode) and collapsed at once (MADV_COLLAPSE): with 4 KB
// pages nearly every probe would also miss the TLB, which costs a two-level
// page walk in a virtual machine. The advice is best effort; the memory is
// ordinary Go heap.
func makeHuge(n int) []uint64 {
	if n*8 < hugePage {
		return make([]uint64, n)
	}
	raw := make([]uint64, n+hugePage/8)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	off := int((hugePage - p%hugePage) % hugePage / 8)
	s := raw[off : off+n : off+n]
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), n*8)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	_ = syscall.Madvise(b[:len(b)/hugePage*hugePage], madvCollapse)
	return s
}
