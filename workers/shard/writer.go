package shard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Writer writes a JSONL output shard: compressed with zstd (name ending in
// .zst) or gzip (.gz), else plain. It writes to a temporary name in the same
// directory; Commit fsyncs and renames it to the final name, Abort removes it.
// The same lines always give the same bytes: the encoders run single-threaded
// at a fixed level and the gzip header carries no name or time.
type Writer struct {
	path  string
	tmp   *os.File
	hash  hash.Hash
	count countingWriter
	enc   io.WriteCloser // nil for plain files
	zenc  *zstd.Encoder  // enc, when it is a pooled zstd encoder
	out   io.Writer      // where lines go
	lines int64
	done  bool
	info  WriterInfo
}

// WriterInfo describes a committed output.
type WriterInfo struct {
	Path   string // the final name
	Lines  int64  // JSON lines written
	Bytes  int64  // bytes in the file
	SHA256 string // hex SHA-256 of the file's bytes
}

// countingWriter counts and forwards bytes.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Zstd level of the outputs: fixed, so that outputs are reproducible.
const writerZstdLevel = zstd.SpeedDefault

// zstdEncoders keeps zstd encoders for reuse: making one allocates its
// tables, which costs more than compressing a small task's output. A reset
// encoder starts a new, independent stream, so reuse does not change bytes.
var zstdEncoders sync.Pool

func getZstdEncoder(w io.Writer) (*zstd.Encoder, error) {
	if enc, ok := zstdEncoders.Get().(*zstd.Encoder); ok {
		enc.Reset(w)
		return enc, nil
	}
	return zstd.NewWriter(w,
		zstd.WithEncoderLevel(writerZstdLevel),
		zstd.WithEncoderConcurrency(1),
		zstd.WithEncoderCRC(true),
		zstd.WithZeroFrames(true))
}

// release closes the encoder and gives a zstd encoder back to the pool.
func (w *Writer) release() error {
	if w.enc == nil {
		return nil
	}
	err := w.enc.Close()
	if w.zenc != nil {
		w.zenc.Reset(nil)
		zstdEncoders.Put(w.zenc)
		w.zenc = nil
	}
	w.enc = nil
	return err
}

// Create starts an output shard at path (its directory must exist).
func Create(path string) (*Writer, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("shard writer %s: %w", path, err)
	}
	w := &Writer{path: path, tmp: tmp, hash: sha256.New()}
	w.count.w = io.MultiWriter(tmp, w.hash)
	switch {
	case strings.HasSuffix(path, ".zst"):
		enc, err := getZstdEncoder(&w.count)
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, fmt.Errorf("shard writer %s: %w", path, err)
		}
		w.zenc, w.enc, w.out = enc, enc, enc
	case strings.HasSuffix(path, ".gz"):
		enc, err := gzip.NewWriterLevel(&w.count, gzip.DefaultCompression)
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, fmt.Errorf("shard writer %s: %w", path, err)
		}
		w.enc, w.out = enc, enc
	default:
		w.out = &w.count
	}
	return w, nil
}

var errWriterDone = errors.New("writer already committed or aborted")

// WriteLine writes one JSON object and a newline. b must not contain a
// newline.
func (w *Writer) WriteLine(b []byte) error {
	if w.done {
		return fmt.Errorf("shard writer %s: %w", w.path, errWriterDone)
	}
	if bytes.IndexByte(b, '\n') >= 0 {
		return fmt.Errorf("shard writer %s: line %d holds a newline", w.path, w.lines)
	}
	if _, err := w.out.Write(b); err != nil {
		return fmt.Errorf("shard writer %s: %w", w.path, err)
	}
	if _, err := w.out.Write([]byte{'\n'}); err != nil {
		return fmt.Errorf("shard writer %s: %w", w.path, err)
	}
	w.lines++
	return nil
}

// Write writes raw bytes (for files that are not JSONL, such as a staged
// task's scores); it implements io.Writer.
func (w *Writer) Write(b []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("shard writer %s: %w", w.path, errWriterDone)
	}
	n, err := w.out.Write(b)
	if err != nil {
		return n, fmt.Errorf("shard writer %s: %w", w.path, err)
	}
	return n, nil
}

// Commit finishes the file, fsyncs it, renames it to its final name and
// fsyncs the directory. A file with no lines is still written (empty JSONL).
func (w *Writer) Commit() error {
	if w.done {
		return fmt.Errorf("shard writer %s: %w", w.path, errWriterDone)
	}
	w.done = true
	fail := func(err error) error {
		w.tmp.Close()
		os.Remove(w.tmp.Name())
		return fmt.Errorf("shard writer %s: %w", w.path, err)
	}
	if err := w.release(); err != nil {
		return fail(err)
	}
	if err := w.tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := w.tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(w.tmp.Name(), w.path); err != nil {
		os.Remove(w.tmp.Name())
		return fmt.Errorf("shard writer %s: %w", w.path, err)
	}
	if d, err := os.Open(filepath.Dir(w.path)); err == nil {
		d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	w.info = WriterInfo{Path: w.path, Lines: w.lines, Bytes: w.count.n, SHA256: hex.EncodeToString(w.hash.Sum(nil))}
	return nil
}

// Abort drops the file. It is a no-op after Commit or Abort.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.release()
	w.tmp.Close()
	if err := os.Remove(w.tmp.Name()); err != nil {
		return fmt.Errorf("shard writer %s: %w", w.path, err)
	}
	return nil
}

// Info describes the committed file; it is zero before Commit.
func (w *Writer) Info() WriterInfo { return w.info }
