package dedup

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bits-and-blooms/bloom/v3"
)

func TestFastMod(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ds := []uint64{2, 3, 7, 64, 640, 1 << 20, 1199999936, 9585058368, 1<<63 + 1, ^uint64(0), ^uint64(0) - 1}
	for range 200 {
		ds = append(ds, rng.Uint64N(1<<40)*64+64, rng.Uint64()|2)
	}
	for _, d := range ds {
		f := newFastMod(d)
		as := []uint64{0, 1, d - 1, d, d + 1, 2*d - 1, ^uint64(0), ^uint64(0) - d, 1 << 63}
		for range 2000 {
			as = append(as, rng.Uint64())
		}
		for _, a := range as {
			if got, want := f.mod(a), a%d; got != want {
				t.Fatalf("%d mod %d = %d, want %d", a, d, got, want)
			}
		}
	}
}

// Our positions are the library's, and so are the bits: the library's own
// Test agrees with Contains, and its Add sets what Add sets.
func TestPositionsMatchLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, words := range []uint64{1, 3, 1000, 18750, 1 << 20} {
		for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 13, 31, 64} {
			b := newBloomOver(make([]uint64, words), k)
			lib := newBloomOver(make([]uint64, words), k)
			var got []uint64
			for j := range 300 {
				x := rng.Uint64()
				if j < 3 {
					x = uint64(j)
				}
				got = b.Keys(x, got[:0])
				want := bloom.Locations(b.key(x), uint(k))
				for i := range want {
					if got[i] != want[i]%b.m {
						t.Fatalf("m=%d k=%d x=%#x: position %d = %d, library %d", b.m, k, x, i, got[i], want[i]%b.m)
					}
				}
				if j%2 == 0 {
					b.Add(x)
					lib.f.Add(lib.key(x))
				}
				y := rng.Uint64()
				if b.Contains(y) != b.f.Test(b.key(y)) || b.Contains(x) != b.f.Test(b.key(x)) {
					t.Fatalf("m=%d k=%d: Contains differs from the library's Test", b.m, k)
				}
			}
			if !sameSet(b, lib) {
				t.Fatalf("m=%d k=%d: Add set other bits than the library's Add", b.m, k)
			}
		}
	}
}

// A Lookup answers and sets exactly as the Bloom, whatever the order of the
// calls, for the real decisions of old-both over a loaded filter.
func TestLookupEqualsBloom(t *testing.T) {
	texts := dupCorpus(t, 300)
	_, distinct := countShingles(texts)
	plan, _ := PlanBloom(uint64(distinct), 0.05)
	want, _ := NewBloom(plan)
	got, _ := NewBloom(plan)
	l := NewLookup(got)
	z, _ := NewShingler(13, 13, false)
	dec := Decider{Mode: ModeOldBoth, Threshold: 0.8}
	var dw, dg Decision
	removed := 0
	for i, s := range texts {
		sh := z.Shingle(s)
		dec.Decide(sh, want, &dw)
		if i%7 == 3 {
			l.Load(sh.Hashes[len(sh.Hashes)/2:]) // a stale or partial load
		} else {
			l.Load(sh.Hashes)
		}
		dec.Decide(sh, l, &dg)
		if dw.Contained != dg.Contained || dw.Empty != dg.Empty || len(dw.Removed) != len(dg.Removed) {
			t.Fatalf("text %d: Lookup decided %+v, Bloom %+v", i, dg, dw)
		}
		removed += len(dw.Removed)
	}
	if !sameSet(want, got) {
		t.Fatal("Lookup set other bits than the Bloom")
	}
	// Out of order and unloaded hashes.
	l.Load([]uint64{1, 2, 3})
	for _, h := range []uint64{3, 2, 99, 1} {
		if l.Contains(h) != want.Contains(h) {
			t.Fatalf("Contains(%d) differs", h)
		}
		l.Add(h)
		want.Add(h)
	}
	if !sameSet(want, got) {
		t.Fatal("Lookup set other bits than the Bloom for unordered calls")
	}
	if removed == 0 {
		t.Fatal("the corpus removed nothing: the test checks too little")
	}
}

