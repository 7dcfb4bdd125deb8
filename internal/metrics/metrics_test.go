package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func scrape(t testing.TB, r *Registry) string {
	t.Helper()
	var b strings.Builder
	n, err := r.WriteTo(&b)
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != b.Len() {
		t.Fatalf("WriteTo returned %d, wrote %d bytes", n, b.Len())
	}
	return b.String()
}

func TestExpositionEveryKind(t *testing.T) {
	r := NewRegistry()
	r.NewCounter("jobs_total", "Jobs done.").Add(3)
	r.NewGauge("temperature", "Current temp.\nSecond line with \\ backslash.").Set(-1.5)
	cv := r.NewCounterVec("docs_total", "Documents by step and outcome.", "step", "outcome")
	cv.With("url_filter", "kept").Add(10)
	cv.With("lang_id", "removed").Inc()
	cv.With("lang_id", "kept").Add(2.5)
	r.NewGaugeVec("workers", "Workers by state.", "state").With("idle").Set(2)
	h := r.NewHistogram("task_seconds", "Task latency.", []float64{0.25, 1, 10})
	for _, v := range []float64{0.125, 0.25, 3, 100} {
		h.Observe(v)
	}
	depth := 7.0
	r.NewGaugeFunc("queue_depth", "Tasks waiting.", func() float64 { return depth })
	r.NewCounterFunc("nats_reconnects_total", "Reconnections.", func() float64 { return 1e6 })
	r.NewCounterVec("empty_total", "Never used: not written.", "x")
	hv := r.NewHistogramVec("doc_bytes", "Document sizes.", []float64{1000, math.Inf(1)}, "recipe")
	hv.With("b").Observe(5000)
	hv.With("a").Observe(10)

	want := `# HELP doc_bytes Document sizes.
# TYPE doc_bytes histogram
doc_bytes_bucket{recipe="a",le="1000"} 1
doc_bytes_bucket{recipe="a",le="+Inf"} 1
doc_bytes_sum{recipe="a"} 10
doc_bytes_count{recipe="a"} 1
doc_bytes_bucket{recipe="b",le="1000"} 0
doc_bytes_bucket{recipe="b",le="+Inf"} 1
doc_bytes_sum{recipe="b"} 5000
doc_bytes_count{recipe="b"} 1
# HELP docs_total Documents by step and outcome.
# TYPE docs_total counter
docs_total{step="lang_id",outcome="kept"} 2.5
docs_total{step="lang_id",outcome="removed"} 1
docs_total{step="url_filter",outcome="kept"} 10
# HELP jobs_total Jobs done.
# TYPE jobs_total counter
jobs_total 3
# HELP nats_reconnects_total Reconnections.
# TYPE nats_reconnects_total counter
nats_reconnects_total 1000000
# HELP queue_depth Tasks waiting.
# TYPE queue_depth gauge
queue_depth 7
# HELP task_seconds Task latency.
# TYPE task_seconds histogram
task_seconds_bucket{le="0.25"} 2
task_seconds_bucket{le="1"} 2
task_seconds_bucket{le="10"} 3
task_seconds_bucket{le="+Inf"} 4
task_seconds_sum 103.375
task_seconds_count 4
# HELP temperature Current temp.\nSecond line with \\ backslash.
# TYPE temperature gauge
temperature -1.5
# HELP workers Workers by state.
# TYPE workers gauge
workers{state="idle"} 2
`
	got := scrape(t, r)
	if got != want {
		t.Fatalf("exposition:\n%s\nwant:\n%s", got, want)
	}
	if _, err := parseExposition(got); err != nil {
		t.Fatal(err)
	}
	depth = 8 // the callback runs at scrape time
	if got := scrape(t, r); !strings.Contains(got, "\nqueue_depth 8\n") {
		t.Errorf("GaugeFunc not evaluated at scrape:\n%s", got)
	}
}

