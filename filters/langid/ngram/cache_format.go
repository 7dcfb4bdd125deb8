package ngram

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unsafe"

	"github.com/curator-dev/curator/internal/atomicfile"
)

// Cache file layout, all integers in the writer's byte order (the order
// mark tells; a file of the other order is rejected):
//
//	off  size
//	0    8    magic "CURNGRAM"
//	8    4    cacheVersion
//	12   4    byte-order mark 0x01020304
//	16   32   key (cacheKey)
//	48   8    file size in bytes
//	56   112  two table headers (order 4, then 5), 7 uint64 each:
//	          order, hbits, rbits, len(wdir), keys, postings, len(vals)
//	168       per table: wdir, wrem, off (keys+1), wpost as uint32, vals
//	          as float64, each padded with zeros to a multiple of 8 bytes
//	end-8 4   CRC-32C (Castagnoli) of bytes [0, end-8)
//	end-4 4   zero
const (
	cacheMagic   = "CURNGRAM"
	cacheBOM     = 0x01020304
	cacheHdrSize = 56 + 2*7*8
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// tabHeader is the header of one table in the cache file.
type tabHeader struct{ order, hbits, rbits, ndir, keys, posts, vals uint64 }

func headerOf(t *table) tabHeader {
	return tabHeader{uint64(t.order), uint64(t.hbits), uint64(t.rbits), uint64(len(t.wdir)),
		uint64(len(t.wrem)), uint64(len(t.wpost)), uint64(len(t.vals))}
}

// sections returns the byte sizes of a table's arrays (before padding).
func (h tabHeader) sections() [5]uint64 {
	return [5]uint64{4 * h.ndir, 4 * h.keys, 4 * (h.keys + 1), 4 * h.posts, 8 * h.vals}
}

func pad8(n uint64) uint64 { return (n + 7) &^ 7 }

// cacheSize is the file size for the table headers hs.
func cacheSize(hs [2]tabHeader) uint64 {
	size := uint64(cacheHdrSize) + 8
	for _, h := range hs {
		for _, s := range h.sections() {
			size += pad8(s)
		}
	}
	return size
}

// asBytes views the elements of s as bytes.
func asBytes[T uint32 | float64](s []T) []byte {
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(z)))
}

func asBytesU64(s []uint64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 8*len(s))
}

// asSlice views the 8-byte aligned b as a slice of T.
func asSlice[T uint32 | float64](b []byte) []T {
	var z T
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(z)))
}

// crcWriter writes through to w, computing the CRC-32C and counting bytes.
type crcWriter struct {
	w   io.Writer
	crc uint32
	n   uint64
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.crc = crc32.Update(c.crc, crcTable, p[:n])
	c.n += uint64(n)
	return n, err
}

// writeCache writes the order-4 and order-5 tables ts to path atomically.
func writeCache(path string, key [32]byte, ts [2]*table) error {
	hs := [2]tabHeader{headerOf(ts[0]), headerOf(ts[1])}
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := &crcWriter{w: w}
		hdr := make([]byte, 0, cacheHdrSize)
		hdr = append(hdr, cacheMagic...)
		hdr = binary.NativeEndian.AppendUint32(hdr, cacheVersion)
		hdr = binary.NativeEndian.AppendUint32(hdr, cacheBOM)
		hdr = append(hdr, key[:]...)
		hdr = binary.NativeEndian.AppendUint64(hdr, cacheSize(hs))
		for _, h := range hs {
			for _, v := range [...]uint64{h.order, h.hbits, h.rbits, h.ndir, h.keys, h.posts, h.vals} {
				hdr = binary.NativeEndian.AppendUint64(hdr, v)
			}
		}
		if _, err := cw.Write(hdr); err != nil {
			return err
		}
		var zeros [8]byte
		for _, t := range ts {
			for _, b := range [][]byte{asBytes(t.wdir), asBytes(t.wrem), asBytes(t.off), asBytes(t.wpost), asBytes(t.vals)} {
				if _, err := cw.Write(b); err != nil {
					return err
				}
				if _, err := cw.Write(zeros[:pad8(uint64(len(b)))-uint64(len(b))]); err != nil {
					return err
				}
			}
		}
		if cw.n != cacheSize(hs)-8 {
			return fmt.Errorf("wrote %d bytes, want %d", cw.n, cacheSize(hs)-8)
		}
		var tr [8]byte
		binary.NativeEndian.PutUint32(tr[:], cw.crc)
		_, err := w.Write(tr[:])
		return err
	})
}

