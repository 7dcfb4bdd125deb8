//go:build unix

package ngram

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile maps the file at path read-only; release unmaps it. Files too
// small to hold a cache are read instead.
func mapFile(path string) (data []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size < cacheHdrSize+8 || int64(int(size)) != size {
		data, err := readCacheFile(path)
		return data, func() {}, err
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}

// dropPages releases the pages of a mapping made by mapFile from the
// process's resident set once the file is checked (they stay in the page
// cache; the next access maps them again), so that resident memory grows
// with the pages lookups touch instead of starting at the whole file.
func dropPages(data []byte) {
	if len(data) >= cacheHdrSize+8 {
		_ = syscall.Madvise(data, syscall.MADV_DONTNEED)
		_ = syscall.Madvise(data, syscall.MADV_RANDOM) // lookups are random: no read-ahead
	}
}
