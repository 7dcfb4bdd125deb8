package kn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// sumProb returns the sum of P(w | ctx) over the whole vocabulary plus EOS, and
// the smallest of those probabilities.
func sumProb(m *Model, ctx []uint32) (sum, minP float64) {
	minP = math.Inf(1)
	for w := 0; w <= m.Vocab(); w++ {
		p := m.Prob(ctx, uint32(w))
		sum += p
		minP = math.Min(minP, p)
	}
	return sum, minP
}

// TestSumsToOne: on real text, P(. | ctx) sums to 1 over vocab+1 symbols for seen,
// unseen and start-of-sequence contexts, at every order.
func TestSumsToOne(t *testing.T) {
	docs, words := sampleLines(t)
	train := flatten(docs[:12])
	vocab := len(words) + 50 // ids never seen in training too
	line := docs[3][5]       // a training line of more than 6 words
	if len(line) < 7 {
		t.Fatalf("line too short: %d", len(line))
	}
	unseen := uint32(vocab - 1)
	eos := uint32(vocab)
	heldOut := docs[15][2]
	contexts := map[string][]uint32{
		"start":                {},
		"start+1":              line[:1],
		"start+2":              line[:2],
		"seen mid-line":        line[1:6],
		"seen, long":           line,
		"held-out":             heldOut[:min(8, len(heldOut))],
		"unseen ids":           {unseen, unseen - 1, unseen - 2, unseen - 3, unseen - 4},
		"seen then unseen":     {line[0], line[1], line[2], unseen},
		"after EOS":            {line[0], line[1], eos},
		"id above vocab":       {line[0], uint32(vocab + 1), line[1]},
		"unseen then seen end": {unseen, line[0], line[1]},
	}
	for order := 2; order <= MaxOrder; order++ {
		m := build(t, order, vocab, train)
		for name, ctx := range contexts {
			sum, minP := sumProb(m, ctx)
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("order %d, context %q: sum %.15f", order, name, sum)
			}
			if !(minP > 0) {
				t.Errorf("order %d, context %q: a probability is %g", order, name, minP)
			}
		}
		// The model learnt something: a seen continuation beats the unigram level.
		if p, q := m.Prob(line[:3], line[3]), m.Prob([]uint32{unseen}, line[3]); p <= q {
			t.Errorf("order %d: P(seen continuation) %g <= P(after unseen) %g", order, p, q)
		}
	}
	// The GPT-2 vocabulary size of the evaluation suite: 50,258 symbols.
	m := build(t, 5, 50257, train)
	for _, ctx := range [][]uint32{{}, line[:1], line[:4], line[2:6], {50256, 50255}} {
		if sum, minP := sumProb(m, ctx); math.Abs(sum-1) > 1e-9 || !(minP > 0) {
			t.Errorf("vocab 50257, context %v: sum %.15f, min %g", ctx, sum, minP)
		}
	}
}

// TestMatchesReference: every probability of held-out and training text agrees
// with the brute-force reference to 1e-12, for orders 2 to 6.
func TestMatchesReference(t *testing.T) {
	docs, words := sampleLines(t)
	train := flatten(docs[:6])
	eval := append(append([][]uint32{}, docs[16]...), docs[2][:15]...) // held-out, then seen
	vocab := len(words) + 3
	for order := 2; order <= MaxOrder; order++ {
		t.Run(fmt.Sprintf("order%d", order), func(t *testing.T) {
			m := build(t, order, vocab, train)
			r := newRef(order, vocab, train)
			for n := 1; n <= order; n++ {
				d1, d2, d3, _ := m.Discounts(n)
				if got, want := [4]float64{0, d1, d2, d3}, r.disc[n]; got != want {
					t.Errorf("order %d discounts: got %v, reference %v", n, got, want)
				}
			}
			checked, deep := 0, 0
			for si, s := range eval {
				refBits := 0.0
				for i := 0; i <= len(s); i++ {
					w := uint32(vocab)
					if i < len(s) {
						w = s[i]
					}
					got, want := m.Prob(s[:i], w), r.prob(s[:i], w)
					if math.Abs(got-want) > 1e-12*math.Max(got, want) || !(got > 0) {
						t.Fatalf("sequence %d token %d: model %.17g, reference %.17g", si, i, got, want)
					}
					refBits -= math.Log2(want)
					checked++
					if i >= order-1 && r.total[order][refKey(toInts(s[i-order+1:i]))] > 0 {
						deep++ // the full context was seen in training
					}
				}
				if got := m.Bits(s); math.Abs(got-refBits) > 1e-12*refBits {
					t.Fatalf("sequence %d: Bits %.17g, reference %.17g", si, got, refBits)
				}
			}
			if deep < 20 {
				t.Fatalf("only %d of %d positions had a seen full context", deep, checked)
			}
			t.Logf("%d probabilities agree, %d with a seen %d-symbol context", checked, deep, order-1)
		})
	}
}

