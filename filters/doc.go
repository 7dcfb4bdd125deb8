// Package filters holds what every curation step shares: the Doc that travels
// through a recipe, the Step interfaces, the registry of steps, recipe parsing,
// and the recipe-tree engine that runs several recipes over one stream of
// documents, sharing their common prefixes.
//
// Annotate once, select many times: a filter that is a Decider measures a
// document (Measure) and decides from the measurements and its decision
// parameters (Decide). A tree in annotate mode (Tree.SetAnnotate) removes
// nothing and records every step's measurements and verdict with the
// document (Tree.Annotations, written as JSON); PlanSelection and
// Selection.Apply then decide the annotated documents for another recipe
// (new thresholds, filters reordered or dropped) without measuring again,
// exactly as running it would.
//
// filters imports no step package; the binary links the steps in by importing
// them for their registrations.
package filters

import (
	"encoding/json"
	"maps"
	"slices"
	"sync"
)

// Source says where a document was read: the shard, the byte offset of its
// record (or line) in the shard, and its index in the task's canonical order.
type Source struct {
	Shard  string `json:"shard"`
	Offset int64  `json:"offset"`
	Index  int64  `json:"index"`
}

// Doc is one document on its way through a recipe tree.
//
// Steps change Text through SetText, never by assignment, so that values
// memoized for the previous text are dropped.
type Doc struct {
	// ID is stable across runs: the id the document came with, else one
	// derived from its shard name and offset.
	ID string
	// URL is the document's URL, possibly empty.
	URL string
	// Text is the document's current text. Use SetText to change it.
	Text string
	// HTML is the raw HTTP body of a WARC response record, waiting for the
	// extract step; nil for documents that arrive as text.
	HTML []byte
	// ContentType is the HTTP Content-Type of HTML (it may name a charset).
	ContentType string
	// Metadata is the document's metadata as read: the JSONL "metadata" object
	// or the WARC record's headers, as a JSON object. It is written back as is.
	Metadata json.RawMessage
	// Signals are the named values steps computed for this document.
	Signals map[string]any
	// Source says where the document was read.
	Source Source
	// Trace is what an annotating tree (Tree.SetAnnotate) recorded of the
	// steps the document went through, in order; nil otherwise. A document
	// staged at a dedup step must keep it; Tree.Annotations turns it into
	// a recipe's annotations.
	Trace []TraceEntry

	memo *memoTable
}

// memoTable holds the values memoized for one text. A document's clones
// share it while their text is that text, so that recipes branching at a
// step compute what they both need (a language, a word split) once; a
// clone that changes its text leaves it.
type memoTable struct {
	mu   sync.Mutex // clones may be carried on by other goroutines
	text string
	m    map[string]any
}

// SetText replaces the document's text and forgets what was memoized for the
// previous one.
func (d *Doc) SetText(s string) {
	d.Text = s
	d.memo = nil
}

// Memo returns the value computed by f for the current text under key,
// computing it once per text, for the document and the clones that share
// its text. Values must not be modified by callers: they are shared by
// every branch of a recipe tree.
func (d *Doc) Memo(key string, f func(text string) any) any {
	t := d.memo
	if t == nil || t.text != d.Text { // (a text assigned, not set: a new table)
		t = &memoTable{text: d.Text}
		d.memo = t
	}
	t.mu.Lock()
	v, ok := t.m[key]
	t.mu.Unlock()
	if ok {
		return v
	}
	v = f(d.Text)
	t.mu.Lock()
	defer t.mu.Unlock()
	if w, ok := t.m[key]; ok {
		return w // a clone on another goroutine was first
	}
	if t.m == nil {
		t.m = make(map[string]any, 4)
	}
	t.m[key] = v
	return v
}

// SetSignal records a named value for the document.
func (d *Doc) SetSignal(name string, v any) {
	if d.Signals == nil {
		d.Signals = make(map[string]any, 4)
	}
	d.Signals[name] = v
}

// Signal returns a named value computed by an earlier step.
func (d *Doc) Signal(name string) (any, bool) {
	v, ok := d.Signals[name]
	return v, ok
}

// Clone returns a copy of d that can be changed without changing d. Signal
// values and trace entries are shared, as they are immutable; so is the
// memo (Clone gives d one to share if it has none for its text), until one
// of the two changes its text.
func (d *Doc) Clone() *Doc {
	if d.memo == nil || d.memo.text != d.Text {
		d.memo = &memoTable{text: d.Text} // for both to fill
	}
	c := *d
	c.Signals = maps.Clone(d.Signals)
	c.Trace = slices.Clone(d.Trace)
	return &c
}
