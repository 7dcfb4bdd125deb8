// Package quantile finds the score that keeps the top fraction of a stream
// of scores: exactly while the stream is small, and with a deterministic,
// mergeable compaction sketch with a proven rank-error bound beyond that.
//
// The sketch is the deterministic variant of the KLL/MRL compactor
// hierarchy: level h holds items of weight 2^h; a level that reaches its
// capacity is sorted and every other item (alternating offsets) moves to
// level h+1. One such compaction moves the rank of any value by at most
// 2^h, so the sketch adds up these weights and states its worst-case rank
// error exactly (RankError), not as a probability. With capacity K and n
// items the error stays below about n·log2(n/K)/K.
//
// Everything here is deterministic: the same scores in the same order give
// the same threshold, bit for bit.
package quantile

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// DefaultExactLimit is the number of scores kept exactly before a Ranker
// switches to the sketch (128 MiB of float64).
const DefaultExactLimit = 1 << 24

// DefaultCapacity is the sketch's level capacity K.
const DefaultCapacity = 1 << 15

// Ranker collects scores and answers which score keeps the top fraction.
// Add scores in a fixed order (the run's canonical order) to get a
// deterministic answer.
type Ranker struct {
	exactLimit int
	capacity   int
	exact      []float64 // nil once the sketch took over
	levels     [][]float64
	n          int64
	rankErr    int64
	flips      []bool // per level: which offset the next compaction keeps
}

// NewRanker returns a Ranker that is exact up to exactLimit scores and
// then sketches with level capacity capacity (the defaults when <= 0).
func NewRanker(exactLimit, capacity int) *Ranker {
	if exactLimit <= 0 {
		exactLimit = DefaultExactLimit
	}
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	if capacity < 2 {
		capacity = 2
	}
	return &Ranker{exactLimit: exactLimit, capacity: capacity, exact: []float64{}}
}

// Add adds one score. NaN is refused: it has no rank.
func (r *Ranker) Add(x float64) error {
	if math.IsNaN(x) {
		return errors.New("quantile: NaN score")
	}
	r.n++
	if r.exact != nil {
		r.exact = append(r.exact, x)
		if len(r.exact) > r.exactLimit {
			r.toSketch()
		}
		return nil
	}
	r.insert(0, x)
	return nil
}

// N is the number of scores added.
func (r *Ranker) N() int64 { return r.n }

// Exact reports whether the Ranker still holds every score.
func (r *Ranker) Exact() bool { return r.exact != nil }

// RankError is the worst-case error, in documents, of the rank of any
// value the Ranker reports: 0 while exact.
func (r *Ranker) RankError() int64 { return r.rankErr }

// toSketch moves the exact scores into the sketch, in their order.
func (r *Ranker) toSketch() {
	xs := r.exact
	r.exact = nil
	for _, x := range xs {
		r.insert(0, x)
	}
}

func (r *Ranker) insert(h int, x float64) {
	for len(r.levels) <= h {
		r.levels = append(r.levels, make([]float64, 0, r.capacity))
		r.flips = append(r.flips, false)
	}
	r.levels[h] = append(r.levels[h], x)
	if len(r.levels[h]) >= r.capacity {
		r.compact(h)
	}
}

// compact halves level h into level h+1. An odd item out stays at level h.
func (r *Ranker) compact(h int) {
	lv := r.levels[h]
	slices.Sort(lv)
	m := len(lv) &^ 1
	off := 0
	if r.flips[h] {
		off = 1
	}
	r.flips[h] = !r.flips[h]
	var up []float64
	for i := off; i < m; i += 2 {
		up = append(up, lv[i])
	}
	rest := lv[m:]
	r.levels[h] = append(lv[:0], rest...)
	r.rankErr += int64(1) << h
	for _, x := range up {
		r.insert(h+1, x)
	}
}

// Target is the number of documents keepTop asks to keep out of n: the
// fraction rounded up, at least one when n > 0.
func Target(keepTop float64, n int64) int64 {
	if n <= 0 {
		return 0
	}
	k := int64(math.Ceil(keepTop*float64(n) - 1e-9))
	return min(max(k, 1), n)
}

// Threshold returns the score t such that keeping every score >= t keeps
// the top keepTop fraction: the Target(keepTop, N)-th largest score (within
// RankError ranks once sketched). ok is false when no score was added.
func (r *Ranker) Threshold(keepTop float64) (t float64, ok bool, err error) {
	if !(keepTop > 0 && keepTop <= 1) {
		return 0, false, fmt.Errorf("quantile: keep_top %v is not in (0, 1]", keepTop)
	}
	if r.n == 0 {
		return 0, false, nil
	}
	k := Target(keepTop, r.n)
	if r.exact != nil {
		xs := slices.Clone(r.exact)
		slices.Sort(xs)
		return xs[int64(len(xs))-k], true, nil
	}
	type item struct {
		x float64
		w int64
	}
	var items []item
	for h, lv := range r.levels {
		for _, x := range lv {
			items = append(items, item{x, int64(1) << h})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		switch {
		case a.x > b.x:
			return -1
		case a.x < b.x:
			return 1
		}
		return 0
	})
	var cum int64
	for _, it := range items {
		cum += it.w
		if cum >= k {
			return it.x, true, nil
		}
	}
	return items[len(items)-1].x, true, nil
}