func TestEscaping(t *testing.T) {
	r := NewRegistry()
	cv := r.NewCounterVec("odd_total", `Help with \ and "quotes" and`+"\nnewline.", "v")
	values := []string{`back\slash`, `say "hi"`, "two\nlines", `\"` + "\n\\n", "", "ünïcødé ✓", "\xffbad"}
	for _, v := range values {
		cv.With(v).Inc()
	}
	cv.With("\xfebad").Inc() // invalid UTF-8 becomes U+FFFD: the same child
	got := scrape(t, r)
	for _, line := range []string{
		`# HELP odd_total Help with \\ and "quotes" and\nnewline.`,
		`odd_total{v="back\\slash"} 1`,
		`odd_total{v="say \"hi\""} 1`,
		`odd_total{v="two\nlines"} 1`,
		`odd_total{v="\\\"\n\\n"} 1`,
		`odd_total{v=""} 1`,
		`odd_total{v="ünïcødé ✓"} 1`,
		`odd_total{v="�bad"} 2`,
	} {
		if !strings.Contains(got, line+"\n") {
			t.Errorf("missing line %s in\n%s", line, got)
		}
	}
	e, err := parseExposition(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.samples) != len(values) {
		t.Fatalf("%d samples, want %d", len(e.samples), len(values))
	}
	back := map[string]bool{}
	for _, s := range e.samples {
		back[s.labels["v"]] = true
	}
	for _, v := range values {
		if v = strings.ToValidUTF8(v, "\uFFFD"); !back[v] {
			t.Errorf("label value %q did not round-trip; got %v", v, back)
		}
	}
	if e.help["odd_total"] != `Help with \ and "quotes" and`+"\nnewline." {
		t.Errorf("help did not round-trip: %q", e.help["odd_total"])
	}
}

