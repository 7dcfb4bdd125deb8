package metrics

import (
	"io"
	"math"
	"strings"
	"testing"
)

func BenchmarkCounterInc(b *testing.B) {
	c := NewRegistry().NewCounter("c_total", "c")
	for b.Loop() {
		c.Inc()
	}
}

func BenchmarkCounterIncParallel(b *testing.B) {
	c := NewRegistry().NewCounter("c_total", "c")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Inc()
		}
	})
}

func BenchmarkCounterVecWithInc(b *testing.B) {
	cv := NewRegistry().NewCounterVec("docs_total", "d", "step", "outcome")
	cv.With("lang_id", "kept").Inc()
	b.ReportAllocs()
	for b.Loop() {
		cv.With("lang_id", "kept").Inc()
	}
}

func BenchmarkCounterVecWithIncParallel(b *testing.B) {
	cv := NewRegistry().NewCounterVec("docs_total", "d", "step", "outcome")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			cv.With("lang_id", "kept").Inc()
		}
	})
}

func BenchmarkHistogramObserve(b *testing.B) {
	h := NewRegistry().NewHistogram("h", "h", LatencyBuckets())
	v := 0.0
	for b.Loop() {
		h.Observe(v)
		v = math.Mod(v+0.37, 100)
	}
}

func BenchmarkWriteTo(b *testing.B) {
	r := NewRegistry()
	cv := r.NewCounterVec("docs_total", "d", "step", "outcome")
	hv := r.NewHistogramVec("step_seconds", "s", LatencyBuckets(), "step")
	for _, s := range strings.Fields("extract url lang gopher c4 fineweb quality dedup") {
		cv.With(s, "kept").Inc()
		cv.With(s, "removed").Inc()
		hv.With(s).Observe(0.1)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
