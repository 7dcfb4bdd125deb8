package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/bits-and-blooms/bloom/v3"
)

// Bloom is a bloom filter of m bits with k positions per shingle. NewBloom
// makes a standard (unblocked) one, NewBlockedBloom a blocked one (see
// PlanBlocked). A standard filter is a github.com/bits-and-blooms/bloom/v3
// filter over a bit array this package allocates (huge-page advised when
// large). A shingle's 64-bit hash goes to the library as its 8
// little-endian bytes; the library derives the k positions from their
// murmur3 hashes (enhanced double hashing).
// Contains, Add and Keys compute those same positions without the library's
// allocations and divisions (see positions), so the bits are exactly the
// library's: the library's own Test and Add on the filter agree with them.
// It is not safe for concurrent use: a run gives each filter (or partition)
// to one owner.
type Bloom struct {
	f     *bloom.BloomFilter
	words []uint64 // the filter's bit array, shared with f
	m     uint64
	k     int
	mod   fastMod // x % m
	buf   [8]byte

	blocks uint64 // the number of 512-bit blocks of a blocked filter, else 0
}

// NewBloom returns an empty filter of the planned size.
func NewBloom(p Plan) (*Bloom, error) {
	if p.Bytes == 0 || p.Bytes%8 != 0 || p.K < 1 || p.K > 64 {
		return nil, fmt.Errorf("bloom: bad plan %d bytes, k=%d", p.Bytes, p.K)
	}
	return newBloomOver(newWords(p.Bytes/8), p.K), nil
}

func newBloomOver(words []uint64, k int) *Bloom {
	m := uint64(len(words)) * 64
	return &Bloom{f: bloom.FromWithM(words, uint(m), uint(k)), words: words, m: m, k: k, mod: newFastMod(m)}
}

// K returns the number of positions per shingle.
func (b *Bloom) K() int { return b.k }

// Bits returns m, the number of bits.
func (b *Bloom) Bits() uint64 { return b.m }

// Bytes returns the size of the bit array in bytes.
func (b *Bloom) Bytes() uint64 { return b.m / 8 }

// key is the bytes the library hashes for shingle x.
func (b *Bloom) key(x uint64) []byte {
	binary.LittleEndian.PutUint64(b.buf[:], x)
	return b.buf[:]
}

// Keys appends the k bit positions of shingle x to dst: the positions the
// library sets for it.
func (b *Bloom) Keys(x uint64, dst []uint64) []uint64 { return b.positions(x, dst) }

// Has reports whether bit key is set.
func (b *Bloom) Has(key uint64) bool { return b.words[key>>6]&(1<<(key&63)) != 0 }

// Put sets bit key.
func (b *Bloom) Put(key uint64) { b.words[key>>6] |= 1 << (key & 63) }

// Contains reports whether all k bits of shingle x are set.
func (b *Bloom) Contains(x uint64) bool {
	if b.blocks != 0 {
		return b.blockedContains(x)
	}
	h := baseHashes8(x)
	w := b.words
	for i := range uint64(b.k) {
		p := b.mod.mod(h[i&1] + i*h[2+((i+i&1)&3)>>1])
		if w[p>>6]&(1<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

// Add sets the k bits of shingle x.
func (b *Bloom) Add(x uint64) {
	if b.blocks != 0 {
		b.blockedAdd(x)
		return
	}
	h := baseHashes8(x)
	w := b.words
	for i := range uint64(b.k) {
		p := b.mod.mod(h[i&1] + i*h[2+((i+i&1)&3)>>1])
		w[p>>6] |= 1 << (p & 63)
	}
}

// FillRatio returns the fraction of bits set (DCLM's "sparsity").
func (b *Bloom) FillRatio() float64 {
	n := 0
	for _, w := range b.words {
		n += bits.OnesCount64(w)
	}
	return float64(n) / float64(b.m)
}

// Snapshot format: "CBF1" magic, u32 version (1: standard, 2: blocked, see
// NewBlockedBloom), u32 k, u64 m (bits), then m/64 little-endian u64 words.
// Positions depend only on (version, m, k), so a snapshot restores the
// filter exactly.
var bloomMagic = [4]byte{'C', 'B', 'F', '1'}

// WriteTo writes a snapshot of the filter to w.
func (b *Bloom) WriteTo(w io.Writer) (int64, error) {
	hdr := make([]byte, 20)
	copy(hdr, bloomMagic[:])
	version := uint32(1)
	if b.blocks != 0 {
		version = 2
	}
	binary.LittleEndian.PutUint32(hdr[4:], version)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(b.k))
	binary.LittleEndian.PutUint64(hdr[12:], b.m)
	n, err := w.Write(hdr)
	total := int64(n)
	if err != nil {
		return total, fmt.Errorf("bloom snapshot header: %w", err)
	}
	buf := make([]byte, 0, 1<<16)
	for i, x := range b.words {
		buf = binary.LittleEndian.AppendUint64(buf, x)
		if len(buf) == cap(buf) || i == len(b.words)-1 {
			n, err := w.Write(buf)
			total += int64(n)
			if err != nil {
				return total, fmt.Errorf("bloom snapshot at %d: %w", total, err)
			}
			buf = buf[:0]
		}
	}
	return total, nil
}

// ReadBloom reads a snapshot written by WriteTo.
func ReadBloom(r io.Reader) (*Bloom, error) {
	hdr := make([]byte, 20)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("bloom snapshot header: %w", err)
	}
	version := binary.LittleEndian.Uint32(hdr[4:])
	if [4]byte(hdr[:4]) != bloomMagic || version != 1 && version != 2 {
		return nil, errors.New("bloom snapshot: bad magic or version")
	}
	k := int(binary.LittleEndian.Uint32(hdr[8:]))
	m := binary.LittleEndian.Uint64(hdr[12:])
	if m == 0 || m%64 != 0 || k < 1 || k > 64 || version == 2 && (m%blockBits != 0 || k > 28) {
		return nil, fmt.Errorf("bloom snapshot: m=%d k=%d: bad geometry", m, k)
	}
	newBloom := NewBloom
	if version == 2 {
		newBloom = NewBlockedBloom
	}
	b, err := newBloom(Plan{Bytes: m / 8, K: k})
	if err != nil {
		return nil, fmt.Errorf("bloom snapshot: %w", err)
	}
	buf := make([]byte, 1<<16)
	for i := 0; i < len(b.words); {
		n := min(len(buf)/8, len(b.words)-i)
		if _, err := io.ReadFull(r, buf[:8*n]); err != nil {
			return nil, fmt.Errorf("bloom snapshot at byte %d: %w", 20+8*i, err)
		}
		for j := range n {
			b.words[i+j] = binary.LittleEndian.Uint64(buf[8*j:])
		}
		i += n
	}
	return b, nil
}
