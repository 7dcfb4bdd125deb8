package shard

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// frameReader passes exactly one zstd frame through from br and then reports
// io.EOF, so that a zstd decoder never reads past the frame and the
// compressed offset of the next frame is known. It follows the frame format
// (RFC 8878): header, blocks (each with a 3-byte header), optional checksum.
type frameReader struct {
	br    *bufio.Reader
	left  int  // bytes of the current segment still to pass through
	state int  // 0 frame header, 1 block header, 2 checksum, 3 done
	last  bool // the current block is the last one
	check bool // the frame has a checksum
	err   error
}

func (f *frameReader) reset(br *bufio.Reader) {
	*f = frameReader{br: br}
}

var errBadFrame = errors.New("malformed zstd frame")

func (f *frameReader) Read(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	for f.left == 0 {
		if err := f.advance(); err != nil {
			f.err = err
			return 0, err
		}
	}
	if len(p) > f.left {
		p = p[:f.left]
	}
	n, err := f.br.Read(p)
	f.left -= n
	if err != nil && f.left > 0 {
		f.err = noEOF(err)
		return n, f.err
	}
	return n, nil
}

// advance sets up the next segment of the frame.
func (f *frameReader) advance() error {
	switch f.state {
	case 0: // frame header
		h, err := f.br.Peek(5)
		if len(h) < 5 {
			return noEOF(err)
		}
		fhd := h[4]
		if fhd&0x08 != 0 {
			return fmt.Errorf("%w: reserved bit set", errBadFrame)
		}
		n := 5
		single := fhd&0x20 != 0
		if !single {
			n++ // window descriptor
		}
		n += [4]int{0, 1, 2, 4}[fhd&3]
		fcs := [4]int{0, 2, 4, 8}[fhd>>6]
		if fcs == 0 && single {
			fcs = 1
		}
		n += fcs
		f.check = fhd&0x04 != 0
		f.left = n
		f.state = 1
	case 1: // block header
		if f.last {
			f.state = 2
			if f.check {
				f.left = 4
			}
			return nil
		}
		h, err := f.br.Peek(3)
		if len(h) < 3 {
			return noEOF(err)
		}
		bh := uint32(h[0]) | uint32(h[1])<<8 | uint32(h[2])<<16
		f.last = bh&1 != 0
		size := int(bh >> 3)
		switch (bh >> 1) & 3 {
		case 1: // RLE: one byte stands for size bytes
			size = 1
		case 3:
			return fmt.Errorf("%w: reserved block type", errBadFrame)
		}
		f.left = 3 + size
	default:
		f.state = 3
		return io.EOF
	}
	return nil
}

// newZstdDecoder makes a single-threaded decoder with the given dictionaries
// (each in zstd dictionary format, or raw content registered as id 0).
func newZstdDecoder(dicts ...[]byte) (*zstd.Decoder, error) {
	opts := []zstd.DOption{
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(128 << 20),
	}
	for _, d := range dicts {
		if len(d) == 0 {
			continue
		}
		if len(d) >= 8 && le32(d) == 0xEC30A437 {
			opts = append(opts, zstd.WithDecoderDicts(d))
		} else {
			opts = append(opts, zstd.WithDecoderDictRaw(0, d))
		}
	}
	return zstd.NewReader(nil, opts...)
}

// maxDictBytes bounds a dictionary read from a skippable frame.
const maxDictBytes = 64 << 20

// readDictFrame reads the IIPC warc-zstd dictionary frame (skippable frame
// magic 0x184D2A5D) at the start of head, if there is one; the dictionary may
// itself be zstd-compressed. It returns the dictionary and the frame's length;
// fileSize bounds the frame's declared size.
func readDictFrame(r io.Reader, fileSize int64) (dict []byte, n int64, err error) {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, 0, nil // too short: no dictionary frame
	}
	if le32(h[:4]) != 0x184D2A5D {
		return nil, 0, nil
	}
	size := int64(le32(h[4:]))
	if size > maxDictBytes {
		return nil, 0, fmt.Errorf("zstd dictionary frame: %d bytes is too large", size)
	}
	if 8+size > fileSize {
		return nil, 0, fmt.Errorf("truncated zstd dictionary frame: %d bytes in a %d-byte file: %w", size, fileSize, io.ErrUnexpectedEOF)
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, 0, fmt.Errorf("truncated zstd dictionary frame: %w", noEOF(err))
	}
	if len(buf) >= 4 && string(buf[:4]) == string(zstdMagic) {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxDictBytes))
		if err != nil {
			return nil, 0, err
		}
		defer d.Close()
		buf, err = d.DecodeAll(buf, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("zstd dictionary frame: %w", err)
		}
	}
	return buf, 8 + size, nil
}
