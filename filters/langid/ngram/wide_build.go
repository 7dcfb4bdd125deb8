package ngram

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/pemistahl/lingua-go"
)

// wideBuild collects the n-grams of order n of all languages, then lays out
// their table. Each n-gram becomes one uint64 in the group of the top
// groupBits of its hash: the remaining lowBits of the hash at the top, then
// the language in 7 bits, then the index of its set (probability) in its
// language's model in the low siBits; sorting a group then orders its
// postings by key and language. (Entries of 8 bytes keep the build's
// transient memory at about that of the table it builds.) Languages are
// unzipped and read by several workers, each into its own part of the
// groups; finish merges the parts.
type wideBuild struct {
	n       int
	lowBits uint
	siBits  uint
	parts   []*widePart
	sets    [numLangs][]float64 // per language: log-probability of each set, in file order
	lvi     [numLangs][]uint32  // per language: index in vals of each set
}

// widePart is what one worker collects.
type widePart struct {
	groups [][]uint64
}

// postingHint is the number of n-grams of all languages of each order in
// lingua-go v1.4.0 (sizes the groups once).
var postingHint = [...]int{0, 0, 0, 0, 5153205, 13432005}

func newWideBuild(n, parts int) *wideBuild {
	w := &wideBuild{n: n, lowBits: uint(codeBits*n - groupBits)}
	w.siBits = 64 - w.lowBits - postLangBits
	per := (postingHint[n]>>groupBits+postingHint[n]>>(groupBits+4))/parts + 16
	for range parts {
		p := &widePart{groups: make([][]uint64, 1<<groupBits)}
		for g := range p.groups {
			p.groups[g] = make([]uint64, 0, per)
		}
		w.parts = append(w.parts, p)
	}
	return w
}

// add adds the serialized order-n model of language l to part p.
func (w *wideBuild) add(p *widePart, m *Models, l int, raw []byte) error {
	hmask := uint64(1)<<(codeBits*w.n) - 1
	var sets []float64
	last, post := math.NaN(), uint64(0)
	err := walkModel(raw, func(prob float64, g []byte) error {
		if prob != last {
			if !(prob > 0 && prob <= 1) {
				return fmt.Errorf("probability %v", prob)
			}
			last = prob
			si := uint64(len(sets))
			if si >= 1<<w.siBits {
				return fmt.Errorf("more than %d probabilities", si)
			}
			sets = append(sets, math.Log(prob))
			post = uint64(l)<<w.siBits | si
		}
		k, err := m.key(bytesString(g), w.n, false)
		if err != nil {
			return err
		}
		h := k * wideMul & hmask
		grp := h >> w.lowBits
		p.groups[grp] = append(p.groups[grp], h<<(64-w.lowBits)|post)
		return nil
	})
	w.sets[l] = sets
	if err != nil {
		return fmt.Errorf("%d-grams of %v: %w", w.n, lingua.Language(l), err)
	}
	return nil
}

