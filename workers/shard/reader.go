package shard

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// format is a shard's record format.
type format int

const (
	formatWARC format = iota
	formatJSONL
)

// Reader streams the records of one Range of a shard. It is not safe for
// concurrent use.
type Reader struct {
	ctx    context.Context
	rng    Range
	opts   Options
	base   string // file base name, for derived ids
	f      File
	us     *unitStream
	br     *bufio.Reader // over us
	zd     *zstd.Decoder
	format format
	counts Counts
	index  int64
	fatal  error
	done   bool

	// The record being read.
	off     int64 // Record.Offset
	unitC   int64 // compressed offset of the unit holding it
	intra   int64 // its distance into that unit (0: on a boundary)
	hdr     headers
	block   []byte
	meta    []byte
	chunked []byte
	dec     decoders
}

// bufSize is the parser's buffer, which also bounds a WARC header line.
const bufSize = 64 << 10

// Open opens a range of a shard for reading. The format (WARC/WET or JSONL)
// and the compression are detected from the content, the format falling back
// on the name (.jsonl, .json) when the content does not tell.
func Open(ctx context.Context, rng Range, opts Options) (*Reader, error) {
	if rng.Start < 0 {
		return nil, fmt.Errorf("shard %s: negative range start %d", rng.Path, rng.Start)
	}
	f, err := opts.opener().Open(ctx, rng.Path)
	if err != nil {
		return nil, fmt.Errorf("shard %s: %w", rng.Path, err)
	}
	r := &Reader{ctx: ctx, rng: rng, opts: opts.withDefaults(), base: baseName(rng.Path), f: f}
	r.counts.Skipped = map[string]int64{}
	if err := r.open(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Reader) open() error {
	name := r.rng.Path
	// The IIPC dictionary frame sits at the start of the file, whatever the
	// range. The head and the magic are read with ReadAt, then the range is
	// read sequentially from its start: for a remote shard that is one
	// small read and one stream.
	size := r.f.Size()
	var head8 [8]byte
	if _, err := r.f.ReadAt(head8[:], 0); err != nil && err != io.EOF {
		return fmt.Errorf("shard %s at 0: %w", name, err)
	}
	dict, dictLen, err := readDictFrame(io.NewSectionReader(r.f, 0, size), size)
	if err != nil {
		return fmt.Errorf("shard %s at 0: %w", name, err)
	}
	start := r.rng.Start
	if start == 0 {
		start = dictLen
	}
	var magic [4]byte
	n, err := r.f.ReadAt(magic[:], start)
	if err != nil && err != io.EOF {
		return fmt.Errorf("shard %s at %d: %w", name, start, err)
	}
	comp := detectCompression(magic[:n])
	if dictLen > 0 {
		comp = compZstd
	}
	if _, err := r.f.Seek(start, io.SeekStart); err != nil {
		return fmt.Errorf("shard %s at %d: %w", name, start, err)
	}
	if comp == compZstd {
		r.zd, err = newZstdDecoder(dict, r.opts.ZstdDict)
		if err != nil {
			return fmt.Errorf("shard %s at 0: zstd dictionary: %w", name, err)
		}
	}
	r.us = newUnitStream(r.f, start, comp, r.zd)
	r.br = bufio.NewReaderSize(r.us, bufSize)

	// Detect the format from the first non-blank decompressed bytes.
	if err := r.skipBlank(); err != nil {
		if err == io.EOF {
			r.done = true
			return nil
		}
		return fmt.Errorf("shard %s at %d: %w", name, start, err)
	}
	head, _ := r.br.Peek(5)
	switch {
	case bytes.Equal(head, []byte("WARC/")):
		r.format = formatWARC
	case len(head) > 0 && head[0] == '{':
		r.format = formatJSONL
	default:
		low := strings.ToLower(name)
		switch {
		case strings.Contains(low, ".jsonl"), strings.Contains(low, ".json"):
			r.format = formatJSONL
		case strings.Contains(low, ".warc"), strings.Contains(low, ".wet"):
			r.format = formatWARC
		default:
			return fmt.Errorf("shard %s at %d: unknown format (starts with %q)", name, start, head)
		}
	}
	return nil
}

// skipBlank skips whitespace between records. It returns io.EOF at the end
// of the stream.
func (r *Reader) skipBlank() error {
	for {
		b, err := r.br.Peek(1)
		if len(b) == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return err
		}
		buf := r.br.Buffered()
		b, _ = r.br.Peek(buf)
		i := 0
		for i < len(b) && (b[i] == '\n' || b[i] == '\r' || b[i] == ' ' || b[i] == '\t') {
			i++
		}
		r.br.Discard(i)
		if i < len(b) {
			return nil
		}
	}
}

