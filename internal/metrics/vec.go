package metrics

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// vec holds the children of a vector metric by label values. Lookups of
// an existing child take a read lock and do not allocate.
type vec[T any] struct {
	metric   string
	labels   []string
	newChild func() *T
	mu       sync.RWMutex
	children map[uint64][]*child[T] // by hashValues
}

type child[T any] struct {
	values []string
	m      *T
}

func newVec[T any](metric string, labels []string, newChild func() *T, forbidden ...string) *vec[T] {
	checkLabelNames(metric, labels, forbidden...)
	return &vec[T]{metric: metric, labels: slices.Clone(labels), newChild: newChild, children: map[uint64][]*child[T]{}}
}

// hashValues is FNV-1a over the values, each followed by 0xff (a byte
// valid UTF-8 never holds).
func hashValues(values []string) uint64 {
	h := uint64(14695981039346656037)
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			h = (h ^ uint64(v[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211
	}
	return h
}

// with returns the child for values, creating it on first use. It panics
// if the number of values is not the number of label names. Invalid UTF-8
// in a value is replaced with U+FFFD (the format requires UTF-8).
func (v *vec[T]) with(values []string) *T {
	if len(values) != len(v.labels) {
		// Format a clone: values itself must not escape (With would allocate).
		panic(fmt.Sprintf("metrics: metric %s has labels %v, With got %d values %q",
			v.metric, v.labels, len(values), slices.Clone(values)))
	}
	h := hashValues(values)
	v.mu.RLock()
	for _, c := range v.children[h] {
		if slices.Equal(c.values, values) {
			v.mu.RUnlock()
			return c.m
		}
	}
	v.mu.RUnlock()

	clean := make([]string, len(values))
	for i, s := range values {
		clean[i] = s
		if !utf8.ValidString(s) {
			clean[i] = strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	h = hashValues(clean)
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, c := range v.children[h] {
		if slices.Equal(c.values, clean) {
			return c.m
		}
	}
	m := v.newChild()
	v.children[h] = append(v.children[h], &child[T]{values: clean, m: m})
	return m
}

// sorted returns the children ordered by label values.
func (v *vec[T]) sorted() []*child[T] {
	v.mu.RLock()
	var cs []*child[T]
	for _, list := range v.children {
		cs = append(cs, list...)
	}
	v.mu.RUnlock()
	slices.SortFunc(cs, func(a, b *child[T]) int { return slices.Compare(a.values, b.values) })
	return cs
}

// appendValues appends one sample per child, valued by value.
func (v *vec[T]) appendValues(b []byte, value func(*T) float64) []byte {
	for _, c := range v.sorted() {
		b = appendSample(b, v.metric, "", v.labels, c.values, "", "", value(c.m))
	}
	return b
}

// CounterVec is a family of counters keyed by label values.
type CounterVec struct{ v *vec[Counter] }

// With returns the counter for the given label values (one per label
// name, in order), creating it on first use. Keep the result when the
// values are fixed: With costs a hash and a map lookup.
func (cv *CounterVec) With(labelValues ...string) *Counter { return cv.v.with(labelValues) }

// GaugeVec is a family of gauges keyed by label values.
type GaugeVec struct{ v *vec[Gauge] }

// With returns the gauge for the given label values, creating it on first
// use.
func (gv *GaugeVec) With(labelValues ...string) *Gauge { return gv.v.with(labelValues) }

// HistogramVec is a family of histograms with the same buckets keyed by
// label values.
type HistogramVec struct {
	v *vec[Histogram]
}

// With returns the histogram for the given label values, creating it on
// first use.
func (hv *HistogramVec) With(labelValues ...string) *Histogram { return hv.v.with(labelValues) }

// NewCounterVec registers and returns a counter family with the given
// label names.
func (r *Registry) NewCounterVec(name, help string, labelNames ...string) *CounterVec {
	v := newVec(name, labelNames, func() *Counter { return new(Counter) })
	r.register(&family{name: name, help: help, typ: "counter", appendSamples: func(b []byte) []byte {
		return v.appendValues(b, (*Counter).Value)
	}})
	return &CounterVec{v}
}

// NewGaugeVec registers and returns a gauge family with the given label
// names.
func (r *Registry) NewGaugeVec(name, help string, labelNames ...string) *GaugeVec {
	v := newVec(name, labelNames, func() *Gauge { return new(Gauge) })
	r.register(&family{name: name, help: help, typ: "gauge", appendSamples: func(b []byte) []byte {
		return v.appendValues(b, (*Gauge).Value)
	}})
	return &GaugeVec{v}
}

// NewHistogramVec registers and returns a histogram family over the given
// buckets with the given label names ("le" is reserved).
func (r *Registry) NewHistogramVec(name, help string, buckets []float64, labelNames ...string) *HistogramVec {
	proto := newHistogram(name, buckets) // checks buckets once, up front
	v := newVec(name, labelNames, func() *Histogram { return newHistogram(name, proto.upper) }, "le")
	r.register(&family{name: name, help: help, typ: "histogram", appendSamples: func(b []byte) []byte {
		for _, c := range v.sorted() {
			b = c.m.appendSamples(b, name, v.labels, c.values)
		}
		return b
	}}, histogramSuffixes...)
	return &HistogramVec{v}
}