// finish lays out the table, using up to workers goroutines, and frees the
// collected n-grams.
func (w *wideBuild) finish(workers int) (*table, error) {
	vals := w.values(workers)
	if len(vals) > 1<<(32-postLangBits) {
		return nil, fmt.Errorf("%d-grams: %d distinct probabilities", w.n, len(vals))
	}
	nk := make([]int, 1<<groupBits) // keys per group
	errs := make([]error, 1<<groupBits)
	np := make([]int, 1<<groupBits) // postings per group
	parallel(workers, 1<<groupBits, func(g int) {
		for _, p := range w.parts {
			slices.Sort(p.groups[g])
			np[g] += len(p.groups[g])
		}
		first, prev := true, uint64(0)
		w.eachMerged(g, func(e uint64) {
			if first || w.keyOf(e) != w.keyOf(prev) {
				nk[g]++
			} else if (e^prev)>>w.siBits&langMask == 0 {
				// lingua would keep the later set (none in v1.4.0's models).
				errs[g] = fmt.Errorf("%d-grams: %v has an n-gram twice", w.n, lingua.Language(e>>w.siBits&langMask))
			}
			first, prev = false, e
		})
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	kb := make([]int, 1<<groupBits+1) // first key of each group
	pb := make([]int, 1<<groupBits+1) // first posting of each group
	for g := range 1 << groupBits {
		kb[g+1], pb[g+1] = kb[g]+nk[g], pb[g]+np[g]
	}
	runtime.GC() // drop the unzipped models and grown groups before the table is allocated
	return w.layout(kb, pb, vals, workers), nil
}

// eachMerged calls f for the entries of group g of all parts (each sorted)
// in increasing order.
func (w *wideBuild) eachMerged(g int, f func(e uint64)) {
	var heads [8]int
	if len(w.parts) > len(heads) {
		panic("ngram: too many build parts")
	}
	for {
		best, min := -1, uint64(0)
		for i, p := range w.parts {
			if es := p.groups[g]; heads[i] < len(es) && (best < 0 || es[heads[i]] < min) {
				best, min = i, es[heads[i]]
			}
		}
		if best < 0 {
			return
		}
		f(min)
		heads[best]++
	}
}

// keyOf returns the bits of the hash that an entry keeps.
func (w *wideBuild) keyOf(e uint64) uint64 { return e >> (64 - w.lowBits) }

// layout writes the table from the sorted groups, whose keys and postings
// start at kb and pb.
func (w *wideBuild) layout(kb, pb []int, vals []float64, workers int) *table {
	keys, posts := kb[len(kb)-1], pb[len(pb)-1]
	hbits := uint(codeBits * w.n)
	bbits := max(uint(bits.Len(uint(keys/keysPerBkt))), groupBits, hbits-32)
	t := &table{order: w.n, n: keys, hbits: uint8(hbits), rbits: uint8(hbits - bbits), vals: vals,
		wdir: make([]uint32, 1<<bbits+1), wrem: make([]uint32, keys), off: make([]uint32, keys+1),
		wpost: make([]uint32, posts)}
	rmask := uint64(1)<<t.rbits - 1
	perGroup := uint64(1) << (bbits - groupBits) // buckets per group
	parallel(workers, 1<<groupBits, func(g int) {
		ki, pi := uint32(kb[g]), uint32(pb[g])
		next := uint64(g) * perGroup // next bucket whose start is to be set
		first, prev := true, uint64(0)
		w.eachMerged(g, func(e uint64) {
			if first || w.keyOf(e) != w.keyOf(prev) {
				h := uint64(g)<<w.lowBits | w.keyOf(e)
				for b := h >> t.rbits; next <= b; next++ {
					t.wdir[next] = ki
				}
				t.wrem[ki] = uint32(h & rmask)
				t.off[ki] = pi
				ki++
			}
			l := e >> w.siBits & langMask
			t.wpost[pi] = uint32(l) | w.lvi[l][e&(1<<w.siBits-1)]<<postLangBits
			pi++
			first, prev = false, e
		})
		for ; next < uint64(g+1)*perGroup; next++ {
			t.wdir[next] = ki
		}
		for _, p := range w.parts {
			p.groups[g] = nil
		}
	})
	w.lvi = [numLangs][]uint32{}
	t.wdir[len(t.wdir)-1] = uint32(keys)
	t.off[keys] = uint32(posts)
	return t
}

// values returns the distinct log-probabilities of all languages, sorted
// (so that the table does not depend on which worker read which language),
// and sets w.lvi to index them: each language's sets are sorted, then all
// are merged.
func (w *wideBuild) values(workers int) []float64 {
	var rank [numLangs][]uint32 // per language: its sets in increasing value
	total := 0
	for l, s := range w.sets {
		total += len(s)
		rank[l] = make([]uint32, len(s))
		w.lvi[l] = make([]uint32, len(s))
	}
	parallel(workers, numLangs, func(l int) {
		s, r := w.sets[l], rank[l]
		for i := range r {
			r[i] = uint32(i)
		}
		slices.SortFunc(r, func(a, b uint32) int { return cmp.Compare(s[a], s[b]) })
		sorted := make([]float64, len(s))
		for i, si := range r {
			sorted[i] = s[si]
		}
		w.sets[l] = sorted
	})
	// Merge with a min-heap of (next value, language).
	var head [numLangs]int
	heap := make([]heapItem, 0, numLangs)
	for l, s := range w.sets {
		if len(s) > 0 {
			heap = append(heap, heapItem{s[0], l})
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		siftDown(heap, i)
	}
	vals := make([]float64, 0, total)
	for len(heap) > 0 {
		v, l := heap[0].v, heap[0].l
		if len(vals) == 0 || vals[len(vals)-1] != v {
			vals = append(vals, v)
		}
		w.lvi[l][rank[l][head[l]]] = uint32(len(vals) - 1)
		if head[l]++; head[l] < len(w.sets[l]) {
			heap[0].v = w.sets[l][head[l]]
		} else {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		siftDown(heap, 0)
	}
	w.sets = [numLangs][]float64{}
	return slices.Clip(vals)
}

type heapItem struct {
	v float64
	l int
}

// siftDown restores the min-heap order of h below i.
func siftDown(h []heapItem, i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1].v < h[c].v {
			c++
		}
		if !(h[c].v < h[i].v) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// parallel calls f(0..n-1) on up to workers goroutines.
func parallel(workers, n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	wg.Wait()
}

// buildWide reads the order-n models of all languages into a table, on
// workers goroutines that each unzip and collect languages in turn.
func (m *Models) buildWide(n, workers int) (*table, error) {
	workers = max(1, workers)
	w := newWideBuild(n, workers)
	next := make(chan int, numLangs)
	for l := range numLangs {
		next <- l
	}
	close(next)
	errs := make([]error, workers)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for i, p := range w.parts {
		wg.Go(func() {
			for l := range next {
				if failed.Load() {
					return
				}
				raw, err := readModelFast(lingua.Language(l), n)
				if err == nil {
					err = w.add(p, m, l, raw)
				}
				if err != nil {
					errs[i] = err
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return w.finish(workers)
}

// buildHigh builds the order-4 and order-5 tables, the larger first so that
// its transient copy is gone before the other is collected.
func (m *Models) buildHigh() ([2]*table, error) {
	workers := min(runtime.GOMAXPROCS(0), 8) // eachMerged merges up to 8 parts
	var ts [2]*table
	for _, n := range []int{5, 4} {
		t, err := m.buildWide(n, workers)
		if err != nil {
			return ts, err
		}
		ts[n-4] = t
		runtime.GC() // return the build's transient memory before the next
	}
	return ts, nil
}
