package quality

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unsafe"
)

// littleEndianHost reports whether float32 slices can be read and written as raw bytes.
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// binReader reads a model's little-endian fields, tracking the byte offset for errors
// and, when the size of the input is known, refusing counts that cannot fit in it.
type binReader struct {
	r      *bufio.Reader
	name   string
	off    int64
	remain int64 // bytes left in the input, -1 if unknown
	buf    [8]byte
}

// errAt wraps err with the model name and the offset where the field began.
func (b *binReader) errAt(off int64, what string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("quality: model %s at byte %d: %s: %w", b.name, off, what, err)
}

func (b *binReader) full(p []byte, what string) error {
	off := b.off
	n, err := io.ReadFull(b.r, p)
	b.off += int64(n)
	if b.remain >= 0 {
		b.remain -= int64(n)
	}
	if err != nil {
		return b.errAt(off, what, err)
	}
	return nil
}

func (b *binReader) int32(what string) (int32, error) {
	if err := b.full(b.buf[:4], what); err != nil {
		return 0, err
	}
	return int32(binary.LittleEndian.Uint32(b.buf[:4])), nil
}

func (b *binReader) int64(what string) (int64, error) {
	if err := b.full(b.buf[:8], what); err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(b.buf[:8])), nil
}

func (b *binReader) float64(what string) (float64, error) {
	if err := b.full(b.buf[:8], what); err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b.buf[:8])), nil
}

func (b *binReader) byte(what string) (byte, error) {
	if err := b.full(b.buf[:1], what); err != nil {
		return 0, err
	}
	return b.buf[0], nil
}

// bool reads a C++ bool byte; fastText writes only 0 or 1.
func (b *binReader) bool(what string) (bool, error) {
	off := b.off
	c, err := b.byte(what)
	if err != nil {
		return false, err
	}
	if c > 1 {
		return false, b.errAt(off, what, fmt.Errorf("invalid bool byte %d", c))
	}
	return c == 1, nil
}

// cstring reads bytes up to a NUL, as Dictionary::load reads a word.
func (b *binReader) cstring(what string) (string, error) {
	off := b.off
	s, err := b.r.ReadString(0)
	b.off += int64(len(s))
	if b.remain >= 0 {
		b.remain -= int64(len(s))
	}
	if err != nil {
		return "", b.errAt(off, what, err)
	}
	return s[:len(s)-1], nil
}

// checkCount rejects a count of n items of size bytes each that is negative or larger
// than what is left of the input.
func (b *binReader) checkCount(n, size int64, what string) error {
	if n < 0 {
		return b.errAt(b.off, what, fmt.Errorf("negative count %d", n))
	}
	if n > math.MaxInt64/size || (b.remain >= 0 && n*size > b.remain) {
		return b.errAt(b.off, what, fmt.Errorf("count %d of %d-byte items exceeds the input: %w", n, size, io.ErrUnexpectedEOF))
	}
	return nil
}

// bytes reads n raw bytes, growing the buffer as data arrives when the input size is
// unknown so that a corrupt count cannot allocate more than the input holds.
func (b *binReader) bytes(n int64, what string) ([]byte, error) {
	if err := b.checkCount(n, 1, what); err != nil {
		return nil, err
	}
	const chunk = 64 << 20
	if b.remain >= 0 || n <= chunk {
		p := make([]byte, n)
		return p, b.full(p, what)
	}
	var p []byte
	for int64(len(p)) < n {
		m := min(n-int64(len(p)), chunk)
		p = append(p, make([]byte, m)...)
		if err := b.full(p[int64(len(p))-m:], what); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// float32s reads n little-endian float32 values with one big read on little-endian hosts.
func (b *binReader) float32s(n int64, what string) ([]float32, error) {
	if err := b.checkCount(n, 4, what); err != nil {
		return nil, err
	}
	const chunk = 16 << 20
	if b.remain < 0 && n > chunk {
		// Unknown input size: grow as data arrives, so a corrupt count fails at the
		// end of the input instead of allocating it all first.
		var f []float32
		for int64(len(f)) < n {
			c := min(n-int64(len(f)), chunk)
			f = append(f, make([]float32, c)...)
			part, err := b.float32s(c, what)
			if err != nil {
				return nil, err
			}
			copy(f[int64(len(f))-c:], part)
		}
		return f, nil
	}
	f := make([]float32, n)
	if n == 0 {
		return f, nil
	}
	if littleEndianHost {
		return f, b.full(unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), n*4), what)
	}
	raw := make([]byte, n*4)
	if err := b.full(raw, what); err != nil {
		return nil, err
	}
	return decodeFloats(raw), nil
}

func decodeFloats(raw []byte) []float32 {
	f := make([]float32, len(raw)/4)
	for i := range f {
		f[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return f
}