// The planned filter's false-positive rate, measured: fill a filter planned
// for n n-grams at fp 0.01 with n random shingles, then query fresh ones.
func TestBloomFPRateMeasured(t *testing.T) {
	const n = 200000
	plan, err := PlanBloom(n, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewBloom(plan)
	rng := rand.New(rand.NewPCG(5, 6))
	for range n {
		b.Add(rng.Uint64())
	}
	const q = 1000000
	fp := 0
	for range q {
		if b.Contains(rng.Uint64()) {
			fp++
		}
	}
	rate := float64(fp) / q
	t.Logf("%v: measured fp %.5f over %d queries, fill %.4f", plan, rate, q, b.FillRatio())
	if plan.BytesPerNgram() > 1.25 {
		t.Errorf("%.3f bytes per n-gram, more than 1.25", plan.BytesPerNgram())
	}
	if rate > 0.0110 || rate < 0.0085 {
		t.Errorf("measured fp rate %.5f, want 0.01 (0.0085..0.011)", rate)
	}
}

// A blocked filter planned at fp 0.01 stays within 1.25 bytes per n-gram,
// and its measured false-positive rate is the planned one (at most 0.01).
func TestBlockedFPRateMeasured(t *testing.T) {
	const n = 200000
	plan, err := PlanBlocked(n, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBlockedBloom(plan)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range n {
		b.Add(rng.Uint64())
	}
	const q = 2000000
	fp := 0
	for range q {
		if b.Contains(rng.Uint64()) {
			fp++
		}
	}
	rate := float64(fp) / q
	t.Logf("%v: measured fp %.5f over %d queries, fill %.4f", plan, rate, q, b.FillRatio())
	if plan.BytesPerNgram() > 1.25 || plan.BytesPerNgram() < 1.2 {
		t.Errorf("%.3f bytes per n-gram, want 1.2..1.25", plan.BytesPerNgram())
	}
	// 2e6 queries at 0.01: the standard deviation is 0.00007.
	if rate > 0.0104 || rate < 0.0085 {
		t.Errorf("measured fp rate %.5f, want 0.01 (0.0085..0.0104)", rate)
	}
	if math.Abs(rate-plan.FP) > 0.0005 {
		t.Errorf("measured fp rate %.5f, the blocked formula says %.5f", rate, plan.FP)
	}
}

// A blocked filter's bits of a shingle are in one 64-byte block, Keys,
// Contains, Add and a Lookup agree, and a snapshot restores it.
func TestBlockedBloom(t *testing.T) {
	plan, _ := PlanBlocked(50000, 0.01)
	b, _ := NewBlockedBloom(plan)
	rng := rand.New(rand.NewPCG(9, 10))
	var keys []uint64
	for range 20000 {
		x := rng.Uint64()
		keys = b.Keys(x, keys[:0])
		if len(keys) != plan.K {
			t.Fatalf("%d keys, k=%d", len(keys), plan.K)
		}
		for _, p := range keys {
			if p/512 != keys[0]/512 || p >= b.Bits() {
				t.Fatalf("keys %v of %#x not in one block of %d bits", keys, x, b.Bits())
			}
		}
		if b.Contains(x) {
			continue
		}
		b.Add(x)
		for _, p := range keys {
			if !b.Has(p) {
				t.Fatalf("Add(%#x) did not set key %d", x, p)
			}
		}
		if !b.Contains(x) {
			t.Fatalf("Contains(%#x) false after Add", x)
		}
	}
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := ReadBloom(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Blocked() || r.K() != b.K() || !sameSet(r, b) {
		t.Fatal("snapshot of a blocked filter not restored")
	}
	// Decisions through a Lookup equal the filter's own.
	texts := dupCorpus(t, 200)
	_, distinct := countShingles(texts)
	plan, _ = PlanBlocked(uint64(distinct), 0.05)
	want, _ := NewBlockedBloom(plan)
	got, _ := NewBlockedBloom(plan)
	l := NewLookup(got)
	z, _ := NewShingler(13, 13, false)
	dec := Decider{Mode: ModeOldBoth, Threshold: 0.8}
	var dw, dg Decision
	for i, s := range texts {
		sh := z.Shingle(s)
		dec.Decide(sh, want, &dw)
		l.Load(sh.Hashes)
		dec.Decide(sh, l, &dg)
		if dw.Contained != dg.Contained || dw.Empty != dg.Empty || len(dw.Removed) != len(dg.Removed) {
			t.Fatalf("text %d: Lookup decided %+v, Bloom %+v", i, dg, dw)
		}
	}
	if !sameSet(want, got) {
		t.Fatal("Lookup set other bits than the blocked Bloom")
	}
}
