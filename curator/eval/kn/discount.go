package kn

// The fallback discounts of an order whose closed-form estimate is degenerate
// (lmplz's --discount_fallback defaults). See the package documentation.
const (
	FallbackD1  = 0.5 // FallbackD1 is D_1 for count 1.
	FallbackD2  = 1.0 // FallbackD2 is D_2 for count 2.
	FallbackD3p = 1.5 // FallbackD3p is D_3+ for counts of 3 or more.
)

// estimateDiscounts returns [0, D_1, D_2, D_3+] from the counts-of-counts
// nk[k] = number of n-grams of one order with count k (k = 1..4), and whether the
// fallback was used because the estimate is degenerate.
func estimateDiscounts(nk [5]uint64) (d [4]float64, fallback bool) {
	fb := [4]float64{0, FallbackD1, FallbackD2, FallbackD3p}
	if nk[1] == 0 || nk[2] == 0 || nk[3] == 0 {
		return fb, true
	}
	y := float64(nk[1]) / (float64(nk[1]) + 2*float64(nk[2]))
	for k := 1; k <= 3; k++ {
		d[k] = float64(k) - float64(k+1)*y*float64(nk[k+1])/float64(nk[k])
		if !(d[k] > 0 && d[k] <= float64(k)) {
			return fb, true
		}
	}
	return d, false
}

// estimate computes the discounts of every order and, for every context, its
// total count and gamma. Called once by Build.
func (m *Model) estimate() {
	N := m.order
	for n := 1; n <= N; n++ {
		var nk [5]uint64
		counts := m.levels[n].count
		if n == 1 {
			counts = counts[:m.vocab+1] // BOS is never predicted
		}
		for _, c := range counts {
			if c >= 1 && c <= 4 {
				nk[c]++
			}
		}
		m.disc[n], m.fallback[n] = estimateDiscounts(nk)
	}

	// The empty context: the unigrams 0..vocab.
	tot, g := contextStats(m.levels[1].count[:m.vocab+1], &m.disc[1])
	m.rootTotal, m.rootGamma = tot, g

	for n := 1; n < N; n++ {
		lv := &m.levels[n]
		children := m.levels[n+1].count
		lv.nodes = make([]node, len(lv.count)+1)
		for i, c := range lv.count {
			tot, g := contextStats(children[lv.child[i]:lv.child[i+1]], &m.disc[n+1])
			lv.nodes[i] = node{count: c, child: lv.child[i], total: tot, gamma: g}
		}
		lv.nodes[len(lv.count)].child = lv.child[len(lv.count)]
		lv.count, lv.child = nil, nil // level n-1, done, was the last to read them
	}
}

// contextStats returns c(h .) and gamma(h) of a context whose children have the
// given counts, with the discounts d of the children's order.
func contextStats(children []uint32, d *[4]float64) (uint32, float64) {
	var tot uint64
	var n1, n2, n3 uint64
	for _, c := range children {
		tot += uint64(c)
		switch {
		case c == 0:
		case c == 1:
			n1++
		case c == 2:
			n2++
		default:
			n3++
		}
	}
	if tot == 0 {
		return 0, 0
	}
	g := (d[1]*float64(n1) + d[2]*float64(n2) + d[3]*float64(n3)) / float64(tot)
	return uint32(tot), g
}
