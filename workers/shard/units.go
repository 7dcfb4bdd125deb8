package shard

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compression is a file's compression, detected from its first bytes.
type compression int

const (
	compPlain compression = iota
	compGzip
	compZstd
)

func (c compression) String() string {
	switch c {
	case compGzip:
		return "gzip"
	case compZstd:
		return "zstd"
	}
	return "plain"
}

// Magic numbers.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// isSkippable reports whether b starts with a zstd skippable frame magic
// (0x184D2A50 to 0x184D2A5F, little endian).
func isSkippable(b []byte) bool {
	return len(b) >= 4 && b[0]&0xf0 == 0x50 && b[1] == 0x2a && b[2] == 0x4d && b[3] == 0x18
}

// detectCompression looks at a file's first bytes.
func detectCompression(b []byte) compression {
	switch {
	case len(b) >= 2 && b[0] == gzipMagic[0] && b[1] == gzipMagic[1]:
		return compGzip
	case len(b) >= 4 && string(b[:4]) == string(zstdMagic), isSkippable(b):
		return compZstd
	}
	return compPlain
}

// countingReader counts the bytes read from r.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// boundary is where a unit (gzip member, zstd frame, plain file) starts: at
// uncompressed offset u of the stream and compressed offset c of the file.
type boundary struct{ u, c int64 }

// unitStream yields the decompressed bytes of a file from a start offset,
// unit after unit, and remembers where the units start so that the parser on
// top of it can tell which records start on a unit boundary.
type unitStream struct {
	cr     countingReader
	br     *bufio.Reader
	base   int64 // file offset at which cr starts
	comp   compression
	gz     *gzip.Reader
	zd     *zstd.Decoder
	fr     frameReader
	cur    io.Reader // current unit, nil between units
	curC   int64     // compressed offset of the current unit
	units  int64     // units opened
	uoff   int64     // decompressed bytes delivered
	bounds []boundary
	err    error
}

func newUnitStream(r io.Reader, base int64, comp compression, zd *zstd.Decoder) *unitStream {
	s := &unitStream{base: base, comp: comp, zd: zd}
	s.cr.r = r
	s.br = bufio.NewReaderSize(&s.cr, 64<<10)
	return s
}

// pos is the file offset of the next compressed byte not yet consumed.
func (s *unitStream) pos() int64 { return s.base + s.cr.n - int64(s.br.Buffered()) }

func (s *unitStream) Read(p []byte) (int, error) {
	for {
		if s.err != nil {
			return 0, s.err
		}
		if s.cur == nil {
			if err := s.nextUnit(); err != nil {
				s.err = err
				return 0, err
			}
		}
		n, err := s.cur.Read(p)
		s.uoff += int64(n)
		if err == io.EOF {
			s.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = fmt.Errorf("truncated %s %s at %d: %w", s.comp, s.unitName(), s.curC, io.ErrUnexpectedEOF)
			} else if s.comp != compPlain {
				err = fmt.Errorf("corrupt %s %s at %d: %w", s.comp, s.unitName(), s.curC, err)
			}
			s.err = err
			return n, err
		}
		if n > 0 || len(p) == 0 {
			return n, nil
		}
	}
}

func (s *unitStream) unitName() string {
	if s.comp == compZstd {
		return "frame"
	}
	return "member"
}

// nextUnit opens the next unit, or returns io.EOF at the clean end of the file.
func (s *unitStream) nextUnit() error {
	c := s.pos()
	switch s.comp {
	case compPlain:
		if s.units > 0 {
			return io.EOF
		}
		s.cur = s.br
	case compGzip:
		var err error
		if s.gz == nil {
			s.gz, err = gzip.NewReader(s.br)
		} else {
			err = s.gz.Reset(s.br)
		}
		if err == io.EOF {
			return io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			return fmt.Errorf("truncated gzip header at %d: %w", c, err)
		}
		if err != nil {
			return fmt.Errorf("bad gzip member at %d: %w", c, err)
		}
		s.gz.Multistream(false)
		s.cur = s.gz
	case compZstd:
		for {
			c = s.pos()
			head, err := s.br.Peek(8)
			if len(head) == 0 && err == io.EOF {
				return io.EOF
			}
			if len(head) < 4 {
				return fmt.Errorf("truncated zstd frame at %d: %w", c, io.ErrUnexpectedEOF)
			}
			if isSkippable(head) {
				if len(head) < 8 {
					return fmt.Errorf("truncated zstd skippable frame at %d: %w", c, io.ErrUnexpectedEOF)
				}
				size := int64(le32(head[4:8]))
				if n, err := s.br.Discard(int(8 + size)); int64(n) != 8+size {
					return fmt.Errorf("truncated zstd skippable frame at %d: %w", c, noEOF(err))
				}
				continue
			}
			if string(head[:4]) != string(zstdMagic) {
				return fmt.Errorf("no zstd frame at %d: found % x", c, head[:4])
			}
			break
		}
		s.fr.reset(s.br)
		if err := s.zd.Reset(&s.fr); err != nil {
			return fmt.Errorf("zstd frame at %d: %w", c, err)
		}
		s.cur = s.zd
	}
	s.curC = c
	s.units++
	s.bounds = append(s.bounds, boundary{u: s.uoff, c: c})
	return nil
}

// locate returns the unit that holds uncompressed offset u, and forgets the
// units before it. The byte at u must have been read from the stream.
func (s *unitStream) locate(u int64) boundary {
	if len(s.bounds) == 0 {
		return boundary{u: 0, c: s.base} // not reached: a byte was read
	}
	i := 0
	for i+1 < len(s.bounds) && s.bounds[i+1].u <= u {
		i++
	}
	b := s.bounds[i]
	if i > 0 {
		n := copy(s.bounds, s.bounds[i:])
		s.bounds = s.bounds[:n]
	}
	return b
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func noEOF(err error) error {
	if err == nil || err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