var errCacheFormat = errors.New("not a cache file of this format")

// parseCache checks the cache file contents data (8-byte aligned) against
// key and returns the tables, whose arrays are views of data.
func parseCache(data []byte, key [32]byte) ([2]*table, error) {
	var ts [2]*table
	if len(data) < cacheHdrSize+8 {
		return ts, fmt.Errorf("%w: %d bytes", errCacheFormat, len(data))
	}
	ne := binary.NativeEndian
	if string(data[:8]) != cacheMagic || ne.Uint32(data[8:]) != cacheVersion || ne.Uint32(data[12:]) != cacheBOM {
		return ts, fmt.Errorf("%w: header", errCacheFormat)
	}
	if !bytes.Equal(data[16:48], key[:]) {
		return ts, fmt.Errorf("%w: another key", errCacheFormat)
	}
	if size := ne.Uint64(data[48:]); size != uint64(len(data)) {
		return ts, fmt.Errorf("truncated or extended: %d bytes, header says %d", len(data), size)
	}
	end := len(data) - 8
	if got, want := crc32.Checksum(data[:end], crcTable), ne.Uint32(data[end:]); got != want {
		return ts, fmt.Errorf("checksum %08x, want %08x", got, want)
	}
	var hs [2]tabHeader
	for i := range hs {
		var v [7]uint64
		for j := range v {
			v[j] = ne.Uint64(data[56+8*(7*i+j):])
		}
		h := tabHeader{v[0], v[1], v[2], v[3], v[4], v[5], v[6]}
		if h.order != uint64(4+i) || h.hbits != codeBits*h.order || h.rbits > 32 || h.rbits >= h.hbits ||
			h.ndir != 1<<(h.hbits-h.rbits)+1 || h.keys >= 1<<32 || h.posts >= 1<<32 ||
			h.vals > 1<<(32-postLangBits) || h.keys > h.posts {
			return ts, fmt.Errorf("%w: table header %v", errCacheFormat, h)
		}
		hs[i] = h
	}
	if cacheSize(hs) != uint64(len(data)) {
		return ts, fmt.Errorf("%w: %d bytes, tables need %d", errCacheFormat, len(data), cacheSize(hs))
	}
	at := uint64(cacheHdrSize)
	next := func(size uint64) []byte {
		b := data[at : at+size]
		at += pad8(size)
		return b
	}
	for i, h := range hs {
		s := h.sections()
		t := &table{order: int(h.order), n: int(h.keys), hbits: uint8(h.hbits), rbits: uint8(h.rbits),
			wdir: asSlice[uint32](next(s[0])), wrem: asSlice[uint32](next(s[1])),
			off: asSlice[uint32](next(s[2])), wpost: asSlice[uint32](next(s[3])), vals: asSlice[float64](next(s[4]))}
		if err := t.checkWide(); err != nil {
			return ts, fmt.Errorf("order-%d table: %w", h.order, err)
		}
		ts[i] = t
	}
	return ts, nil
}

// checkWide checks that every index of a wide table is in range, so that a
// damaged file that passed the checksum cannot make lookups panic.
func (t *table) checkWide() error {
	if t.wdir[0] != 0 || t.wdir[len(t.wdir)-1] != uint32(len(t.wrem)) {
		return errors.New("bucket directory does not cover the keys")
	}
	for b := 1; b < len(t.wdir); b++ {
		if t.wdir[b] < t.wdir[b-1] {
			return fmt.Errorf("bucket %d starts before bucket %d", b, b-1)
		}
	}
	if t.off[0] != 0 || t.off[len(t.off)-1] != uint32(len(t.wpost)) {
		return errors.New("postings offsets do not cover the postings")
	}
	for i := 1; i < len(t.off); i++ {
		if t.off[i] <= t.off[i-1] {
			return fmt.Errorf("key %d has no postings", i-1)
		}
	}
	nv := uint32(len(t.vals))
	for p, x := range t.wpost {
		if x&langMask >= numLangs || x>>postLangBits >= nv {
			return fmt.Errorf("posting %d out of range: %#x", p, x)
		}
	}
	return nil
}
