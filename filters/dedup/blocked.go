package dedup

import (
	"fmt"
	"math"
	"math/bits"
)

// A blocked filter keeps all k bits of a shingle in one 512-bit block (one
// 64-byte cache line): a query or insertion in a filter larger than the
// caches costs one cache miss instead of up to k. Its false-positive rate
// is higher than a standard filter's of the same size (blocks fill
// unevenly), so PlanBlocked sizes it by the blocked formula: fp 0.01 takes
// about 1.24 bytes per n-gram (k = 6) instead of 1.199. The bits live in the
// same bits-and-blooms/bloom/v3 bit array as a standard filter's, but the
// positions are this package's: the library's own Test and Add do not apply
// to a blocked filter. The block of shingle x is chosen by the first of the
// library's base hashes of x (multiplied into [0, blocks), no division),
// the bits in it by 9-bit fields of the others (blockOf).

const blockBits = 512

// PlanBlocked returns the smallest blocked filter (in 64-byte blocks)
// whose false-positive rate for expected n-grams is at most fp, with the
// best k (BlockedFalsePositive).
func PlanBlocked(expected uint64, fp float64) (Plan, error) {
	if expected == 0 {
		return Plan{}, fmt.Errorf("blocked bloom plan: expected_ngrams must be positive")
	}
	if !(fp > 0 && fp < 1) {
		return Plan{}, fmt.Errorf("blocked bloom plan: fp_rate %v is not in (0, 1)", fp)
	}
	best := func(blocks uint64) (int, float64) {
		k, r := 1, 1.0
		for kk := 1; kk <= 16; kk++ {
			if f := BlockedFalsePositive(blocks*64, expected, kk); f < r {
				k, r = kk, f
			}
		}
		return k, r
	}
	ok := func(blocks uint64) bool { _, r := best(blocks); return r <= fp }
	hi := max(uint64(1), expected/64)
	for !ok(hi) {
		if hi > 1<<49 {
			return Plan{}, fmt.Errorf("blocked bloom plan: no filter reaches fp %v for %d n-grams", fp, expected)
		}
		hi *= 2
	}
	lo := uint64(1)
	for lo < hi {
		mid := lo + (hi-lo)/2
		if ok(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	k, r := best(lo)
	return Plan{Bytes: lo * 64, K: k, Expected: expected, FP: r}, nil
}

// BlockedFalsePositive is the false-positive rate of a blocked filter of
// bytes bytes holding n n-grams with k bits each, computed exactly (not by
// the usual approximation with the expected fill, which is about 1% low
// for 512-bit blocks): the number x of n-grams in a block is Poisson with
// mean n/blocks; a query's k bits (drawn with replacement) fall on d
// distinct positions with probability P(d), and those d positions are all
// among the bits set by k x draws with probability
// sum_j (-1)^j C(d,j) (1 - j/512)^(k x).
func BlockedFalsePositive(bytes, n uint64, k int) float64 {
	blocks := float64(bytes / 64)
	if blocks == 0 || k < 1 {
		return 1
	}
	const nb = blockBits
	// pd[d]: probability that k draws hit d distinct positions.
	pd := make([]float64, k+1)
	pd[0] = 1
	for t := 1; t <= k; t++ {
		for d := t; d >= 1; d-- {
			pd[d] = pd[d]*float64(d)/nb + pd[d-1]*float64(nb-d+1)/nb
		}
		pd[0] = 0
	}
	lambda := float64(n) / blocks
	hi := int(lambda + 12*math.Sqrt(lambda) + 30)
	fp := 0.0
	for x := 0; x <= hi; x++ {
		lg, _ := math.Lgamma(float64(x) + 1)
		px := math.Exp(-lambda + float64(x)*math.Log(lambda) - lg)
		if lambda == 0 {
			px = 0
			if x == 0 {
				px = 1
			}
		}
		all := 0.0 // P(all query bits set | x)
		for d := 1; d <= k; d++ {
			sum, c := 0.0, 1.0
			for j := 0; j <= d; j++ {
				term := c * math.Pow(1-float64(j)/nb, float64(k*x))
				if j%2 == 1 {
					term = -term
				}
				sum += term
				c = c * float64(d-j) / float64(j+1)
			}
			all += pd[d] * sum
		}
		fp += px * all
	}
	return fp
}

// NewBlockedBloom returns an empty blocked filter of the planned size
// (PlanBlocked; Bytes a multiple of 64).
func NewBlockedBloom(p Plan) (*Bloom, error) {
	if p.Bytes == 0 || p.Bytes%64 != 0 || p.K < 1 || p.K > 28 {
		return nil, fmt.Errorf("blocked bloom: bad plan %d bytes, k=%d", p.Bytes, p.K)
	}
	b := newBloomOver(newWords(p.Bytes/8), p.K)
	b.blocks = p.Bytes / 64
	return b, nil
}

// Blocked reports whether b is a blocked filter (NewBlockedBloom).
func (b *Bloom) Blocked() bool { return b.blocks != 0 }

// blockOf returns the block of shingle x (h0 of the library's base hashes
// multiplied into [0, blocks)) and the words whose 9-bit fields are its
// bits in the block: h2, h3 and h1, each remixed with h0 by fmix64, seven
// fields from each. Without the remix the bits were slightly tied to the
// block: the measured false-positive rate was 0.8% above the formula's
// (0.01008 over 12 million queries; 0.01001 over 24 million with it).
func (b *Bloom) blockOf(x uint64) (blk uint64, g [3]uint64) {
	h := baseHashes8(x)
	blk, _ = bits.Mul64(h[0], b.blocks)
	s := h[0] >> 32
	g[0] = fmix64(h[2] ^ s)
	if b.k > 7 {
		g[1], g[2] = fmix64(h[3]^s), fmix64(h[1]^s)
	}
	return blk, g
}

// blockedPositions appends the k bit positions of shingle x in a blocked
// filter.
func (b *Bloom) blockedPositions(x uint64, dst []uint64) []uint64 {
	blk, g := b.blockOf(x)
	for i := range b.k {
		dst = append(dst, blk*blockBits+(g[i/7]>>(9*(i%7)))&(blockBits-1))
	}
	return dst
}

// blockedContains reports whether all k bits of x are set in a blocked
// filter.
func (b *Bloom) blockedContains(x uint64) bool {
	blk, g := b.blockOf(x)
	w := b.words[blk*8 : blk*8+8 : blk*8+8]
	for i := range b.k {
		p := (g[i/7] >> (9 * (i % 7))) & (blockBits - 1)
		if w[p>>6]&(1<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

// blockedAdd sets the k bits of x in a blocked filter.
func (b *Bloom) blockedAdd(x uint64) {
	blk, g := b.blockOf(x)
	w := b.words[blk*8 : blk*8+8 : blk*8+8]
	for i := range b.k {
		p := (g[i/7] >> (9 * (i % 7))) & (blockBits - 1)
		w[p>>6] |= 1 << (p & 63)
	}
}
