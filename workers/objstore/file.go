package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/curator-dev/curator/workers/shard"
)

// stallTimeout is how long a Read of the Get stream may wait for data
// before the file goes on reading chunk by chunk.
const stallTimeout = 2 * time.Minute

// streamFromStartMax is how far from the start a sequential read still
// streams the object with Get, discarding the bytes before the offset,
// rather than indexing the chunks.
const streamFromStartMax = 1 << 20

// chunk is where one chunk message of an object is.
type chunk struct {
	seq  uint64 // stream sequence
	off  int64  // offset of its first byte in the object
	size int64
}

// file reads one object. Sequential reads from near the start stream the
// object with Get (digest checked at the end); other reads fetch chunks by
// sequence from the chunk index.
type file struct {
	ctx    context.Context
	js     jetstream.JetStream
	obs    jetstream.ObjectStore
	name   string // object://BUCKET/NAME
	bucket string
	info   *jetstream.ObjectInfo
	size   int64
	pos    int64
	closed bool
	// streamMax: a sequential read from at most this offset streams with Get.
	streamMax int64

	res          jetstream.ObjectResult // the Get stream at pos, nil if none
	stall        *time.Timer            // closes res when a Read waits too long
	stallTimeout time.Duration
	noStream     bool // a stream stalled: read from the chunks

	mu     sync.Mutex // guards what follows (ReadAt may run concurrently)
	stream jetstream.Stream
	chunks []chunk // the index, nil until built
	cur    []byte  // the last chunk fetched
	curIdx int     // its index in chunks, -1 if none
}

func (f *file) Size() int64 { return f.size }

var errClosed = errors.New("read after Close")

