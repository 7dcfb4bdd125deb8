package workers

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
)

// Fingerprint (.prints) and verdict (.verdicts) files are sequences of
// records, each a uvarint length and that many bytes, one per staged
// document in document order.

// maxRecord bounds one record (a fingerprint of a 512 MiB document would
// be about this size).
const maxRecord = 1 << 30

// writeRecord appends one record to w.
func writeRecord(w io.Writer, b []byte) error {
	var n [binary.MaxVarintLen64]byte
	if _, err := w.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))]); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

// RecordWriter writes a records file atomically, hashing it.
type RecordWriter struct {
	path string
	tmp  *os.File
	bw   *bufio.Writer
	hash hash.Hash
	n    int64
}

// CreateRecords starts a records file at path (written to path.tmp until
// Commit).
func CreateRecords(path string) (*RecordWriter, error) {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	w := &RecordWriter{path: path, tmp: f, hash: sha256.New()}
	w.bw = bufio.NewWriterSize(io.MultiWriter(f, w.hash), 1<<16)
	return w, nil
}

// Write appends one record.
func (w *RecordWriter) Write(b []byte) error {
	w.n++
	return writeRecord(w.bw, b)
}

// Commit syncs and renames the file into place and returns its hex SHA-256.
func (w *RecordWriter) Commit() (string, error) {
	err := w.bw.Flush()
	if err == nil {
		err = w.tmp.Sync()
	}
	if cerr := w.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.path+".tmp", w.path)
	}
	if err != nil {
		_ = os.Remove(w.path + ".tmp")
		return "", fmt.Errorf("records %s: %w", w.path, err)
	}
	return hex.EncodeToString(w.hash.Sum(nil)), nil
}

// Abort removes the unfinished file.
func (w *RecordWriter) Abort() {
	_ = w.tmp.Close()
	_ = os.Remove(w.path + ".tmp")
}

// RecordReader reads a records file back, checking its SHA-256 at the end.
type RecordReader struct {
	path string
	f    *os.File
	br   *bufio.Reader
	hash hash.Hash
	want string
	off  int64
	buf  []byte
}

// OpenRecords opens the records file at path, whose hex SHA-256 must be
// sha (not checked if empty).
func OpenRecords(path, sha string) (*RecordReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("records %s: %w", path, err)
	}
	r := &RecordReader{path: path, f: f, hash: sha256.New(), want: sha}
	r.br = bufio.NewReaderSize(io.TeeReader(f, r.hash), 1<<16)
	return r, nil
}

// Next returns the next record, valid until the next call, or io.EOF at
// the end of a file whose hash is right.
func (r *RecordReader) Next() ([]byte, error) {
	n, err := binary.ReadUvarint(r.br)
	if err == io.EOF {
		if got := hex.EncodeToString(r.hash.Sum(nil)); r.want != "" && got != r.want {
			return nil, fmt.Errorf("records %s: sha256 %s, want %s (changed since it was written)", r.path, got, r.want)
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("records %s at %d: record length: %w", r.path, r.off, err)
	}
	if n > maxRecord {
		return nil, fmt.Errorf("records %s at %d: record length %d (corrupt)", r.path, r.off, n)
	}
	r.off += int64(uvarintLen(n))
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.br, r.buf); err != nil {
		return nil, fmt.Errorf("records %s at %d: record of %d bytes: %w", r.path, r.off, n, err)
	}
	r.off += int64(n)
	return r.buf, nil
}

// Close closes the file.
func (r *RecordReader) Close() error { return r.f.Close() }

func uvarintLen(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], v)
}
