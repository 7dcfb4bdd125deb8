package dedup

import (
	"encoding/binary"
	"math/bits"
)

// The hash primitives of minhash_dedup: XXH64 (datatrove's default shingle
// hash, HashConfig(precision=64, hash_fc="xxhash") → xxhash.xxh64_intdigest,
// seed 0) and the Mersenne Twister MT19937 that numpy's legacy
// np.random.RandomState(seed) draws the permutations a·h+b mod p from.

const (
	xxPrime1 uint64 = 0x9E3779B185EBCA87
	xxPrime2 uint64 = 0xC2B2AE3D27D4EB4F
	xxPrime3 uint64 = 0x165667B19E3779F9
	xxPrime4 uint64 = 0x85EBCA77C2B2AE63
	xxPrime5 uint64 = 0x27D4EB2F165667C5
)

func xxRound(acc, in uint64) uint64 {
	acc += in * xxPrime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * xxPrime1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxPrime1 + xxPrime4
}

// XXH64 is the 64-bit xxHash of b with the given seed (xxhash 0.8's XXH64).
func XXH64(b []byte, seed uint64) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		v1 := seed + xxPrime1 + xxPrime2
		v2 := seed + xxPrime2
		v3 := seed
		v4 := seed - xxPrime1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = seed + xxPrime5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*xxPrime1 + xxPrime4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxPrime1
		h = bits.RotateLeft64(h, 23)*xxPrime2 + xxPrime3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxPrime5
		h = bits.RotateLeft64(h, 11) * xxPrime1
	}
	h ^= h >> 33
	h *= xxPrime2
	h ^= h >> 29
	h *= xxPrime3
	h ^= h >> 32
	return h
}

// mt19937 is the Mersenne Twister as numpy's legacy RandomState seeds it
// from an integer (init_genrand) and draws 32 bits from it.
type mt19937 struct {
	key [624]uint32
	pos int
}

func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{pos: 624}
	m.key[0] = seed
	for i := 1; i < 624; i++ {
		p := m.key[i-1]
		m.key[i] = 1812433253*(p^(p>>30)) + uint32(i)
	}
	return m
}

func (m *mt19937) gen() {
	const upper, lower, matrixA = 0x80000000, 0x7fffffff, 0x9908b0df
	for i := 0; i < 624; i++ {
		y := m.key[i]&upper | m.key[(i+1)%624]&lower
		v := m.key[(i+397)%624] ^ y>>1
		if y&1 != 0 {
			v ^= matrixA
		}
		m.key[i] = v
	}
	m.pos = 0
}

// next32 is genrand_int32.
func (m *mt19937) next32() uint32 {
	if m.pos == 624 {
		m.gen()
	}
	y := m.key[m.pos]
	m.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// next64 is numpy's mt19937_next64: the first draw is the high word (as in
// numpy's randomkit rk_uint64 it replaced).
func (m *mt19937) next64() uint64 {
	hi := uint64(m.next32())
	return hi<<32 | uint64(m.next32())
}

// randint is numpy's legacy RandomState.randint(low, high, dtype=uint64)
// for high-low-1 >= 2^32: masked rejection sampling of 64-bit draws
// (random_bounded_uint64_fill with use_masked, bounded_masked_uint64).
func (m *mt19937) randint(low, high uint64) uint64 {
	rng := high - 1 - low
	mask := rng
	for s := uint(1); s < 64; s <<= 1 {
		mask |= mask >> s
	}
	for {
		if v := m.next64() & mask; v <= rng {
			return low + v
		}
	}
}

// mersenne61 is datatrove's _mersenne_prime, 2^61-1.
const mersenne61 = 1<<61 - 1

// mod61 is x mod 2^61-1, for any 64-bit x.
func mod61(x uint64) uint64 {
	x = x&mersenne61 + x>>61
	if x >= mersenne61 {
		x -= mersenne61
	}
	return x
}

// permutations returns datatrove's MinhashDedupSignature.parameters: with
// gen = RandomState(seed), a = gen.randint(1, p, size=n) then
// b = gen.randint(0, p, size=n), p = 2^61-1.
func permutations(seed uint32, n int) (a, b []uint64) {
	m := newMT19937(seed)
	a, b = make([]uint64, n), make([]uint64, n)
	for i := range a {
		a[i] = m.randint(1, mersenne61)
	}
	for i := range b {
		b[i] = m.randint(0, mersenne61)
	}
	return a, b
}
