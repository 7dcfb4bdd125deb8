package ngram

import (
	"fmt"
	"io"
	"os"
	"runtime"
)

// openCache maps (or, where mapping is not available, reads) the cache file
// at path and returns its tables if it is valid for key. Mapped tables live
// as long as m: the mapping is released by a cleanup on m.
func (m *Models) openCache(path string, key [32]byte) ([2]*table, error) {
	data, release, err := mapFile(path)
	if err != nil {
		return [2]*table{}, err
	}
	ts, err := parseCache(data, key)
	if err != nil {
		release()
		return ts, fmt.Errorf("cache %s: %w", path, err)
	}
	// Checking the file touched all of it; lookups need few of its pages.
	dropPages(data)
	runtime.AddCleanup(m, func(release func()) { release() }, release)
	return ts, nil
}

// readCacheFile reads the file at path into 8-byte aligned memory (the
// alternative to mapping it).
func readCacheFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size < 0 || size > 1<<34 {
		return nil, fmt.Errorf("cache %s: %d bytes", path, size)
	}
	words := make([]uint64, (size+7)/8)
	data := asBytesU64(words)[:size]
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("cache %s at %d: %w", path, len(data), err)
	}
	return data, nil
}
