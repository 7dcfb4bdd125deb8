package metrics

import (
	"fmt"
	"math"
	"sort"
	"sync/atomic"
	"time"
)

// Histogram counts observations (task latency in seconds, document
// sizes) in buckets fixed at creation. It is safe for concurrent use:
// Observe is a binary search, one atomic add and a compare-and-swap loop
// on the sum.
//
// The exposition has one name_bucket{le="..."} sample per upper bound
// (cumulative counts) plus le="+Inf", name_sum and name_count; name_count
// always equals the +Inf bucket.
type Histogram struct {
	upper  []float64       // finite upper bounds, strictly increasing
	counts []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sum    atomic.Uint64   // float64 bits
}

// newHistogram checks buckets and returns an empty histogram over them. A
// trailing +Inf bound is dropped (it is always there).
func newHistogram(metric string, buckets []float64) *Histogram {
	if n := len(buckets); n > 0 && math.IsInf(buckets[n-1], 1) {
		buckets = buckets[:n-1]
	}
	for i, b := range buckets {
		if math.IsNaN(b) {
			panic(fmt.Sprintf("metrics: histogram %s: bucket %d is NaN", metric, i))
		}
		if i > 0 && !(buckets[i-1] < b) {
			panic(fmt.Sprintf("metrics: histogram %s: buckets not strictly increasing (%v then %v)", metric, buckets[i-1], b))
		}
	}
	return &Histogram{
		upper:  append([]float64(nil), buckets...),
		counts: make([]atomic.Uint64, len(buckets)+1),
	}
}

// Observe records v. NaN is counted in the +Inf bucket (and makes the sum
// NaN), as Prometheus's own client does.
func (h *Histogram) Observe(v float64) {
	// SearchFloat64s returns the first bound >= v: the bucket le="bound".
	h.counts[sort.SearchFloat64s(h.upper, v)].Add(1)
	addFloat(&h.sum, v)
}

// ObserveDuration records d in seconds.
func (h *Histogram) ObserveDuration(d time.Duration) { h.Observe(d.Seconds()) }

// ObserveSince records the time elapsed since start, in seconds.
func (h *Histogram) ObserveSince(start time.Time) { h.Observe(time.Since(start).Seconds()) }

// appendSamples appends the histogram's bucket, sum and count lines with
// the given labels.
func (h *Histogram) appendSamples(b []byte, name string, names, values []string) []byte {
	var cum uint64
	for i := range h.counts {
		cum += h.counts[i].Load()
		le := math.Inf(1)
		if i < len(h.upper) {
			le = h.upper[i]
		}
		b = appendSample(b, name, "_bucket", names, values, "le", string(appendFloat(nil, le)), float64(cum))
	}
	b = appendSample(b, name, "_sum", names, values, "", "", math.Float64frombits(h.sum.Load()))
	return appendSample(b, name, "_count", names, values, "", "", float64(cum))
}

// histogramSuffixes are the sample names a histogram writes besides its
// own name, reserved at registration.
var histogramSuffixes = []string{"_bucket", "_sum", "_count"}

// NewHistogram registers and returns a histogram without labels over the
// given bucket upper bounds (strictly increasing; +Inf is implied).
func (r *Registry) NewHistogram(name, help string, buckets []float64) *Histogram {
	h := newHistogram(name, buckets)
	r.register(&family{name: name, help: help, typ: "histogram", appendSamples: func(b []byte) []byte {
		return h.appendSamples(b, name, nil, nil)
	}}, histogramSuffixes...)
	return h
}

// LinearBuckets returns count bounds start, start+width, ...
func LinearBuckets(start, width float64, count int) []float64 {
	b := make([]float64, count)
	for i := range b {
		b[i] = start + float64(i)*width
	}
	return b
}

// ExponentialBuckets returns count bounds start, start*factor,
// start*factor^2, ... start must be positive and factor above 1.
func ExponentialBuckets(start, factor float64, count int) []float64 {
	if !(start > 0) || !(factor > 1) {
		panic(fmt.Sprintf("metrics: ExponentialBuckets(%v, %v, %d): want start > 0 and factor > 1", start, factor, count))
	}
	b := make([]float64, count)
	for i := range b {
		b[i] = start
		start *= factor
	}
	return b
}

// LatencyBuckets are bounds in seconds for task and request latencies,
// from 5 ms to about 20 minutes.
func LatencyBuckets() []float64 {
	return []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200}
}
