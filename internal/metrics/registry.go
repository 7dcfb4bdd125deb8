// Package metrics is a minimal Prometheus metrics registry with no
// dependency outside the standard library. It holds counters, gauges,
// histograms (each alone or as a vector keyed by label values) and
// callbacks evaluated at scrape time, and writes them in the Prometheus
// text exposition format, version 0.0.4.
//
// There is no global registry: the caller makes one with NewRegistry,
// registers its metrics on it once at start-up and serves it with Handler.
// Registration panics on a programmer error (an invalid or duplicate name,
// an invalid label name, unsorted buckets); updating a metric never
// allocates and never takes a lock on the hot path.
package metrics

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// ContentType is the media type of the text exposition format written by
// Registry.WriteTo and served by Registry.Handler.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Registry holds metric families by name. Its methods are safe for
// concurrent use; the zero value is not usable, call NewRegistry.
type Registry struct {
	mu       sync.Mutex
	families map[string]*family
	// taken maps every sample name a family writes (a histogram's
	// name_bucket, name_sum and name_count too) to the family's name.
	taken map[string]string
}

// family is one registered metric family: its exposition header and the
// function that appends its samples.
type family struct {
	name, help, typ string
	// appendSamples appends the family's sample lines to b.
	appendSamples func(b []byte) []byte
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{families: map[string]*family{}, taken: map[string]string{}}
}

// register adds a family, panicking if its name is invalid or any sample
// name it writes is already written by another family.
func (r *Registry) register(f *family, suffixes ...string) {
	if !validMetricName(f.name) {
		panic(fmt.Sprintf("metrics: invalid metric name %q: want [a-zA-Z_:][a-zA-Z0-9_:]*", f.name))
	}
	if f.help == "" {
		panic(fmt.Sprintf("metrics: metric %s has no help text", f.name))
	}
	f.help = strings.ToValidUTF8(f.help, "\uFFFD") // the format requires UTF-8
	names := []string{f.name}
	for _, s := range suffixes {
		names = append(names, f.name+s)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if owner, ok := r.taken[n]; ok {
			if owner == n && n == f.name {
				panic(fmt.Sprintf("metrics: metric %s registered twice", n))
			}
			panic(fmt.Sprintf("metrics: metric %s collides with sample name %s of metric %s", f.name, n, owner))
		}
	}
	for _, n := range names {
		r.taken[n] = f.name
	}
	r.families[f.name] = f
}

// WriteTo writes every family that has at least one sample in the text
// exposition format 0.0.4: families sorted by name, each with its # HELP
// and # TYPE lines, then its samples sorted by label values. Callbacks
// (GaugeFunc, CounterFunc) run during the call, without the registry's
// lock held. It returns the number of bytes written.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	fams := make([]*family, 0, len(r.families))
	for _, f := range r.families {
		fams = append(fams, f)
	}
	r.mu.Unlock()
	slices.SortFunc(fams, func(a, b *family) int { return strings.Compare(a.name, b.name) })

	var b []byte
	for _, f := range fams {
		samples := f.appendSamples(nil)
		if len(samples) == 0 {
			continue
		}
		b = append(b, "# HELP "...)
		b = append(b, f.name...)
		b = append(b, ' ')
		b = appendEscapedHelp(b, f.help)
		b = append(b, "\n# TYPE "...)
		b = append(b, f.name...)
		b = append(b, ' ')
		b = append(b, f.typ...)
		b = append(b, '\n')
		b = append(b, samples...)
	}
	n, err := w.Write(b)
	if err != nil {
		return int64(n), fmt.Errorf("metrics: write exposition: %w", err)
	}
	return int64(n), nil
}

// Handler returns an http.Handler that answers GET and HEAD with the
// registry's exposition (Content-Type ContentType) and any other method
// with 405.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Cache-Control", "no-store")
		if req.Method == http.MethodHead {
			return
		}
		// A write error means the scraper went away; nothing to answer.
		_, _ = r.WriteTo(w)
	})
}

// validMetricName reports whether s matches [a-zA-Z_:][a-zA-Z0-9_:]*.
func validMetricName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == ':' || isLetter(c) || (i > 0 && isDigit(c))) {
			return false
		}
	}
	return true
}

// validLabelName reports whether s matches [a-zA-Z_][a-zA-Z0-9_]*.
func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || isLetter(c) || (i > 0 && isDigit(c))) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// checkLabelNames panics unless names are valid, distinct, not reserved
// (a "__" prefix) and none of forbidden.
func checkLabelNames(metric string, names []string, forbidden ...string) {
	if len(names) == 0 {
		panic(fmt.Sprintf("metrics: vector metric %s has no label names", metric))
	}
	for i, n := range names {
		switch {
		case !validLabelName(n):
			panic(fmt.Sprintf("metrics: metric %s: invalid label name %q: want [a-zA-Z_][a-zA-Z0-9_]*", metric, n))
		case strings.HasPrefix(n, "__"):
			panic(fmt.Sprintf("metrics: metric %s: label name %q is reserved (prefix __)", metric, n))
		case slices.Contains(forbidden, n):
			panic(fmt.Sprintf("metrics: metric %s: label name %q is reserved for this metric type", metric, n))
		case slices.Contains(names[:i], n):
			panic(fmt.Sprintf("metrics: metric %s: label name %q given twice", metric, n))
		}
	}
}
