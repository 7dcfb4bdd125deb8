package ngram

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/pemistahl/lingua-go"
)

// The quadrigram and fivegram tables take seconds to build from lingua's
// zipped models, so the first build on a machine is saved to a cache file,
// which later processes map (or read) in well under a second. The file is
// <dir>/ngram-high-v<cacheVersion>-<first 12 bytes of the key, hex>.bin, dir
// being $CURATOR_CACHE_DIR or else os.UserCacheDir()/curator. The key (see
// cacheKey) changes with lingua's models and with the rune codes the table
// keys are made of; the format version with this package's layout.
//
// Format (cache_format.go): a header, the arrays of the order-4 then the
// order-5 table, each 8-byte aligned, and a CRC-32C of all that precedes it.
// A file that fails any check is rebuilt (with a warning), never trusted.

// cacheVersion is the version of the file format and table layout.
const cacheVersion = 1

// cacheDirEnv overrides the cache directory.
const cacheDirEnv = "CURATOR_CACHE_DIR"

// cacheDir returns the directory of the cache files.
func cacheDir() (string, error) {
	if d := os.Getenv(cacheDirEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory (set %s): %w", cacheDirEnv, err)
	}
	return filepath.Join(d, "curator"), nil
}

// cacheKey identifies what the cached tables are computed from: the format
// version, the rune codes of m (the table keys are made of them; they come
// from the bigram and trigram models), the path and size of every model, and
// the CRC-32 (from its zip directory) of every unigram to trigram model,
// which start-up has read anyway: the content, whatever binary reads it (a
// test binary carries no module versions), so that every binary of a
// checkout shares one cache file. The quadrigram and fivegram files are
// known by their sizes only, so that a process that maps the cache never
// touches them.
func (m *Models) cacheKey() ([32]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "curator ngram high-order tables v%d codeBits %d\n", cacheVersion, codeBits)
	_ = binary.Write(h, binary.LittleEndian, m.runeOf)
	for n := 1; n <= 5; n++ {
		for l := range numLangs {
			path := modelPath(lingua.Language(l), n)
			fi, err := fs.Stat(languageModels, path)
			if errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(h, "%s none\n", path)
				continue
			}
			if err != nil {
				return [32]byte{}, fmt.Errorf("lingua model %s: %w", path, err)
			}
			fmt.Fprintf(h, "%s %d\n", path, fi.Size())
			if n >= 4 {
				// Only the size: reading a zip directory faults in (and
				// reads around) pages of the embedded file, about 100 MB
				// of the binary in all for orders 4 and 5.
				continue
			}
			zr, err := openModelZip(lingua.Language(l), n)
			if err != nil {
				return [32]byte{}, err
			}
			for _, f := range zr.File {
				fmt.Fprintf(h, " %s %08x %d %d %d\n", f.Name, f.CRC32, f.CompressedSize64, f.UncompressedSize64, f.Method)
			}
		}
	}
	var k [32]byte
	h.Sum(k[:0])
	return k, nil
}

// cacheName is the file name of the cache with key k.
func cacheName(k [32]byte) string {
	return fmt.Sprintf("ngram-high-v%d-%x.bin", cacheVersion, k[:12])
}

// loadHighCached returns the order-4 and order-5 tables: from the cache if
// it has a valid file for m, else built, cached, and then mapped from the new
// file (so that the first process holds them as later ones do).
func (m *Models) loadHighCached() ([2]*table, error) {
	key, err := m.cacheKey()
	if err != nil {
		return [2]*table{}, err
	}
	dir, derr := cacheDir()
	path := filepath.Join(dir, cacheName(key))
	if derr == nil {
		ts, err := m.openCache(path, key)
		if err == nil {
			return ts, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			slog.Warn("ngram: ignoring the unusable cache of quadrigram and fivegram tables; rebuilding it",
				"path", path, "err", err)
		}
	}
	build := m.buildHigh
	if m.buildHighFn != nil {
		build = m.buildHighFn
	}
	t0 := time.Now()
	ts, err := build()
	if err != nil {
		return ts, err
	}
	if derr == nil {
		if derr = os.MkdirAll(dir, 0o755); derr == nil {
			derr = writeCache(path, key, ts)
		}
	}
	if derr != nil {
		slog.Warn("ngram: cannot cache the quadrigram and fivegram tables; they stay in memory and are built again by each process",
			"err", derr, "build", time.Since(t0))
		return ts, nil
	}
	slog.Info("ngram: built and cached the quadrigram and fivegram tables", "path", path, "build", time.Since(t0))
	// Map the new file instead of keeping the built copy, which is released
	// first so that the two are not resident together.
	ts = [2]*table{}
	debug.FreeOSMemory()
	if ts, err = m.openCache(path, key); err == nil {
		return ts, nil
	}
	slog.Warn("ngram: cannot read back the new cache of quadrigram and fivegram tables; building them again in memory",
		"path", path, "err", err)
	return build()
}
