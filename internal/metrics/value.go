package metrics

import (
	"math"
	"sync/atomic"
)

// Counter is a value that only goes up (events seen, bytes read). It is
// safe for concurrent use; Inc and integral Add are one atomic add.
type Counter struct {
	n    atomic.Uint64 // integral increments
	frac atomic.Uint64 // float64 bits: the sum of non-integral increments
}

// Inc adds 1.
func (c *Counter) Inc() { c.n.Add(1) }

// Add adds v, which must not be negative or NaN (Add panics: a counter
// that goes down is a programmer error). An integral v below 2^63 is one
// atomic add; any other v is a compare-and-swap loop.
func (c *Counter) Add(v float64) {
	if !(v >= 0) {
		panic("metrics: counter cannot decrease (Add of a negative or NaN value)")
	}
	if v < 1<<63 {
		if u := uint64(v); float64(u) == v {
			c.n.Add(u)
			return
		}
	}
	addFloat(&c.frac, v)
}

// Value returns the counter's current value.
func (c *Counter) Value() float64 {
	return float64(c.n.Load()) + math.Float64frombits(c.frac.Load())
}

// Gauge is a value that goes up and down (tasks in flight, bytes
// buffered). It is safe for concurrent use: Set is one atomic store, the
// other updates a compare-and-swap loop.
type Gauge struct {
	bits atomic.Uint64 // float64 bits
}

// Set sets the gauge to v.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Add adds v (which may be negative).
func (g *Gauge) Add(v float64) { addFloat(&g.bits, v) }

// Sub subtracts v.
func (g *Gauge) Sub(v float64) { addFloat(&g.bits, -v) }

// Inc adds 1.
func (g *Gauge) Inc() { addFloat(&g.bits, 1) }

// Dec subtracts 1.
func (g *Gauge) Dec() { addFloat(&g.bits, -1) }

// Value returns the gauge's current value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

// addFloat atomically adds v to the float64 whose bits are in p.
func addFloat(p *atomic.Uint64, v float64) {
	for {
		old := p.Load()
		if p.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// NewCounter registers and returns a counter without labels.
func (r *Registry) NewCounter(name, help string) *Counter {
	c := new(Counter)
	r.register(&family{name: name, help: help, typ: "counter", appendSamples: func(b []byte) []byte {
		return appendSample(b, name, "", nil, nil, "", "", c.Value())
	}})
	return c
}

// NewGauge registers and returns a gauge without labels.
func (r *Registry) NewGauge(name, help string) *Gauge {
	g := new(Gauge)
	r.register(&family{name: name, help: help, typ: "gauge", appendSamples: func(b []byte) []byte {
		return appendSample(b, name, "", nil, nil, "", "", g.Value())
	}})
	return g
}

// NewGaugeFunc registers a gauge whose value is f(), called at every
// scrape (queue depth, connected peers). f must be safe for concurrent use
// and quick; it runs without the registry's lock held.
func (r *Registry) NewGaugeFunc(name, help string, f func() float64) {
	if f == nil {
		panic("metrics: NewGaugeFunc " + name + ": nil function")
	}
	r.register(&family{name: name, help: help, typ: "gauge", appendSamples: func(b []byte) []byte {
		return appendSample(b, name, "", nil, nil, "", "", f())
	}})
}

// NewCounterFunc registers a counter whose value is f(), called at every
// scrape, for counts kept elsewhere (a client library's statistics). f
// must never return less than it returned before, be safe for concurrent
// use and quick.
func (r *Registry) NewCounterFunc(name, help string, f func() float64) {
	if f == nil {
		panic("metrics: NewCounterFunc " + name + ": nil function")
	}
	r.register(&family{name: name, help: help, typ: "counter", appendSamples: func(b []byte) []byte {
		return appendSample(b, name, "", nil, nil, "", "", f())
	}})
}
