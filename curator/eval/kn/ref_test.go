package kn

import (
	"math"
)

// refModel is the brute-force reference: plain maps keyed by the n-gram itself,
// every quantity computed straight from the formulas of the package
// documentation, with none of the trie, sorting or state of Model.
type refModel struct {
	N, vocab int
	adj      []map[refGram]int    // adj[n][g]: count of n-gram g at order n
	total    []map[refGram]int    // total[n][h]: c(h .) at order n
	nk       []map[refGram][4]int // nk[n][h][k]: N_k(h .), k = 1, 2, 3+
	disc     [][4]float64         // disc[n] = [0, D1, D2, D3+]
}

const (
	refBOS     = -1
	refUnknown = -2
	refNone    = -3 // the unused tail of a refGram
)

// refGram is an n-gram of up to MaxOrder symbols, refNone after its end.
type refGram [MaxOrder]int

func refKey(g []int) refGram {
	var k refGram
	for i := range k {
		k[i] = refNone
	}
	copy(k[:], g)
	return k
}

func refSplit(k refGram) []int {
	var g []int
	for _, x := range k {
		if x == refNone {
			break
		}
		g = append(g, x)
	}
	return g
}

func newRef(N, vocab int, seqs [][]uint32) *refModel {
	r := &refModel{N: N, vocab: vocab}
	raw := make([]map[refGram]int, N+2)
	for n := range raw {
		raw[n] = map[refGram]int{}
	}
	for _, s := range seqs {
		padded := []int{refBOS}
		for _, x := range s {
			padded = append(padded, int(x))
		}
		padded = append(padded, vocab) // EOS
		// Every n-gram (n <= N) that ends at a token or EOS and fits in the padded sequence.
		for i := 1; i < len(padded); i++ {
			for n := 1; n <= N && n <= i+1; n++ {
				raw[n][refKey(padded[i-n+1:i+1])]++
			}
		}
	}
	// Continuation counts: distinct left extensions.
	cont := make([]map[refGram]int, N+1)
	for n := 1; n < N; n++ {
		cont[n] = map[refGram]int{}
		for k := range raw[n+1] {
			g := refSplit(k)
			cont[n][refKey(g[1:])]++
		}
	}
	r.adj = make([]map[refGram]int, N+1)
	for n := 1; n <= N; n++ {
		r.adj[n] = map[refGram]int{}
		for k, c := range raw[n] {
			g := refSplit(k)
			if n == N || g[0] == refBOS {
				r.adj[n][k] = c
			} else {
				r.adj[n][k] = cont[n][k]
			}
		}
	}
	// Discounts from counts-of-counts.
	r.disc = make([][4]float64, N+1)
	for n := 1; n <= N; n++ {
		var cc [5]int
		for _, c := range r.adj[n] {
			if c >= 1 && c <= 4 {
				cc[c]++
			}
		}
		r.disc[n] = refDiscounts(cc)
	}
	// Context totals and N_k.
	r.total = make([]map[refGram]int, N+1)
	r.nk = make([]map[refGram][4]int, N+1)
	for n := 1; n <= N; n++ {
		r.total[n] = map[refGram]int{}
		r.nk[n] = map[refGram][4]int{}
		for k, c := range r.adj[n] {
			g := refSplit(k)
			h := refKey(g[:n-1])
			r.total[n][h] += c
			e := r.nk[n][h]
			e[min(c, 3)]++
			r.nk[n][h] = e
		}
	}
	return r
}

func refDiscounts(cc [5]int) [4]float64 {
	fallback := [4]float64{0, 0.5, 1, 1.5}
	if cc[1] == 0 || cc[2] == 0 || cc[3] == 0 {
		return fallback
	}
	y := float64(cc[1]) / float64(cc[1]+2*cc[2])
	var d [4]float64
	for k := 1; k <= 3; k++ {
		d[k] = float64(k) - float64(k+1)*y*float64(cc[k+1])/float64(cc[k])
		if d[k] <= 0 || d[k] > float64(k) || math.IsNaN(d[k]) {
			return fallback
		}
	}
	return d
}

// D is the discount of count c at order n.
func (r *refModel) D(n, c int) float64 {
	if c == 0 {
		return 0
	}
	return r.disc[n][min(c, 3)]
}

func (r *refModel) gamma(n int, h refGram) float64 {
	e := r.nk[n][h]
	d := r.disc[n]
	return (d[1]*float64(e[1]) + d[2]*float64(e[2]) + d[3]*float64(e[3])) / float64(r.total[n][h])
}

// p returns P_n(w | h), h holding n-1 symbols.
func (r *refModel) p(n int, h []int, w int) float64 {
	V := float64(r.vocab + 1)
	if n == 1 {
		tot := r.total[1][refKey(nil)]
		if tot == 0 {
			return 1 / V
		}
		c := r.adj[1][refKey([]int{w})]
		return math.Max(float64(c)-r.D(1, c), 0)/float64(tot) + r.gamma(1, refKey(nil))/V
	}
	lower := r.p(n-1, h[1:], w)
	hk := refKey(h)
	tot := r.total[n][hk]
	if tot == 0 {
		return lower
	}
	hw := append(append([]int{}, h...), w)
	c := r.adj[n][refKey(hw)]
	return math.Max(float64(c)-r.D(n, c), 0)/float64(tot) + r.gamma(n, hk)*lower
}

// prob is Model.Prob's contract: the last N-1 ids of context, or BOS and the
// whole context when it is shorter.
func (r *refModel) prob(context []uint32, w uint32) float64 {
	if int(w) > r.vocab {
		return 0
	}
	var h []int
	if len(context) < r.N-1 {
		h = append(h, refBOS)
	} else {
		context = context[len(context)-(r.N-1):]
	}
	for _, x := range context {
		if int(x) > r.vocab {
			h = append(h, refUnknown)
		} else {
			h = append(h, int(x))
		}
	}
	return r.p(len(h)+1, h, int(w))
}