// Next returns the next record, io.EOF at the end of the range, a
// *RecordError for a bad record (reading may go on), or a fatal error that
// every later call returns again.
func (r *Reader) Next() (*Record, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	if r.done {
		return nil, io.EOF
	}
	for {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		err := r.begin()
		if err == io.EOF {
			r.done = true
			return nil, io.EOF
		}
		if err != nil {
			r.fatal = r.wrap(err)
			return nil, r.fatal
		}
		var rec *Record
		var skip string
		if r.format == formatWARC {
			rec, skip, err = r.readWARC()
		} else {
			rec, skip, err = r.readJSONL()
		}
		r.index++
		var re *RecordError
		switch {
		case errors.As(err, &re):
			r.counts.Errors++
			return nil, err
		case err != nil:
			r.fatal = r.wrap(err)
			return nil, r.fatal
		case skip != "":
			r.counts.Skipped[skip]++
			continue
		}
		rec.Offset = r.off
		rec.Index = r.index - 1
		if rec.ID == "" {
			rec.ID = r.derivedID()
		}
		r.counts.Records++
		return rec, nil
	}
}

// begin finds the start of the next record and where it is. It returns
// io.EOF at the end of the stream or of the range.
func (r *Reader) begin() error {
	if err := r.skipBlank(); err != nil {
		return err
	}
	u := r.us.uoff - int64(r.br.Buffered())
	b := r.us.locate(u)
	r.unitC, r.intra = b.c, u-b.u
	if r.us.comp == compPlain {
		r.unitC, r.intra = b.c+u-b.u, 0
	}
	r.off = r.unitC + r.intra
	if r.rng.End >= 0 && r.unitC >= r.rng.End {
		return io.EOF
	}
	return nil
}

// derivedID is "<base>@<offset>", or "<base>@<unit>+<distance>" for a record
// inside a compressed unit.
func (r *Reader) derivedID() string {
	if r.intra == 0 {
		return r.base + "@" + strconv.FormatInt(r.off, 10)
	}
	return r.base + "@" + strconv.FormatInt(r.unitC, 10) + "+" + strconv.FormatInt(r.intra, 10)
}

// wrap names the file and the record's offset in a fatal error.
func (r *Reader) wrap(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("shard %s at %d: %w", r.rng.Path, r.off, err)
}

// recordErr makes a *RecordError for the current record.
func (r *Reader) recordErr(format string, args ...any) *RecordError {
	return &RecordError{File: r.rng.Path, Offset: r.off, Index: r.index, Err: fmt.Errorf(format, args...)}
}

// Counts returns what was read so far.
func (r *Reader) Counts() Counts {
	c := r.counts
	c.Skipped = make(map[string]int64, len(r.counts.Skipped))
	for k, v := range r.counts.Skipped {
		c.Skipped[k] = v
	}
	return c
}

// Close releases the file and the decoders.
func (r *Reader) Close() error {
	if r.zd != nil {
		r.zd.Close()
		r.zd = nil
	}
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	if r.fatal == nil {
		r.fatal = errors.New("shard: reader closed")
	}
	return err
}

// readFull reads n bytes of the record block into r.block.
func (r *Reader) readFull(n int64) ([]byte, error) {
	if int64(cap(r.block)) < n {
		r.block = make([]byte, n)
	}
	b := r.block[:n]
	got, err := io.ReadFull(r.br, b)
	if err != nil {
		return nil, fmt.Errorf("truncated record: %d of %d bytes: %w", got, n, noEOF(err))
	}
	return b, nil
}

// discard skips n bytes of the stream.
func (r *Reader) discard(n int64) error {
	for n > 0 {
		step := min(n, 1<<30)
		got, err := r.br.Discard(int(step))
		n -= int64(got)
		if err != nil && n > 0 {
			return fmt.Errorf("truncated record: %d bytes missing: %w", n, noEOF(err))
		}
	}
	return nil
}

// releaseBlock drops an unusually large block buffer so that one big record
// does not pin its memory for the rest of the task.
func (r *Reader) releaseBlock() {
	if cap(r.block) > 8<<20 {
		r.block = nil
	}
	if cap(r.chunked) > 8<<20 {
		r.chunked = nil
	}
}
