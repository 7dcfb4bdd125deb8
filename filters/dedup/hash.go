package dedup

import "math/bits"

// The hash of a shingle is built in two stages.
//
// Token hash: a wyhash-style hash of the token's bytes: 8-byte
// little-endian words folded by 64x64->128-bit multiplications (mum), the
// length mixed in, with a fixed seed (TokenSeed). Distinct byte strings of
// different lengths differ in the length term, so the token boundaries are
// part of the hash (no separator bytes needed).
//
// Shingle hash: the token hashes t_0..t_{L-1} of the window combined as the
// polynomial H = sum t_j * P^(L-1-j) mod 2^64 (P odd), which slides in O(1)
// per token, then finalised with the length and murmur3's fmix64, a
// bijection that spreads every input bit over the output. With
// pseudo-random token hashes, two distinct windows collide with probability
// about 2^-64.
//
// The hash differs from DCLM's (ahash with random seeds, which change on
// every run unless a filter file is given); only the decisions matter.

const (
	// TokenSeed is the fixed seed of token hashes.
	TokenSeed uint64 = 0x9e3779b97f4a7c15
	prime1    uint64 = 0xa0761d6478bd642f
	prime2    uint64 = 0xe7037ed1a0b428db
	prime3    uint64 = 0x8ebc6af09c88c6e3
	polyP     uint64 = 0x9fb21c651e98df25 // odd multiplier of the rolling hash
)

func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// fmix64 is murmur3's 64-bit finalizer.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// HashToken returns the 64-bit hash of one token's bytes.
func HashToken(s string) uint64 {
	h := TokenSeed ^ uint64(len(s))*prime1
	for len(s) >= 8 {
		h = mum(le64(s)^prime2, h^prime3)
		s = s[8:]
	}
	if len(s) > 0 {
		var w uint64
		for i := len(s) - 1; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		h = mum(w^prime2, h^prime1)
	}
	return mum(h^prime3, prime2^uint64(len(s)))
}

// HashShingle returns the hash of the shingle made of the tokens whose
// hashes are th, in order: the value the shingler computes for that window.
func HashShingle(th []uint64) uint64 {
	var h uint64
	for _, t := range th {
		h = h*polyP + t
	}
	return finish(h, len(th))
}

func finish(poly uint64, n int) uint64 {
	return fmix64(poly ^ uint64(n)*prime3)
}

// powP returns P^n mod 2^64.
func powP(n int) uint64 {
	r := uint64(1)
	for range n {
		r *= polyP
	}
	return r
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