func TestFloatFormat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-3, "-3"}, {1e6, "1000000"},
		{1 << 53, "9007199254740992"}, {1<<53 + 2, "9.007199254740994e+15"}, {1e300, "1e+300"},
		{0.1, "0.1"}, {1.5, "1.5"}, {1e-7, "1e-07"}, {-2.25, "-2.25"},
		{math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}, {math.NaN(), "NaN"},
	} {
		if got := string(appendFloat(nil, c.f)); got != c.want {
			t.Errorf("appendFloat(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}

func TestCounterFloatAndLargeAdds(t *testing.T) {
	var c Counter
	c.Add(0.5)
	c.Add(2)
	c.Add(0.25)
	c.Add(1 << 63) // above the integral fast path: float path
	if got, want := c.Value(), 2.75+(1<<63); got != want {
		t.Errorf("Value = %v, want %v", got, want)
	}
	var g Gauge
	g.Set(5)
	g.Inc()
	g.Dec()
	g.Dec()
	g.Add(-0.5)
	g.Sub(1)
	if g.Value() != 2.5 {
		t.Errorf("gauge = %v, want 2.5", g.Value())
	}
}

func TestHistogramBounds(t *testing.T) {
	h := newHistogram("h", []float64{1, 2})
	for _, v := range []float64{math.Inf(-1), 1, 1.0000001, 2, 3, math.NaN()} {
		h.Observe(v)
	}
	want := []uint64{2, 2, 2} // le=1: -Inf and 1; le=2: 1.0000001 and 2; +Inf: 3 and NaN
	for i := range want {
		if got := h.counts[i].Load(); got != want[i] {
			t.Errorf("bucket %d = %d, want %d", i, got, want[i])
		}
	}
}

func TestRegistrationPanics(t *testing.T) {
	cases := map[string]func(r *Registry){
		"empty name":         func(r *Registry) { r.NewCounter("", "h") },
		"digit first":        func(r *Registry) { r.NewCounter("1abc", "h") },
		"dash":               func(r *Registry) { r.NewGauge("a-b", "h") },
		"no help":            func(r *Registry) { r.NewGauge("a", "") },
		"duplicate":          func(r *Registry) { r.NewCounter("a", "h"); r.NewGauge("a", "h") },
		"histogram suffix":   func(r *Registry) { r.NewHistogram("x", "h", nil); r.NewCounter("x_count", "h") },
		"suffix first":       func(r *Registry) { r.NewCounter("y_sum", "h"); r.NewHistogramVec("y", "h", nil, "a") },
		"reserved label":     func(r *Registry) { r.NewCounterVec("a", "h", "__x") },
		"le label":           func(r *Registry) { r.NewHistogramVec("a", "h", nil, "le") },
		"colon label":        func(r *Registry) { r.NewGaugeVec("a", "h", "a:b") },
		"duplicate label":    func(r *Registry) { r.NewGaugeVec("a", "h", "x", "x") },
		"no labels":          func(r *Registry) { r.NewGaugeVec("a", "h") },
		"unsorted buckets":   func(r *Registry) { r.NewHistogram("a", "h", []float64{1, 1}) },
		"NaN bucket":         func(r *Registry) { r.NewHistogram("a", "h", []float64{math.NaN()}) },
		"nil func":           func(r *Registry) { r.NewGaugeFunc("a", "h", nil) },
		"With arity":         func(r *Registry) { r.NewCounterVec("a", "h", "x", "y").With("1") },
		"negative add":       func(r *Registry) { r.NewCounter("a", "h").Add(-1) },
		"NaN add":            func(r *Registry) { r.NewCounter("a", "h").Add(math.NaN()) },
		"exponential factor": func(r *Registry) { ExponentialBuckets(1, 1, 3) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.HasPrefix(msg, "metrics: ") {
					t.Errorf("panic %q, want a metrics: message", msg)
				}
			}()
			f(NewRegistry())
		})
	}
}

func TestBucketHelpers(t *testing.T) {
	if got := fmt.Sprint(LinearBuckets(1, 0.5, 3)); got != "[1 1.5 2]" {
		t.Errorf("LinearBuckets = %s", got)
	}
	if got := fmt.Sprint(ExponentialBuckets(0.5, 2, 4)); got != "[0.5 1 2 4]" {
		t.Errorf("ExponentialBuckets = %s", got)
	}
	newHistogram("latency", LatencyBuckets()) // panics if not increasing
}

func TestConcurrentUpdates(t *testing.T) {
	const goroutines, n = 8, 5000
	r := NewRegistry()
	c := r.NewCounter("c_total", "c")
	cv := r.NewCounterVec("cv_total", "cv", "k")
	g := r.NewGauge("g", "g")
	h := r.NewHistogram("h", "h", []float64{0.5, 1})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	scraped := make(chan error, 1)
	go func() { // scrape while updating
		var err error
		for done := false; !done; {
			select {
			case <-stop:
				done = true
			default:
			}
			var b strings.Builder
			if _, err = r.WriteTo(&b); err == nil {
				_, err = parseExposition(b.String())
			}
			if err != nil {
				break
			}
		}
		scraped <- err
	}()
	for i := range goroutines {
		wg.Go(func() {
			for j := range n {
				c.Inc()
				c.Add(0.5)
				cv.With(fmt.Sprint((i*n + j) % 50)).Inc()
				g.Inc()
				h.Observe(1)
				g.Dec()
			}
		})
	}
	wg.Wait()
	close(stop)
	if err := <-scraped; err != nil {
		t.Fatalf("scrape during updates: %v", err)
	}
	const total = goroutines * n
	if c.Value() != total*1.5 || g.Value() != 0 {
		t.Errorf("counter %v (want %v), gauge %v (want 0)", c.Value(), total*1.5, g.Value())
	}
	e, err := parseExposition(scrape(t, r))
	if err != nil {
		t.Fatal(err)
	}
	var children, sum float64
	for _, s := range e.samples {
		switch s.name {
		case "cv_total":
			children++
			sum += s.value
		case "h_count", "h_sum":
			if s.value != total {
				t.Errorf("%s = %v, want %d", s.name, s.value, total)
			}
		}
	}
	if children != 50 || sum != total {
		t.Errorf("counter vec: %v children summing to %v, want 50 and %d", children, sum, total)
	}
}

func TestHandler(t *testing.T) {
	r := NewRegistry()
	r.NewCounter("up_total", "Up.").Inc()
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if string(body) != scrape(t, r) {
		t.Errorf("body %q", body)
	}
	resp, err = http.Post(srv.URL, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriteToError(t *testing.T) {
	r := NewRegistry()
	r.NewGauge("g", "g")
	if _, err := r.WriteTo(failWriter{}); err == nil {
		t.Error("WriteTo to a failing writer: no error")
	}
}
