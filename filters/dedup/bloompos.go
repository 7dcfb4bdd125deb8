package dedup

import "math/bits"

// The bit positions of a shingle, computed as bits-and-blooms/bloom/v3
// computes them for the shingle's 8 little-endian bytes, without its
// allocations and divisions: the library's four base hashes are murmur3
// x64-128 of the 8 bytes and of the 8 bytes followed by a byte 1 (its
// sum256), position i is h[i%2] + i*h[2+((i+i%2)%4)/2] (its location), and
// the position modulo m is computed by a multiplication (fastMod). The
// equality with bloom.Locations is tested (TestPositionsMatchLibrary).

const (
	murC1 uint64 = 0x87c37b91114253d5
	murC2 uint64 = 0x4cf5ad432745937f
)

// murPad is murmur3's mixed k2 of the one-byte tail word 1 (the byte the
// library appends for its second pair of hashes).
var murPad = bits.RotateLeft64(1*murC2, 33) * murC1

// murFinish is the end of murmur3 x64-128's sum: the two lanes mixed with
// each other and fmix64.
func murFinish(a, b uint64) (uint64, uint64) {
	a += b
	b += a
	a, b = fmix64(a), fmix64(b)
	a += b
	b += a
	return a, b
}

// baseHashes8 returns the library's four base hashes of x's 8 bytes.
func baseHashes8(x uint64) [4]uint64 {
	k1 := bits.RotateLeft64(x*murC1, 31) * murC2
	h0, h1 := murFinish(k1^8, 8)
	h2, h3 := murFinish(k1^9, murPad^9)
	return [4]uint64{h0, h1, h2, h3}
}

// fastMod computes a % d for a fixed d >= 2 without a division: with
// inv = floor(2^64/d), q = floor(a*inv/2^64) is floor(a/d) or one less
// (a*inv/2^64 > a/d - a/2^64 > a/d - 1), so a - q*d is the remainder or
// the remainder plus d.
type fastMod struct {
	d, inv uint64
}

func newFastMod(d uint64) fastMod {
	return fastMod{d: d, inv: ^uint64(0) / d} // floor((2^64-1)/d) = floor(2^64/d) unless d is a power of 2
}

// mod returns a % f.d.
func (f *fastMod) mod(a uint64) uint64 {
	q, _ := bits.Mul64(a, f.inv)
	r := a - q*f.d
	if r >= f.d {
		r -= f.d
	}
	return r
}

// positions appends the k bit positions of shingle x to dst.
func (b *Bloom) positions(x uint64, dst []uint64) []uint64 {
	if b.blocks != 0 {
		return b.blockedPositions(x, dst)
	}
	h := baseHashes8(x)
	for i := range uint64(b.k) {
		dst = append(dst, b.mod.mod(h[i&1]+i*h[2+((i+i&1)&3)>>1]))
	}
	return dst
}
