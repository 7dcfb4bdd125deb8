//go:build !unix

package ngram

// mapFile reads the file at path (no mapping on this platform).
func mapFile(path string) (data []byte, release func(), err error) {
	data, err = readCacheFile(path)
	return data, func() {}, err
}

func dropPages([]byte) {}
