package kn

import (
	"errors"
	"fmt"
	"math"
)

const (
	// MinOrder and MaxOrder bound the order accepted by NewBuilder.
	MinOrder = 2
	// MaxOrder is the highest order accepted by NewBuilder.
	MaxOrder = 6
	// MaxVocab is the largest vocabulary accepted by NewBuilder (level 1 of the
	// model is an array indexed by symbol).
	MaxVocab = 1 << 22
	// MaxTokens is the largest number of training tokens (EOS included) a Builder
	// accepts.
	MaxTokens = 1<<31 - 1

	noNode = math.MaxUint32 // no string of this length ends at this position
)

// Builder counts n-grams. Not safe for concurrent use.
type Builder struct {
	order, vocab int
	toks         []uint32 // every sequence, each followed by EOS
	starts       []uint32 // index in toks of each sequence's first symbol
	built        bool
}

// NewBuilder counts n-grams of the given order (2..6) over ids in [0, vocab).
func NewBuilder(order, vocab int) (*Builder, error) {
	if order < MinOrder || order > MaxOrder {
		return nil, fmt.Errorf("kn: order %d not in [%d, %d]", order, MinOrder, MaxOrder)
	}
	if vocab < 1 || vocab > MaxVocab {
		return nil, fmt.Errorf("kn: vocabulary size %d not in [1, %d]", vocab, MaxVocab)
	}
	return &Builder{order: order, vocab: vocab}, nil
}

// Add counts one sequence (a document's token ids). Ids >= vocab are an error.
// An empty sequence counts as a document made of EOS alone.
func (b *Builder) Add(seq []uint32) error {
	if b.built {
		return errors.New("kn: Add after Build")
	}
	for i, id := range seq {
		if int64(id) >= int64(b.vocab) {
			return fmt.Errorf("kn: sequence %d at token %d: id %d not below vocabulary size %d",
				len(b.starts), i, id, b.vocab)
		}
	}
	if int64(len(b.toks))+int64(len(seq))+1 > MaxTokens {
		return fmt.Errorf("kn: sequence %d: more than %d training tokens", len(b.starts), MaxTokens)
	}
	b.starts = append(b.starts, uint32(len(b.toks)))
	b.toks = append(b.toks, seq...)
	b.toks = append(b.toks, uint32(b.vocab))
	return nil
}

// Build estimates the model. The builder may not be used afterwards.
func (b *Builder) Build() (*Model, error) {
	if b.built {
		return nil, errors.New("kn: Build called twice")
	}
	b.built = true
	toks, starts := b.toks, b.starts
	b.toks, b.starts = nil, nil

	N := b.order
	m := &Model{order: N, vocab: b.vocab, tokens: len(toks)}
	m.levels = make([]level, N+1)
	stride := uint64(b.vocab) + 2 // symbols: ids, EOS = vocab, BOS = vocab+1
	bosTok := uint32(b.vocab + 1)
	m.levels[1].count = make([]uint32, stride)

	T := len(toks)
	// cur[i] is the node (at the level below the one being built) of the string
	// that ends at position i; at level 1 the node is the symbol itself. At level
	// n only the positions at least n-2 symbols into their sequence have a string
	// (the one BOS included); the others hold noNode.
	cur := make([]uint32, T)
	copy(cur, toks)
	next := make([]uint32, T)
	keys := make([]uint64, T)
	vals := make([]uint32, T)
	tmpK := make([]uint64, T)
	tmpV := make([]uint32, T)

	bosStart := bosTok // first BOS-prefixed node of the level below

	for n := 2; n <= N; n++ {
		// One key per position that has n symbols up to it: (node of the n-1
		// symbols before it, its symbol).
		k := 0
		for si, start := range starts {
			end := T
			if si+1 < len(starts) {
				end = int(starts[si+1])
			}
			first := int(start) + n - 2
			if n == 2 {
				keys[k] = uint64(bosTok)*stride + uint64(toks[start])
				vals[k] = start
				k++
				first++
			}
			for i := int(start); i < min(first, end); i++ {
				next[i] = noNode
			}
			for i := first; i < end; i++ {
				keys[k] = uint64(cur[i-1])*stride + uint64(toks[i])
				vals[k] = uint32(i)
				k++
			}
		}
		sk, sv := sortPairs(keys[:k], vals[:k], tmpK[:k], tmpV[:k])

		distinct := 0
		for j := range sk {
			if j == 0 || sk[j] != sk[j-1] {
				distinct++
			}
		}
		lv := &m.levels[n]
		below := &m.levels[n-1]
		lv.tok = make([]uint32, distinct)
		lv.count = make([]uint32, distinct)
		below.child = make([]uint32, len(below.count)+1)
		nextBOSStart := uint32(distinct)
		d := -1
		for j, key := range sk {
			parent := uint32(key / stride)
			if j == 0 || key != sk[j-1] {
				d++
				lv.tok[d] = uint32(key % stride)
				below.child[parent+1]++
				if parent >= bosStart && nextBOSStart == uint32(distinct) {
					nextBOSStart = uint32(d)
				}
			}
			next[sv[j]] = uint32(d)
			if n == N || parent >= bosStart {
				lv.count[d]++ // raw count
			}
		}
		for i := 1; i < len(below.child); i++ {
			below.child[i] += below.child[i-1]
		}
		// Continuation counts of level n-1: each distinct node of level n is one
		// more distinct left extension of its suffix, the string of n-1 symbols
		// ending at the same position (BOS-prefixed suffixes keep raw counts).
		// Done in position order: reading cur by sorted position was the slowest
		// part of Build (cache misses).
		seen := make([]uint64, (distinct+63)/64)
		for i, nd := range next {
			if nd == noNode {
				continue
			}
			if seen[nd>>6]&(1<<(nd&63)) == 0 {
				seen[nd>>6] |= 1 << (nd & 63)
				if suf := cur[i]; suf < bosStart {
					below.count[suf]++
				}
			}
		}
		bosStart = nextBOSStart
		cur, next = next, cur
	}
	// The scratch space is garbage from here on, while estimate allocates the nodes.
	toks, cur, next, keys, vals, tmpK, tmpV = nil, nil, nil, nil, nil, nil, nil
	m.estimate()
	return m, nil
}