func toInts(s []uint32) []int {
	out := make([]int, len(s))
	for i, x := range s {
		out[i] = int(x)
	}
	return out
}

// TestBitsIsSumOfProb: Bits is exactly the sum of -log2 Prob, to the last bit.
func TestBitsIsSumOfProb(t *testing.T) {
	docs, words := sampleLines(t)
	m := build(t, 5, len(words), flatten(docs[:15]))
	for _, s := range append(docs[17][:30], docs[0][:30]...) {
		want := 0.0
		for i := 0; i <= len(s); i++ {
			w := uint32(len(words))
			if i < len(s) {
				w = s[i]
			}
			want -= math.Log2(m.Prob(s[:i], w))
		}
		if got := m.Bits(s); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("Bits %.17g, sum of Prob %.17g", got, want)
		}
	}
}

// TestDeterministic: the same sequences, added in any order, give the same bits
// to the last bit.
func TestDeterministic(t *testing.T) {
	docs, words := sampleLines(t)
	train := flatten(docs[:12])
	shuffled := append([][]uint32{}, train...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	eval := append(append([][]uint32{}, docs[13]...), docs[1]...)
	for _, order := range []int{3, 5} {
		a := build(t, order, len(words), train)
		b := build(t, order, len(words), train)
		c := build(t, order, len(words), shuffled)
		for i, s := range eval {
			x, y, z := a.Bits(s), b.Bits(s), c.Bits(s)
			if math.Float64bits(x) != math.Float64bits(y) || math.Float64bits(x) != math.Float64bits(z) {
				t.Fatalf("order %d, sequence %d: bits %v, rebuilt %v, shuffled input %v", order, i, x, y, z)
			}
		}
	}
}

// TestConcurrentScoring: one model scored from several goroutines gives the
// serial results (and is clean under -race).
func TestConcurrentScoring(t *testing.T) {
	docs, words := sampleLines(t)
	m := build(t, 4, len(words), flatten(docs[:8]))
	eval := docs[18]
	want := make([]float64, len(eval))
	for i, s := range eval {
		want[i] = m.Bits(s)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, s := range eval {
				if got := m.Bits(s); got != want[i] {
					errs <- fmt.Errorf("goroutine %d, sequence %d: %v != %v", g, i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestTinyInputs: degenerate data never gives NaN, negative or zero
// probabilities, and the discounts fall back where the estimate fails.
func TestTinyInputs(t *testing.T) {
	cases := map[string][][]uint32{
		"no sequence":        nil,
		"empty sequence":     {{}},
		"one token":          {{0}},
		"one repeated token": {{1, 1, 1, 1, 1, 1, 1, 1}},
		"two sequences":      {{0, 1, 2}, {2, 1, 0}},
	}
	const vocab = 4
	for name, seqs := range cases {
		for order := MinOrder; order <= MaxOrder; order++ {
			m := build(t, order, vocab, seqs)
			r := newRef(order, vocab, seqs)
			for _, ctx := range [][]uint32{{}, {0}, {1, 1}, {2, 1, 0}, {3, 3, 3, 3, 3}, {4}} {
				sum, minP := sumProb(m, ctx)
				if math.Abs(sum-1) > 1e-12 || !(minP > 0) {
					t.Errorf("%s, order %d, context %v: sum %v, min %v", name, order, ctx, sum, minP)
				}
				for w := uint32(0); w <= vocab; w++ {
					if got, want := m.Prob(ctx, w), r.prob(ctx, w); math.Abs(got-want) > 1e-12*want {
						t.Errorf("%s, order %d, P(%d | %v) = %v, reference %v", name, order, w, ctx, got, want)
					}
				}
			}
			for _, s := range seqs {
				if b := m.Bits(s); math.IsNaN(b) || math.IsInf(b, 0) || b <= 0 {
					t.Errorf("%s, order %d: Bits(%v) = %v", name, order, s, b)
				}
			}
			if _, _, _, fb := m.Discounts(order); !fb {
				t.Errorf("%s, order %d: top-order discounts estimated from tiny data", name, order)
			}
		}
	}
	m := build(t, 3, vocab, nil)
	if p := m.Prob(nil, 2); p != 1.0/(vocab+1) {
		t.Errorf("untrained model: P = %v, want uniform %v", p, 1.0/(vocab+1))
	}
	if m.Tokens() != 0 {
		t.Errorf("untrained model: Tokens %d", m.Tokens())
	}
}

func TestOutOfVocabulary(t *testing.T) {
	m := build(t, 3, 5, [][]uint32{{0, 1, 2}, {1, 2, 3}})
	if p := m.Prob([]uint32{1}, 6); p != 0 {
		t.Errorf("P(id above EOS) = %v, want 0", p)
	}
	if b := m.Bits([]uint32{1, 7, 2}); !math.IsInf(b, 1) {
		t.Errorf("Bits with id above EOS = %v, want +Inf", b)
	}
	// An unknown context symbol means nothing matches: only the unigram level remains.
	if got, want := m.Prob([]uint32{1, 99}, 2), m.Prob([]uint32{4, 4}, 2); got != want {
		t.Errorf("P(2 | 1 99) = %v, P(2 | 4 4) = %v: unknown ids should act as unseen", got, want)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ order, vocab int }{{1, 10}, {7, 10}, {3, 0}, {3, MaxVocab + 1}} {
		if _, err := NewBuilder(c.order, c.vocab); err == nil {
			t.Errorf("NewBuilder(%d, %d): no error", c.order, c.vocab)
		}
	}
	b, err := NewBuilder(3, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add([]uint32{1, 2, 10}); err == nil {
		t.Error("Add with id == vocab: no error")
	}
	if err := b.Add([]uint32{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if m.Tokens() != 4 || m.Order() != 3 || m.Vocab() != 10 {
		t.Errorf("Tokens %d Order %d Vocab %d, want 4 3 10 (the rejected sequence not counted)",
			m.Tokens(), m.Order(), m.Vocab())
	}
	if _, err := b.Build(); err == nil {
		t.Error("second Build: no error")
	}
	if err := b.Add([]uint32{1}); err == nil {
		t.Error("Add after Build: no error")
	}
}

// TestDiscountEstimate checks the closed form and each degenerate case by hand.
func TestDiscountEstimate(t *testing.T) {
	fb := [4]float64{0, 0.5, 1, 1.5}
	cases := []struct {
		name string
		nk   [5]uint64
		want [4]float64
		fb   bool
	}{
		// Y = 7/11; D1 = 1 - 2(7/11)(2/7) = 7/11; D2 = 2 - 3(7/11)(1/2) = 23/22; D3 = 3 - 0.
		{"closed form, D3 = 3", [5]uint64{0, 7, 2, 1, 0}, [4]float64{0, 7.0 / 11, 23.0 / 22, 3}, false},
		// Y = 1/2; D1 = 1 - 2(1/2)(1/2) = 1/2; D2 = 2 - 3(1/2)(1/1) = 1/2; D3 = 3 - 4(1/2)(1/1) = 1.
		{"closed form", [5]uint64{0, 2, 1, 1, 1}, [4]float64{0, 0.5, 0.5, 1}, false},
		{"no singletons", [5]uint64{0, 0, 3, 2, 1}, fb, true},
		{"no doubletons", [5]uint64{0, 5, 0, 2, 1}, fb, true},
		{"no count 3", [5]uint64{0, 10, 3, 0, 0}, fb, true},
		// Y = 1/3; D2 = 2 - 3(1/3)(10/1) = -8.
		{"negative D2", [5]uint64{0, 1, 1, 10, 0}, fb, true},
		// Y = 1/3; D2 = 2 - 3(1/3)(2/1) = 0: zero is degenerate too.
		{"zero D2", [5]uint64{0, 1, 1, 2, 0}, fb, true},
		// Y = 1/3; D3 = 3 - 4(1/3)(30/1) = -37.
		{"negative D3", [5]uint64{0, 1, 1, 1, 30}, fb, true},
	}
	for _, c := range cases {
		d, isFB := estimateDiscounts(c.nk)
		if isFB != c.fb {
			t.Errorf("%s: fallback %v, want %v (%v)", c.name, isFB, c.fb, d)
		}
		for k := 1; k <= 3; k++ {
			if math.Abs(d[k]-c.want[k]) > 1e-15 {
				t.Errorf("%s: D%d = %.17g, want %.17g", c.name, k, d[k], c.want[k])
			}
		}
	}
}

// TestLowerBound compares the branchless search with the standard library's.
func TestLowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 70; n++ {
		a := make([]uint32, n)
		for i := range a {
			a[i] = uint32(rng.IntN(40)) * 2
		}
		slices.Sort(a)
		for w := uint32(0); w < 85; w++ {
			want, _ := slices.BinarySearch(a, w)
			if got := lowerBound(a, w); got != want {
				t.Fatalf("len %d, w %d: %d, want %d (%v)", n, w, got, want, a)
			}
		}
	}
}
