package kn

import (
	"math"
)

// unknown stands for a context id above vocab: it matches no node.
const unknown = math.MaxUint32

// Model is a trained model, safe for concurrent use.
type Model struct {
	order, vocab int
	tokens       int
	disc         [MaxOrder + 1][4]float64 // disc[n] = [0, D_1, D_2, D_3+] of order n
	fallback     [MaxOrder + 1]bool
	rootTotal    uint32  // c(.) at the unigram level
	rootGamma    float64 // gamma of the empty context
	levels       []level // levels[1..order]
}

// level holds the nodes of one level of the trie (see the package documentation).
type level struct {
	tok   []uint32 // last symbol of each node; nil at level 1, where a node is its symbol
	count []uint32 // counts of the top level's n-grams (of every level while building)
	child []uint32 // while building: children of node i at the next level are child[i]:child[i+1]
	nodes []node   // levels below the order: one per node, then one closing the last children range
}

// node is a node of a level below the model's order: an n-gram, and the context
// of the next order. One struct, so that a lookup touches one cache line.
type node struct {
	count uint32  // count of the n-gram at its order
	child uint32  // first child at the next level; the children end at the next node's child
	total uint32  // c(h .)
	gamma float64 // gamma(h)
}

// Order returns the model's order.
func (m *Model) Order() int { return m.order }

// Vocab returns the vocabulary size the model was built for; EOS is this id.
func (m *Model) Vocab() int { return m.vocab }

// Tokens returns the number of training tokens counted, EOS included.
func (m *Model) Tokens() int { return m.tokens }

// Discounts returns the discounts D_1, D_2, D_3+ used at order n (1..Order) and
// whether they are the fallback values because the estimate was degenerate.
func (m *Model) Discounts(n int) (d1, d2, d3 float64, fallback bool) {
	if n < 1 || n > m.order {
		return 0, 0, 0, false
	}
	d := m.disc[n]
	return d[1], d[2], d[3], m.fallback[n]
}

// Prob returns P(w | context), context being the preceding ids (only the last
// order-1 are used; a shorter context means the start of a sequence). w may be the
// EOS id (vocab). Ids above vocab have probability 0; in the context they are
// unknown symbols, never seen.
func (m *Model) Prob(context []uint32, w uint32) float64 {
	if int64(w) > int64(m.vocab) {
		return 0
	}
	// h: the last order-1 ids, or BOS and the whole context if it is shorter.
	var buf [MaxOrder - 1]uint32
	h := buf[:0]
	if len(context) < m.order-1 {
		h = append(h, uint32(m.vocab+1))
	} else {
		context = context[len(context)-(m.order-1):]
	}
	for _, x := range context {
		if int64(x) > int64(m.vocab) {
			x = unknown
		}
		h = append(h, x)
	}
	p := m.unigram(w)
	for n := 2; n <= len(h)+1; n++ {
		node, ok := m.lookup(h[len(h)-(n-1):])
		if !ok {
			break // a longer context contains this one: unseen too
		}
		p, _, _ = m.interp(n, node, w, p)
	}
	return p
}

// Bits returns the total -log2 probability of seq followed by EOS, as a sequence
// scored from its start. It is +Inf if seq holds an id above vocab.
func (m *Model) Bits(seq []uint32) float64 {
	N := m.order
	// g[k] is the node at level k of the k symbols ending at the previous
	// position, for k = 1..have; at the start, BOS alone.
	var g, ng [MaxOrder]uint32
	g[1] = uint32(m.vocab + 1)
	have := 1
	bits := 0.0
	eos := uint32(m.vocab)
	for i := 0; i <= len(seq); i++ {
		w := eos
		if i < len(seq) {
			w = seq[i]
			if w > eos {
				return math.Inf(1)
			}
		}
		p := m.unigram(w)
		ng[1] = w
		nhave := 1
		for n := 2; n <= N && n-1 <= have; n++ {
			var d uint32
			var found bool
			p, d, found = m.interp(n, g[n-1], w, p)
			if found && nhave == n-1 && n < N {
				ng[n] = d
				nhave = n
			}
		}
		bits -= math.Log2(p)
		g, have = ng, nhave
	}
	return bits
}

// unigram returns P_1(w).
func (m *Model) unigram(w uint32) float64 {
	v := float64(m.vocab + 1)
	if m.rootTotal == 0 {
		return 1 / v
	}
	c := m.levels[1].nodes[w].count
	return (float64(c)-m.disc[1][min(c, 3)])/float64(m.rootTotal) + m.rootGamma/v
}

// interp returns P_n(w | h) given the node p of h at level n-1 and
// lower = P_{n-1}(w | h'), and the node of h w at level n if it was seen.
func (m *Model) interp(n int, p, w uint32, lower float64) (float64, uint32, bool) {
	ctx := &m.levels[n-1].nodes[p]
	if ctx.total == 0 {
		return lower, 0, false
	}
	d, ok := m.child(n, p, w)
	if !ok {
		return ctx.gamma * lower, 0, false
	}
	var c uint32
	if n == m.order {
		c = m.levels[n].count[d]
	} else {
		c = m.levels[n].nodes[d].count
	}
	return (float64(c)-m.disc[n][min(c, 3)])/float64(ctx.total) + ctx.gamma*lower, d, true
}

// child returns the node at level n whose parent is node p of level n-1 and whose
// last symbol is w.
func (m *Model) child(n int, p, w uint32) (uint32, bool) {
	below := m.levels[n-1].nodes
	lo, hi := below[p].child, below[p+1].child
	a := m.levels[n].tok[lo:hi]
	i := lowerBound(a, w)
	return lo + uint32(i), i < len(a) && a[i] == w
}

// lowerBound returns the index of the first element of the sorted a that is not
// below w (len(a) if none), with a loop the compiler turns into conditional moves.
func lowerBound(a []uint32, w uint32) int {
	base, n := 0, len(a)
	for n > 1 {
		half := n / 2
		if a[base+half-1] < w {
			base += half
		}
		n -= half
	}
	if n == 1 && a[base] < w {
		base++
	}
	return base
}

// lookup returns the node of the string s (1 to order-1 symbols).
func (m *Model) lookup(s []uint32) (uint32, bool) {
	node := s[0]
	if node == unknown {
		return 0, false
	}
	for j := 1; j < len(s); j++ {
		var ok bool
		if node, ok = m.child(j+1, node, s[j]); !ok {
			return 0, false
		}
	}
	return node, true
}
