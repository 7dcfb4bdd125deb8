package dedup

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// dupCorpus is the real documents followed by exact copies of every second
// one and partial copies (every other paragraph, then a new tail) of every
// third one, in a fixed order.
func dupCorpus(t testing.TB, n int) []string {
	docs := webDocs(t)
	docs = docs[:min(n, len(docs))]
	var out []string
	for _, d := range docs {
		out = append(out, d.Text)
	}
	for i, d := range docs {
		if i%2 == 0 {
			out = append(out, d.Text)
		}
		if i%3 == 0 {
			ps := strings.Split(d.Text, "\n")
			var keep []string
			for j, p := range ps {
				if j%2 == 0 {
					keep = append(keep, p)
				}
			}
			keep = append(keep, "This closing paragraph was written for the copy number "+strings.Repeat("x", i%7)+" and says nothing else of note at all.")
			out = append(out, strings.Join(keep, "\n"))
		}
	}
	return out
}

// fpCounter is a Membership over a bloom filter with an exact shadow fed
// the same insertions: it counts the queries the filter answers wrongly.
type fpCounter struct {
	b              *Bloom
	shadow         *Exact
	negatives, fps int
	expected       float64 // sum of the formula's rate at each negative query
}

func (f *fpCounter) Contains(h uint64) bool {
	got := f.b.Contains(h)
	if !f.shadow.Has(h) {
		f.negatives++
		f.expected += FalsePositive(f.b.Bytes(), uint64(f.shadow.Len()), f.b.K())
		if got {
			f.fps++
		}
	} else if !got {
		panic("bloom filter lost a shingle")
	}
	return got
}

func (f *fpCounter) Add(h uint64) { f.b.Add(h); f.shadow.Put(h) }

func decideAll(t testing.TB, texts []string, m Membership, mode Mode) []Decision {
	z, _ := NewShingler(13, 13, mode.Whole())
	dec := Decider{Mode: mode, Threshold: 0.8}
	out := make([]Decision, len(texts))
	for i, s := range texts {
		dec.Decide(z.Shingle(s), m, &out[i])
	}
	return out
}

func countShingles(texts []string) (total int, distinct int) {
	z, _ := NewShingler(13, 13, false)
	seen := map[uint64]struct{}{}
	for _, s := range texts {
		sh := z.Shingle(s)
		total += len(sh.Hashes)
		for _, h := range sh.Hashes {
			seen[h] = struct{}{}
		}
	}
	return total, len(seen)
}

// The bloom filter decides as the exact set, up to its false positives,
// whose number stays within what the planned rate predicts.
func TestBloomAgreesWithExact(t *testing.T) {
	texts := dupCorpus(t, 1000)
	total, distinct := countShingles(texts)
	for _, fp := range []float64{0.01, 0.1} {
		plan, err := PlanBloom(uint64(distinct), fp)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewBloom(plan)
		fc := &fpCounter{b: b, shadow: NewExact()}
		got := decideAll(t, texts, fc, ModeOldBoth)
		want := decideAll(t, texts, &SetMembership{Set: NewExact()}, ModeOldBoth)

		units, removedExact, diffUnits, diffDocs := 0, 0, 0, 0
		for i := range texts {
			units += len(strings.Split(texts[i], "\n"))
			removedExact += len(want[i].Removed)
			if !reflect.DeepEqual(got[i].Removed, want[i].Removed) || got[i].Empty != want[i].Empty {
				diffDocs++
				diffUnits += symDiff(got[i].Removed, want[i].Removed)
			}
		}
		// The formula's rate at the fill of each query predicts the count.
		e := fc.expected
		bound := e + 4*math.Sqrt(e) + 3
		t.Logf("fp %.2f: %v; %d docs, %d shingles (%d distinct), %d units, exact removes %d; bloom: %d false positives in %d negative queries (%.4f%%; formula predicts %.0f, bound %.0f), %d docs / %d units decided differently",
			fp, plan, len(texts), total, distinct, units, removedExact, fc.fps, fc.negatives, 100*float64(fc.fps)/float64(fc.negatives), e, bound, diffDocs, diffUnits)
		if float64(fc.fps) > bound {
			t.Errorf("%d false positives, more than the %.0f the formula allows (expected %.1f)", fc.fps, bound, e)
		}
		// A unit is decided differently only after a false positive in it
		// or a difference before it.
		if diffUnits > 2*fc.fps {
			t.Errorf("%d units decided differently after %d false positives", diffUnits, fc.fps)
		}
		if float64(fc.fps) < e/4-3 {
			t.Errorf("%d false positives where %.1f are expected: the positions are not independent enough", fc.fps, e)
		}
		if removedExact < len(texts)/4 {
			t.Fatalf("the corpus has too few duplicates (%d units removed)", removedExact)
		}
	}
}

