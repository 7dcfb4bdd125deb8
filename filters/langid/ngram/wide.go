package ngram

// Orders 4 and 5 (quadrigrams and fivegrams, 7.3 million keys and 18.6
// million postings in lingua-go v1.4.0) use a bucketed layout instead of the
// open-addressing slots of the lower orders. A key k (10*n bits) is hashed by
// h = k*wideMul mod 2^(10*n), a bijection; the top bits of h select a bucket,
// and the key is stored as the remaining low rbits of h (at most 32). The
// keys of bucket b are wrem[wdir[b]:wdir[b+1]], in increasing h; key i owns
// the postings wpost[off[i]:off[i+1]], each the language in its low 7 bits and
// an index into vals (the distinct log-probabilities) above, sorted by
// language. No slot is empty, and a posting takes 4 bytes.

const (
	wideMul      = 0x9E3779B97F4A7C15 // odd, so k -> k*wideMul mod 2^m is a bijection
	postLangBits = 7
	groupBits    = 12 // build: postings are grouped by the top bits of h
	keysPerBkt   = 4  // about this many keys per bucket
)

// findWide returns the key index of k in an order-4 or order-5 table, or -1.
func (t *table) findWide(k uint64) int {
	h := k * wideMul & (1<<t.hbits - 1)
	r := uint32(h & (1<<t.rbits - 1))
	b := h >> t.rbits
	for i, end := t.wdir[b], t.wdir[b+1]; i < end; i++ {
		if t.wrem[i] == r {
			return int(i)
		}
	}
	return -1
}
