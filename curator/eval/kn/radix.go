package kn

const (
	radixBits = 11
	radixSize = 1 << radixBits
)

// sortPairs sorts keys in ascending order, moving vals along, with a stable LSD
// radix sort on 11-bit digits; tmpK and tmpV are scratch space of the same length.
// It returns the sorted pairs, which are either (keys, vals) or (tmpK, tmpV).
func sortPairs(keys []uint64, vals []uint32, tmpK []uint64, tmpV []uint32) ([]uint64, []uint32) {
	var maxKey uint64
	for _, k := range keys {
		maxKey |= k
	}
	digits := 0
	for maxKey>>(radixBits*digits) != 0 {
		digits++
	}
	if digits == 0 || len(keys) < 2 {
		return keys, vals
	}
	hist := make([][radixSize]int, digits)
	for _, k := range keys {
		for d := range hist {
			hist[d][(k>>(radixBits*d))&(radixSize-1)]++
		}
	}
	n := len(keys)
	for d := range hist {
		h := &hist[d]
		if h[(keys[0]>>(radixBits*d))&(radixSize-1)] == n {
			continue // every key has the same digit
		}
		sum := 0
		for i := range h {
			h[i], sum = sum, sum+h[i]
		}
		shift := uint(radixBits * d)
		for i, k := range keys {
			b := (k >> shift) & (radixSize - 1)
			tmpK[h[b]] = k
			tmpV[h[b]] = vals[i]
			h[b]++
		}
		keys, tmpK = tmpK, keys
		vals, tmpV = tmpV, vals
	}
	return keys, vals
}