func symDiff(a, b []Span) int {
	in := map[Span]int{}
	for _, s := range a {
		in[s]++
	}
	for _, s := range b {
		in[s]--
	}
	n := 0
	for _, v := range in {
		n += max(v, -v)
	}
	return n
}

// Batches settled by a Settler give the decisions and the bits of a
// sequential pass, whatever the batch sizes, for a plain and a partitioned
// filter and for the exact set.
func TestBatchesEqualSequential(t *testing.T) {
	texts := dupCorpus(t, 60)
	_, distinct := countShingles(texts)
	plan, _ := PlanBloom(uint64(distinct), 0.05) // a loaded filter: bits shared by shingles matter
	pplan, _ := PlanPartitioned(uint64(distinct), 0.05, 4)
	sets := map[string]func() Set{
		"bloom":       func() Set { b, _ := NewBloom(plan); return b },
		"partitioned": func() Set { p, _ := NewPartitioned(pplan, 4); return p },
		"exact":       func() Set { return NewExact() },
	}
	for name, mk := range sets {
		for _, mode := range []Mode{ModeOldBoth, ModeParagraph, ModeDocument} {
			if name != "bloom" && mode != ModeOldBoth {
				continue
			}
			seqSet := mk()
			want := decideAll(t, texts, &SetMembership{Set: seqSet}, mode)
			for _, seed := range []uint64{uint64(len(name))} {
				set := mk()
				got := decideBatched(texts, set, mode, rand.New(rand.NewPCG(seed, 7)))
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("%s %s seed %d: doc %d decided %+v in batches, %+v sequentially", name, mode, seed, i, got[i], want[i])
					}
				}
				if !sameSet(set, seqSet) {
					t.Fatalf("%s %s: batched set differs from sequential", name, mode)
				}
			}
		}
	}
}

func decideBatched(texts []string, set Set, mode Mode, rng *rand.Rand) []Decision {
	z, _ := NewShingler(13, 13, mode.Whole())
	dec := Decider{Mode: mode, Threshold: 0.8}
	out := make([]Decision, len(texts))
	st := NewSettler(set, nil)
	for i := 0; i < len(texts); {
		n := 1 + rng.IntN(40)
		batch := texts[i:min(i+n, len(texts))]
		// 1. query every shingle of the batch (the workers shingle in parallel).
		var shs []*Shingles
		var all []uint64
		for _, s := range batch {
			sh := z.Shingle(s).Clone()
			shs = append(shs, sh)
			all = append(all, sh.Hashes...)
		}
		masks := ProbeAll(set, all)
		// 2. settle in order.
		st.Reset(func(h uint64) uint64 { return masks[h] })
		for j, sh := range shs {
			dec.Decide(sh, st, &out[i+j])
		}
		// 3. commit.
		Commit(set, st.Pending())
		i += len(batch)
	}
	return out
}

func sameSet(a, b Set) bool {
	switch a := a.(type) {
	case *Bloom:
		return reflect.DeepEqual(a.words, b.(*Bloom).words)
	case *Partitioned:
		for i := range a.parts {
			if !reflect.DeepEqual(a.parts[i].words, b.(*Partitioned).parts[i].words) {
				return false
			}
		}
		return true
	case *Exact:
		return reflect.DeepEqual(a.m, b.(*Exact).m)
	}
	return false
}
