package kn

import (
	"math"
	"testing"
)

// TestHandComputed checks an order-3 model of five tiny sequences against
// probabilities worked out on paper from the package documentation.
//
// Words a=0 b=1 c=2 d=3 e=4 (e never occurs), vocab = 5, EOS </s> = 5, so
// V = vocab+1 = 6 symbols are predicted. Sequences, each after one <s>:
//
//	S1 <s> a b c </s>    S2 <s> a b d </s>    S3 <s> b c </s>    S4 <s> c </s>    S5 <s> d c </s>
//
// 4+4+3+2+3 = 16 tokens (EOS included).
//
// Order 3 (raw counts of the trigrams that fit): <s>ab 2, bc</s> 2; count 1: abc,
// abd, bd</s>, <s>bc, <s>c</s>, <s>dc, dc</s>. n1 = 7, n2 = 2, n3 = 0: degenerate,
// fallback D = 0.5, 1, 1.5.
//
// Order 2: the bigrams that begin with <s> keep raw counts: <s>a 2, <s>b 1, <s>c 1,
// <s>d 1. The others get the number of distinct left extensions among the
// trigrams: ab 1 {<s>}, bc 2 {a, <s>}, c</s> 3 {b, <s>, d}, bd 1 {a}, d</s> 1 {b},
// dc 1 {<s>}. n1 = 7, n2 = 2, n3 = 1, n4 = 0: Y = 7/11, D1 = 1 - 2(7/11)(2/7) = 7/11,
// D2 = 2 - 3(7/11)(1/2) = 23/22, D3 = 3 - 4(7/11)(0/1) = 3 (valid: 0 < D3 <= 3).
//
// Order 1: distinct left neighbours among the bigrams: a 1 {<s>}, b 2 {a, <s>},
// c 3 {b, <s>, d}, d 2 {b, <s>}, </s> 2 {c, d}, e 0. n1 = 1, n2 = 3, n3 = 1, n4 = 0:
// Y = 1/7, D1 = 1 - 2(1/7)(3/1) = 1/7, D2 = 2 - 3(1/7)(1/3) = 13/7, D3 = 3.
// c(.) = 10, gamma() = (1/7 + 3(13/7) + 3)/10 = 61/70, and gamma()/V = 61/420:
//
//	P1(a) = (1 - 1/7)/10 + 61/420 = 97/420    P1(b) = P1(d) = P1(</s>) = (2 - 13/7)/10 + 61/420 = 67/420
//	P1(c) = (3 - 3)/10 + 61/420 = 61/420      P1(e) = 61/420            (sum 420/420)
//
// Order-2 contexts (children's counts -> total, gamma with D = 7/11, 23/22, 3):
// <s>: a2 b1 c1 d1 -> 5, (3(7/11) + 23/22)/5 = 13/22;  a: b1 -> 1, 7/11;
// b: c2 d1 -> 3, (7/11 + 23/22)/3 = 37/66;  c: </s>3 -> 3, 3/3 = 1;  d: c1 </s>1 -> 2, 7/11.
// Order-3 contexts (D = 0.5, 1, 1.5): <s>a: b2 -> 2, 1/2;  ab: c1 d1 -> 2, 1/2;
// bc: </s>2 -> 2, 1/2;  <s>d: c1 -> 1, 1/2;  dc: </s>1 -> 1, 1/2.
//
//	P(a | start):   context <s> alone: P2(a|<s>) = (2 - 23/22)/5 + (13/22)(97/420) = 55/168
//	P(b | start a): P2(b|a) = (1 - 7/11)/1 + (7/11)(67/420) = 307/660
//	                P3(b|<s>a) = (2 - 1)/2 + (1/2)(307/660) = 967/1320
//	P(</s> | b c):  P2(</s>|c) = (3 - 3)/3 + 1(67/420) = 67/420
//	                P3 = (2 - 1)/2 + (1/2)(67/420) = 487/840
//	P(e | a b):     P2(e|b) = (37/66)(61/420) = 2257/27720;  P3 = (1/2)(2257/27720) = 2257/55440
//	P(d | a b):     P2(d|b) = (1 - 7/11)/3 + (37/66)(67/420) = 5839/27720
//	                P3 = (1 - 0.5)/2 + (1/2)(5839/27720) = 19699/55440
//	P(c | start e): contexts <s>e and e unseen: P1(c) = 61/420
//	Bits(d c) = -log2 P(d|start) - log2 P(c|<s>d) - log2 P(</s>|dc), with
//	  P2(d|<s>) = (1 - 7/11)/5 + (13/22)(67/420) = 1543/9240
//	  P2(c|d) = (1 - 7/11)/2 + (7/11)(61/420) = 181/660,  P3(c|<s>d) = 1/2 + 181/1320 = 841/1320
//	  P3(</s>|dc) = (1 - 0.5)/1 + (1/2)(67/420) = 487/840
func TestHandComputed(t *testing.T) {
	const a, b, c, d, e, eos = 0, 1, 2, 3, 4, 5
	m := build(t, 3, 5, [][]uint32{{a, b, c}, {a, b, d}, {b, c}, {c}, {d, c}})
	if m.Tokens() != 16 {
		t.Errorf("Tokens = %d, want 16", m.Tokens())
	}
	wantDisc := [][4]float64{1: {1.0 / 7, 13.0 / 7, 3}, 2: {7.0 / 11, 23.0 / 22, 3}, 3: {0.5, 1, 1.5}}
	wantFB := []bool{1: false, 2: false, 3: true}
	for n := 1; n <= 3; n++ {
		d1, d2, d3, fb := m.Discounts(n)
		got := [4]float64{d1, d2, d3}
		for k := range 3 {
			if math.Abs(got[k]-wantDisc[n][k]) > 1e-15 {
				t.Errorf("order %d: discounts %v, want %v", n, got, wantDisc[n])
			}
		}
		if fb != wantFB[n] {
			t.Errorf("order %d: fallback %v, want %v", n, fb, wantFB[n])
		}
	}
	probs := []struct {
		ctx  []uint32
		w    uint32
		want float64
	}{
		{nil, a, 55.0 / 168},
		{[]uint32{a}, b, 967.0 / 1320},
		{[]uint32{a, b, c}, eos, 487.0 / 840},
		{[]uint32{a, b}, e, 2257.0 / 55440},
		{[]uint32{c, a, b}, d, 19699.0 / 55440},
		{[]uint32{e}, c, 61.0 / 420},
		{[]uint32{e, e, e}, c, 61.0 / 420},
		{nil, d, 1543.0 / 9240},
		{[]uint32{d}, c, 841.0 / 1320},
		{[]uint32{d, c}, eos, 487.0 / 840},
	}
	for _, p := range probs {
		if got := m.Prob(p.ctx, p.w); math.Abs(got-p.want) > 1e-15 {
			t.Errorf("P(%d | %v) = %.17g, want %.17g", p.w, p.ctx, got, p.want)
		}
	}
	wantBits := -math.Log2(1543.0/9240) - math.Log2(841.0/1320) - math.Log2(487.0/840)
	if got := m.Bits([]uint32{d, c}); math.Abs(got-wantBits) > 1e-13 {
		t.Errorf("Bits(d c) = %.17g, want %.17g", got, wantBits)
	}
}
