package shard

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// File is the bytes of one shard, wherever they live: a local file, an
// HTTP(S) URL read with range requests, an object in an object store. Read
// and Seek read sequentially; ReadAt reads at an offset without moving the
// sequential position. A File is not safe for concurrent use, except that
// ReadAt may be called concurrently.
type File interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
	// Size is the shard's length in bytes, known when it was opened.
	Size() int64
}

// Opener opens shards by name: a local path, a URL, an object name.
// Implementations must be safe for concurrent use. An Opener that does not
// know a name's kind should hand it to the default (DefaultOpener).
type Opener interface {
	Open(ctx context.Context, name string) (File, error)
}

// DefaultOpener opens http:// and https:// URLs through an HTTP source with
// the settings in HTTP, and anything else as a local file. It is the opener
// used when Options.Opener is nil (with zero HTTPOptions: the defaults).
type DefaultOpener struct {
	HTTP HTTPOptions
}

// Open opens name.
func (d DefaultOpener) Open(ctx context.Context, name string) (File, error) {
	if IsHTTP(name) {
		return OpenHTTP(ctx, name, d.HTTP)
	}
	return OpenLocal(name)
}

// IsHTTP reports whether name is an http:// or https:// URL.
func IsHTTP(name string) bool {
	low := strings.ToLower(name)
	return strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://")
}

// OpenLocal opens a local (or shared-filesystem) file.
func OpenLocal(name string) (File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory", name)
	}
	return localFile{f, st.Size()}, nil
}

// localFile is an *os.File with its size.
type localFile struct {
	*os.File
	size int64
}

func (l localFile) Size() int64 { return l.size }

// opener is the options' opener, the default when none is set.
func (o Options) opener() Opener {
	if o.Opener != nil {
		return o.Opener
	}
	return DefaultOpener{}
}

// Stat returns the size of the shard called name, opened with opts.Opener
// (the default: local files and HTTP(S) URLs). For a URL this is one HEAD
// request (or a one-byte range GET when HEAD is refused).
func Stat(ctx context.Context, name string, opts Options) (int64, error) {
	f, err := opts.opener().Open(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("shard %s: %w", name, err)
	}
	size := f.Size()
	f.Close()
	return size, nil
}

// baseName is the last element of a shard's name, used in derived record
// ids: the file's base name, or the last path element of a URL or an object
// name (without query or fragment).
func baseName(name string) string {
	if i := strings.Index(name, "://"); i > 0 && !strings.ContainsAny(name[:i], `/\`) {
		if u, err := url.Parse(name); err == nil && u.Path != "" {
			return path.Base(u.Path)
		}
		return path.Base(name)
	}
	return filepath.Base(name)
}

// SeekOffset is the offset io.Seeker.Seek(offset, whence) moves a File of
// the given size from pos to; name names it in errors.
func SeekOffset(name string, pos, size, offset int64, whence int) (int64, error) {
	abs := offset
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		abs += pos
	case io.SeekEnd:
		abs += size
	default:
		return 0, fmt.Errorf("%s: seek: bad whence %d", name, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("%s: seek to negative offset %d", name, abs)
	}
	return abs, nil
}
