package dedup

import (
	"fmt"
	"math"
)

// Plan is the geometry of a bloom filter: its size and number of positions.
type Plan struct {
	// Bytes is the size of the bit array (a multiple of 8).
	Bytes uint64
	// K is the number of bit positions per shingle.
	K int
	// Expected is the number of distinct n-grams the plan was made for.
	Expected uint64
	// FP is the false-positive rate DCLM's formula gives for Expected.
	FP float64
}

// BytesPerNgram returns Bytes / Expected.
func (p Plan) BytesPerNgram() float64 { return float64(p.Bytes) / float64(p.Expected) }

// String describes the plan for people.
func (p Plan) String() string {
	return fmt.Sprintf("bloom filter %d bytes (%.2f GiB, %.3f bytes per n-gram), k=%d, fp %.4g for %d n-grams",
		p.Bytes, float64(p.Bytes)/(1<<30), p.BytesPerNgram(), p.K, p.FP, p.Expected)
}

// OptimalK is DCLM's optimal_number_of_hashers: ceil((m/n) ln 2) for a
// filter of bytes bytes and n expected elements.
func OptimalK(bytes, n uint64) int {
	return int(math.Ceil(float64(bytes*8) / float64(n) * math.Ln2))
}

// FalsePositive is DCLM's prob_of_false_positive: (1 - (1 - 1/m)^(k n))^k
// for m = 8 bytes bits, computed in float64 as DCLM does.
func FalsePositive(bytes, n uint64, k int) float64 {
	m := float64(bytes * 8)
	return math.Pow(1-math.Pow(1-1/m, float64(k)*float64(n)), float64(k))
}

// PlanBloom returns the smallest filter (in 8-byte words) whose DCLM false
// positive rate for expected n-grams, with k = OptimalK, is at most fp: a
// binary search as DCLM's compute_bloom_size, without its 90%-of-RAM cap
// (the caller compares Bytes with the memory it may use and refuses to
// start) and without its off-by-one (DCLM returns hi after setting
// hi = mid-1 on success, which can be one byte short of the target).
func PlanBloom(expected uint64, fp float64) (Plan, error) {
	if expected == 0 {
		return Plan{}, fmt.Errorf("bloom plan: expected_ngrams must be positive")
	}
	if !(fp > 0 && fp < 1) {
		return Plan{}, fmt.Errorf("bloom plan: fp_rate %v is not in (0, 1)", fp)
	}
	ok := func(words uint64) bool {
		b := words * 8
		k := OptimalK(b, expected)
		return k <= 64 && FalsePositive(b, expected, k) <= fp
	}
	hi := max(uint64(1), expected/8)
	for !ok(hi) {
		if hi > 1<<52 {
			return Plan{}, fmt.Errorf("bloom plan: no filter reaches fp %v for %d n-grams", fp, expected)
		}
		hi *= 2
	}
	lo := uint64(1) // ok(lo-1) is false or lo-1 == 0
	for lo < hi {
		mid := lo + (hi-lo)/2
		if ok(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	b := lo * 8
	k := OptimalK(b, expected)
	return Plan{Bytes: b, K: k, Expected: expected, FP: FalsePositive(b, expected, k)}, nil
}
