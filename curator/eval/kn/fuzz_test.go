package kn

import (
	"math"
	"testing"
)

// FuzzModel trains on arbitrary small inputs and checks the model against the
// reference and the basic laws: every probability positive, sums of 1, and Bits
// equal to the sum of -log2 Prob. Input: byte 0 picks the order, byte 1 the
// vocabulary size; then 0xFF ends a sequence and any other byte is an id (mod vocab).
func FuzzModel(f *testing.F) {
	f.Add([]byte{3, 5, 0, 1, 2, 0xFF, 0, 1, 3, 0xFF, 1, 2, 0xFF, 2, 0xFF, 3, 2})
	f.Add([]byte{0, 1})
	f.Add([]byte{4, 3, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{2, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 0xFF, 1, 2, 3, 4, 5, 6})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 || len(data) > 400 {
			return
		}
		order := MinOrder + int(data[0])%(MaxOrder-MinOrder+1)
		vocab := 1 + int(data[1])%12
		var seqs [][]uint32
		cur := []uint32{}
		for _, b := range data[2:] {
			if b == 0xFF {
				seqs = append(seqs, cur)
				cur = []uint32{}
				continue
			}
			cur = append(cur, uint32(int(b)%vocab))
		}
		if len(cur) > 0 {
			seqs = append(seqs, cur)
		}
		m := build(t, order, vocab, seqs)
		r := newRef(order, vocab, seqs)
		eos := uint32(vocab)
		for si, s := range seqs {
			bits := 0.0
			for i := 0; i <= len(s); i++ {
				w := eos
				if i < len(s) {
					w = s[i]
				}
				got, want := m.Prob(s[:i], w), r.prob(s[:i], w)
				if !(got > 0) || math.Abs(got-want) > 1e-12*want {
					t.Fatalf("order %d vocab %d, sequence %d token %d: model %.17g, reference %.17g",
						order, vocab, si, i, got, want)
				}
				bits -= math.Log2(got)
			}
			if got := m.Bits(s); math.Float64bits(got) != math.Float64bits(bits) {
				t.Fatalf("sequence %d: Bits %v, sum of Prob %v", si, got, bits)
			}
			for i := 0; i <= len(s); i++ {
				if sum, minP := sumProb(m, s[:i]); math.Abs(sum-1) > 1e-12 || !(minP > 0) {
					t.Fatalf("sequence %d, context %v: sum %.17g, min %g", si, s[:i], sum, minP)
				}
			}
		}
	})
}
