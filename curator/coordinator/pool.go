package coordinator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// PoolRecord identifies a run's input pool by content: two runs over the
// same files (wherever they are) have the same Hash, so their results can
// be compared.
type PoolRecord struct {
	// Hash is "sha256:" and the SHA-256 of the manifest lines, one per file
	// in canonical order: "<name>\t<size>\t<sha256>\n".
	Hash string `json:"hash"`
	// Files are the pool's files; Name is relative to the directory that
	// holds them all (or the URL, for remote files).
	Files []PoolFile `json:"files"`
	// Bytes sums the files' sizes.
	Bytes int64 `json:"bytes"`
}

// PoolFile is one input file.
type PoolFile struct {
	Name  string `json:"name"`
	Bytes int64  `json:"bytes"`
	// SHA256 is the hex SHA-256 of the file; empty for a remote file, which
	// its URL and size stand for.
	SHA256 string `json:"sha256,omitempty"`
}

// PoolManifest hashes the run's input files (local ones in full, in
// parallel). files are in canonical order.
func PoolManifest(files []string) (*PoolRecord, error) {
	p := &PoolRecord{Files: make([]PoolFile, len(files))}
	base := commonDir(files)
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		name := f
		if !IsRemote(f) {
			if rel, err := filepath.Rel(base, f); err == nil {
				name = filepath.ToSlash(rel)
			}
		}
		p.Files[i].Name = name
		if IsRemote(f) {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p.Files[i].Bytes, p.Files[i].SHA256, errs[i] = hashFile(f)
		}()
	}
	wg.Wait()
	h := sha256.New()
	for i, f := range p.Files {
		if errs[i] != nil {
			return nil, errs[i]
		}
		p.Bytes += f.Bytes
		fmt.Fprintf(h, "%s\t%d\t%s\n", f.Name, f.Bytes, f.SHA256)
	}
	p.Hash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return p, nil
}

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", fmt.Errorf("pool manifest: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("pool manifest: %s at %d: %w", path, n, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// commonDir is the deepest directory holding every local file.
func commonDir(files []string) string {
	var dir string
	first := true
	for _, f := range files {
		if IsRemote(f) {
			continue
		}
		d := filepath.Dir(f)
		if first {
			dir, first = d, false
			continue
		}
		for dir != d && !strings.HasPrefix(d, dir+string(filepath.Separator)) {
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return dir
}

// BuildCommit is the VCS revision the running binary was built from, with
// "+dirty" for a modified tree; empty when the build did not record it
// (go run, go test).
func BuildCommit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}