// Read reads sequentially.
func (f *file) Read(p []byte) (int, error) {
	if f.closed {
		return 0, errClosed
	}
	if f.pos >= f.size {
		f.dropStream()
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if f.res == nil && !f.noStream && f.pos <= f.streamMax {
		if err := f.openStream(); err != nil {
			return 0, err
		}
	}
	if f.res != nil {
		f.stall.Reset(f.stallTimeout)
		n, err := f.res.Read(p)
		stalled := !f.stall.Stop()
		f.pos += int64(n)
		switch {
		case stalled:
			// Nothing came for stallTimeout: go on from the chunks, which
			// says ErrChanged if the object was replaced meanwhile.
			f.dropStream()
			f.noStream = true
			if n > 0 {
				return n, nil
			}
		case err == io.EOF && f.pos != f.size:
			f.dropStream()
			return n, fmt.Errorf("object %s at %d: %w: the stream ended early (size %d)", f.name, f.pos, shard.ErrChanged, f.size)
		case err == io.EOF:
			f.dropStream()
			if n > 0 {
				return n, nil
			}
			return 0, io.EOF
		case err != nil:
			f.dropStream()
			return n, fmt.Errorf("object %s at %d: %w", f.name, f.pos, err)
		default:
			return n, nil
		}
	}
	n, err := f.readAt(p, f.pos)
	f.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// openStream starts a Get stream and skips to f.pos.
func (f *file) openStream() error {
	res, err := f.obs.Get(f.ctx, f.info.Name)
	if err != nil {
		return fmt.Errorf("object %s: %w", f.name, err)
	}
	if got, err := res.Info(); err == nil && got != nil && got.NUID != f.info.NUID {
		res.Close()
		return fmt.Errorf("object %s: %w: replaced since it was opened", f.name, shard.ErrChanged)
	}
	if f.pos > 0 {
		if _, err := io.CopyN(io.Discard, res, f.pos); err != nil {
			res.Close()
			return fmt.Errorf("object %s at %d: %w", f.name, f.pos, err)
		}
	}
	f.res = res
	f.stall = time.AfterFunc(time.Hour, func() { res.Close() })
	f.stall.Stop()
	return nil
}

func (f *file) dropStream() {
	if f.res != nil {
		f.stall.Stop()
		f.res.Close()
		f.res, f.stall = nil, nil
	}
}

// Seek moves the sequential offset.
func (f *file) Seek(offset int64, whence int) (int64, error) {
	abs, err := shard.SeekOffset("object "+f.name, f.pos, f.size, offset, whence)
	if err != nil {
		return 0, err
	}
	if abs != f.pos {
		f.dropStream()
		f.pos = abs
	}
	return abs, nil
}

// ReadAt reads at off from the chunks.
func (f *file) ReadAt(p []byte, off int64) (int, error) {
	if f.closed {
		return 0, errClosed
	}
	return f.readAt(p, off)
}

func (f *file) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("object %s: read at negative offset %d", f.name, off)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.index(); err != nil {
		return 0, err
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= f.size {
			return n, io.EOF
		}
		i := sort.Search(len(f.chunks), func(i int) bool { return f.chunks[i].off+f.chunks[i].size > at })
		if i != f.curIdx {
			if err := f.fetch(i); err != nil {
				return n, err
			}
		}
		n += copy(p[n:], f.cur[at-f.chunks[i].off:])
	}
	return n, nil
}

// fetch reads chunk i into f.cur with a direct get by sequence.
func (f *file) fetch(i int) error {
	c := f.chunks[i]
	m, err := f.stream.GetMsg(f.ctx, c.seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return fmt.Errorf("object %s at %d: %w: chunk %d (sequence %d) is gone", f.name, c.off, shard.ErrChanged, i, c.seq)
	}
	if err != nil {
		return fmt.Errorf("object %s at %d: chunk %d (sequence %d): %w", f.name, c.off, i, c.seq, err)
	}
	if m.Subject != f.subject() || int64(len(m.Data)) != c.size {
		return fmt.Errorf("object %s at %d: %w: chunk %d (sequence %d) is not the indexed one", f.name, c.off, shard.ErrChanged, i, c.seq)
	}
	f.cur, f.curIdx = m.Data, i
	return nil
}

func (f *file) subject() string { return "$O." + f.bucket + ".C." + f.info.NUID }

// index lists the object's chunks (sequence and size), reading only their
// headers.
func (f *file) index() error {
	if f.chunks != nil || f.size == 0 {
		return nil
	}
	ctx := f.ctx
	stream, err := f.js.Stream(ctx, "OBJ_"+f.bucket)
	if err != nil {
		return fmt.Errorf("object %s: stream: %w", f.name, err)
	}
	cons, err := f.js.OrderedConsumer(ctx, "OBJ_"+f.bucket, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{f.subject()}, HeadersOnly: true, InactiveThreshold: 30 * time.Second})
	if err != nil {
		return fmt.Errorf("object %s: chunk index: %w", f.name, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("object %s: chunk index: %w", f.name, err)
	}
	defer it.Stop()
	chunks := make([]chunk, 0, f.info.Chunks)
	var off int64
	for len(chunks) < int(f.info.Chunks) {
		m, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			return fmt.Errorf("object %s: chunk index at chunk %d: %w", f.name, len(chunks), err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("object %s: chunk index at chunk %d: %w", f.name, len(chunks), err)
		}
		size, err := strconv.ParseInt(m.Headers().Get("Nats-Msg-Size"), 10, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("object %s: chunk index at chunk %d: no size header", f.name, len(chunks))
		}
		chunks = append(chunks, chunk{seq: md.Sequence.Stream, off: off, size: size})
		off += size
	}
	if off != f.size {
		return fmt.Errorf("object %s: %w: its %d chunks hold %d bytes, not %d", f.name, shard.ErrChanged, len(chunks), off, f.size)
	}
	f.stream, f.chunks, f.curIdx = stream, chunks, -1
	return nil
}

// Close releases the stream.
func (f *file) Close() error {
	f.dropStream()
	f.closed = true
	return nil
}
