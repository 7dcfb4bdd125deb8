package filters

import (
	"cmp"
	"hash/crc32"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// What an observing tree keeps of each node, beyond its counters, for the
// run's report: histograms of the step's gauges over every document that
// reached it, and small samples of what it removed and changed. Both merge
// so that a run's observations do not depend on how its documents were
// spread over workers: histograms add up, and a sample keeps the documents
// with the lowest content hashes.
const (
	// SamplesPerReason is how many removed documents a node keeps per
	// removal reason.
	SamplesPerReason = 4
	// SamplesChanged is how many documents a modifying node keeps with
	// their text before and after it.
	SamplesChanged = 3
	// SampleTextBytes bounds the text kept of a sampled document (its
	// first bytes, cut at a character boundary).
	SampleTextBytes = 2000
)

// Histogram counts the values of one gauge in the gauge's bins (Bins+2
// counts: below the axis, the bins, at or above its end). Undefined counts
// documents the gauge has no value for.
type Histogram struct {
	Counts    []int64 `json:"counts"`
	Undefined int64   `json:"undefined,omitempty"`
}

// Sample is one document a step removed (Reason set) or changed (After
// set), as the report shows it.
type Sample struct {
	// Hash is the document's content hash (of its id and the text or HTML
	// the step saw): samples keep the lowest.
	Hash uint64 `json:"hash"`
	ID   string `json:"id"`
	URL  string `json:"url,omitempty"`
	// Reason is why the step removed the document, ReasonError when it
	// failed on it (Error says how); "" for a changed document.
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
	// Gauges are the step's gauge values for the document, in the order
	// of the node's gauges (NaN where undefined).
	Gauges []float64 `json:"-"`
	// M are the measurements the step took, for a Decider.
	M Measurements `json:"m,omitempty"`
	// Text is the start of what the step saw (the text, or the HTML before
	// extraction); Bytes its full size.
	Text  string `json:"text"`
	Bytes int64  `json:"bytes"`
	// After is the start of the text a modifying step left; AfterBytes
	// its full size.
	After      string `json:"after,omitempty"`
	AfterBytes int64  `json:"after_bytes,omitempty"`
}

// Changed says s is a modified document rather than a removed one.
func (s *Sample) Changed() bool { return s.Reason == "" }

// SetObserve turns observation on or off; set it before the first
// document. An observing tree runs a Gauger's Measure and Decide (the same
// decision as Filter, sometimes with more work) to histogram its gauges,
// and samples removed and modified documents into each node's NodeStats
// (Gauges, Samples). Annotate mode does not observe.
func (t *Tree) SetObserve(on bool) { t.observe = on }

// Gauges returns the gauges of node's step, nil when it has none.
func (t *Tree) Gauges(node int) []Gauge { return t.nodes[node].gauges }

// gaugesOf returns the gauges of step, nil for a step that is no Gauger or
// whose gauges are malformed (a step bug the registry's tests catch).
func gaugesOf(step any) []Gauge {
	g, ok := step.(Gauger)
	if !ok {
		return nil
	}
	gs := g.Gauges()
	for _, x := range gs {
		if x.Check() != nil {
			return nil
		}
	}
	return gs
}

// contentHash is the hash samples are drawn by: of the document's id and
// what the step saw, its HTML before extraction, else its text.
// CRC-32C (hardware-fast over whole HTML pages) of the content in the
// high half, FNV-1a of the id in the low.
func contentHash(id, text string, html []byte) uint64 {
	var c uint32
	if html != nil {
		c = crc32.Checksum(html, castagnoli)
	} else {
		c = crc32.Update(0, castagnoli, []byte(text))
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return uint64(c)<<32 | uint64(h.Sum32())
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// excerpt returns the first SampleTextBytes of s, cut at a character
// boundary, as a copy in valid UTF-8 (invalid bytes become U+FFFD): samples
// travel in protobuf strings and are shown in the report.
func excerpt(s string) string {
	if len(s) > SampleTextBytes {
		n := SampleTextBytes
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return valid(s)
}

// valid returns s as valid UTF-8, a copy.
func valid(s string) string {
	if utf8.ValidString(s) {
		return string([]byte(s))
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// gaugeValues returns the values of n's gauges for measurements m, nil when
// n has no gauges or there are no measurements.
func (n *Node) gaugeValues(m Measurements) []float64 {
	if len(n.gauges) == 0 || m == nil {
		return nil
	}
	vals := make([]float64, len(n.gauges))
	if err := n.step.(Gauger).GaugeValues(m, vals); err != nil {
		for i := range vals {
			vals[i] = math.NaN()
		}
	}
	return vals
}

// observeGauges adds the values of n's gauges for measurements m to ns's
// histograms and returns them.
func observeGauges(n *Node, ns *NodeStats, m Measurements) []float64 {
	vals := n.gaugeValues(m)
	if vals == nil {
		return nil
	}
	if ns.Gauges == nil {
		ns.Gauges = make([]Histogram, len(n.gauges))
	}
	for i, g := range n.gauges {
		h := &ns.Gauges[i]
		if h.Counts == nil {
			h.Counts = make([]int64, g.Bins+2)
		}
		if math.IsNaN(vals[i]) {
			h.Undefined++
			continue
		}
		h.Counts[g.Bin(vals[i])]++
	}
	return vals
}

// sampleRemoved offers d, removed by a step that saw src (or srcHTML), to
// ns's samples.
func sampleRemoved(ns *NodeStats, d *Doc, src string, srcHTML []byte, r stepResult, m Measurements, vals []float64) {
	s := Sample{Hash: contentHash(d.ID, src, srcHTML), Reason: r.reason}
	if r.err != nil {
		s.Reason = ReasonError
	}
	if !ns.wants(&s, d.ID) {
		return
	}
	s.ID, s.URL, s.M, s.Gauges = valid(d.ID), valid(d.URL), m, vals
	if r.err != nil {
		s.Error = valid(r.err.Error())
	}
	if srcHTML != nil {
		s.Text, s.Bytes = excerpt(string(srcHTML)), int64(len(srcHTML))
	} else {
		s.Text, s.Bytes = excerpt(src), int64(len(src))
	}
	ns.addSample(s)
}

// sampleChanged offers d, changed by a step from before (or beforeHTML,
// for extraction), to ns's samples.
func sampleChanged(ns *NodeStats, d *Doc, before string, beforeHTML []byte) {
	s := Sample{Hash: contentHash(d.ID, before, beforeHTML)}
	if !ns.wants(&s, d.ID) {
		return
	}
	s.ID, s.URL = valid(d.ID), valid(d.URL)
	if beforeHTML != nil {
		s.Text, s.Bytes = excerpt(string(beforeHTML[:min(len(beforeHTML), SampleTextBytes)])), int64(len(beforeHTML))
	} else {
		s.Text, s.Bytes = excerpt(before), int64(len(before))
	}
	s.After, s.AfterBytes = excerpt(d.Text), int64(len(d.Text))
	ns.addSample(s)
}

// sampleCap is how many samples of s's kind a node keeps.
func sampleCap(s *Sample) int {
	if s.Changed() {
		return SamplesChanged
	}
	return SamplesPerReason
}

// sampleLess orders samples of one kind: the lowest hash first, then id.
func sampleLess(a, b *Sample) bool {
	if a.Hash != b.Hash {
		return a.Hash < b.Hash
	}
	return a.ID < b.ID
}

// wants reports whether a sample with s's hash and reason, of the document
// id, would enter ns's samples.
func (ns *NodeStats) wants(s *Sample, id string) bool {
	n, worst := 0, -1
	for i := range ns.Samples {
		o := &ns.Samples[i]
		if o.Reason != s.Reason {
			continue
		}
		n++
		if worst < 0 || sampleLess(&ns.Samples[worst], o) {
			worst = i
		}
	}
	if n < sampleCap(s) {
		return true
	}
	probe := Sample{Hash: s.Hash, ID: id}
	return sampleLess(&probe, &ns.Samples[worst])
}

// addSample puts s among ns's samples, dropping the highest of its kind
// when there are too many, and keeps them sorted (reason, hash, id).
func (ns *NodeStats) addSample(s Sample) {
	n, worst := 0, -1
	for i := range ns.Samples {
		o := &ns.Samples[i]
		if o.Reason != s.Reason {
			continue
		}
		if o.Hash == s.Hash && o.ID == s.ID {
			return // the same document, merged twice
		}
		n++
		if worst < 0 || sampleLess(&ns.Samples[worst], o) {
			worst = i
		}
	}
	switch {
	case n < sampleCap(&s):
		ns.Samples = append(ns.Samples, s)
	case sampleLess(&s, &ns.Samples[worst]):
		ns.Samples[worst] = s
	default:
		return
	}
	slices.SortFunc(ns.Samples, func(a, b Sample) int {
		if c := cmp.Compare(a.Reason, b.Reason); c != 0 {
			return c
		}
		if sampleLess(&a, &b) {
			return -1
		}
		if sampleLess(&b, &a) {
			return 1
		}
		return 0
	})
}

// mergeObs adds o's histograms and samples to s's.
func (s *NodeStats) mergeObs(o *NodeStats) {
	if len(o.Gauges) > 0 {
		if len(s.Gauges) < len(o.Gauges) {
			s.Gauges = append(s.Gauges, make([]Histogram, len(o.Gauges)-len(s.Gauges))...)
		}
		for i, h := range o.Gauges {
			t := &s.Gauges[i]
			if len(t.Counts) < len(h.Counts) {
				t.Counts = append(t.Counts, make([]int64, len(h.Counts)-len(t.Counts))...)
			}
			for j, c := range h.Counts {
				t.Counts[j] += c
			}
			t.Undefined += h.Undefined
		}
	}
	for _, x := range o.Samples {
		s.addSample(x)
	}
}
