package filters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// TraceEntry is what an annotating tree recorded of one step of a document's
// way: its measurements and what the step would have made of the document.
type TraceEntry struct {
	// Node is the index of the step's node in the tree.
	Node int `json:"node"`
	// Reason is the reason the step gives for removing the document, ""
	// when it would keep it.
	Reason string `json:"reason,omitempty"`
	// Error is the step's error on the document, "" when it had none.
	Error string `json:"error,omitempty"`
	// M are the step's measurements (a Decider's, or a keep_top step's
	// score); nil for other steps.
	M Measurements `json:"m,omitempty"`
	// Bytes is the size of what the step worked on (HTML before
	// extraction, else text).
	Bytes int64 `json:"bytes"`
	// Modified says the step changed the text.
	Modified bool `json:"modified,omitempty"`
	// Tokens counts the tokens of the document's text after the step (the
	// text it would have left the recipe with, had the step removed it),
	// when the tree has a token counter (SetTokenCounter).
	Tokens int64 `json:"tokens,omitempty"`
}

// TokensMemo is the Doc memo key under which a text's token count is kept,
// shared by the annotating tree and the writer that counts kept documents.
const TokensMemo = "filters/tokens"

// SetTokenCounter gives an annotating tree the function that counts a
// text's tokens, so that each step's annotation says how many tokens the
// document had after it. Set it before the first document.
func (t *Tree) SetTokenCounter(count func(text string) int64) { t.tokens = count }

// Annotation is one step of a recipe as an annotated run recorded it for a
// document, written with the document as JSON:
//
//	{"step":"page_length_filter","use":"page_length_filter","reason":"too_few_words","m":{"n":12},"bytes":80}
type Annotation struct {
	// Step is the step's id in the recipe; Use its registered name.
	Step string `json:"step"`
	Use  string `json:"use"`
	// Reason, Error, M, Bytes and Modified are TraceEntry's.
	Reason   string       `json:"reason,omitempty"`
	Error    string       `json:"error,omitempty"`
	M        Measurements `json:"m,omitempty"`
	Bytes    int64        `json:"bytes"`
	Modified bool         `json:"modified,omitempty"`
	Tokens   int64        `json:"tokens,omitempty"`
}

// SetAnnotate turns annotate mode on or off; set it before the first
// document. In annotate mode no step removes a document: every step's
// measurements (a Decider's) and the reason it would remove the document
// for (or its error) go to the document's Trace, and the document goes on
// through every later step. Modifiers and annotators run as usual (a
// modifier that leaves nothing is recorded, and the document goes on with
// what is left); a keep_top step is only measured (its score), never
// staged; dedup steps stay run-wide (staged, then ResumeJudged), their
// verdicts recorded too. Every recipe's outcome is Kept; Annotations gives
// a recipe's trace. Counters count what the steps would have done: at every
// node, In is every document that reached the recipe's step.
func (t *Tree) SetAnnotate(on bool) { t.annotate = on }

// Annotating reports whether the tree is in annotate mode.
func (t *Tree) Annotating() bool { return t.annotate }

// Annotations returns the annotations of recipe for d, a document the
// annotating tree emitted for that recipe: one per step, in step order.
func (t *Tree) Annotations(recipe int, d *Doc) ([]Annotation, error) {
	if recipe < 0 || recipe >= len(t.recipes) {
		return nil, fmt.Errorf("annotations of recipe %d of %d", recipe, len(t.recipes))
	}
	r, path := t.recipes[recipe], t.paths[recipe]
	if len(d.Trace) != len(path) {
		return nil, fmt.Errorf("document %s: a trace of %d steps for recipe %s of %d steps (was the tree annotating?)", d.ID, len(d.Trace), r.Name, len(path))
	}
	out := make([]Annotation, len(path))
	for i, e := range d.Trace {
		if e.Node != path[i] {
			return nil, fmt.Errorf("document %s: step %d of its trace is node %d, not recipe %s's node %d", d.ID, i+1, e.Node, r.Name, path[i])
		}
		s := r.Steps[i]
		out[i] = Annotation{Step: s.ID, Use: s.Use, Reason: e.Reason, Error: e.Error, M: e.M, Bytes: e.Bytes, Modified: e.Modified, Tokens: e.Tokens}
	}
	return out, nil
}

// ParseAnnotations reads the JSON list of a document's annotations, as
// written from Tree.Annotations.
func ParseAnnotations(data []byte) ([]Annotation, error) {
	var out []Annotation
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("annotations: %w", err)
	}
	if dec.More() {
		return nil, errors.New("annotations: data after the list")
	}
	if out == nil {
		return nil, errors.New("annotations: not a list")
	}
	for i, a := range out {
		if err := a.check(); err != nil {
			return nil, fmt.Errorf("annotations: entry %d: %w", i+1, err)
		}
	}
	return out, nil
}

// check reports what is wrong with a parsed annotation.
func (a *Annotation) check() error {
	switch {
	case a.Step == "" || a.Use == "":
		return errors.New("no step or use")
	case a.Bytes < 0:
		return fmt.Errorf("step %s: bytes %d", a.Step, a.Bytes)
	case a.Reason != "" && a.Error != "":
		return fmt.Errorf("step %s: both a reason and an error", a.Step)
	}
	if err := checkMeasurements(a.M); err != nil {
		return fmt.Errorf("step %s: %w", a.Step, err)
	}
	return nil
}

// annotate runs node n on d in annotate mode and goes on to its children,
// whatever the step made of d.
func (p *pass) annotate(n *Node, d *Doc) {
	ns := &p.st.Nodes[n.Index]
	ns.In++
	e := TraceEntry{Node: n.Index, Bytes: docBytes(d)}
	ns.BytesIn += e.Bytes
	before := d.Text
	hadHTML := d.HTML != nil
	start := time.Now()
	var r stepResult
	switch s := n.step.(type) {
	case Deduper:
		var fp []byte
		fp, r = fingerprint(s, d)
		if r.err == nil && r.reason == "" {
			ns.Nanos += int64(time.Since(start))
			// ResumeJudged records the verdict and goes on.
			if err := p.sink.Stage(n.Index, d, 0, fp); err != nil && p.err == nil {
				p.err = err
			}
			return
		}
	case Decider:
		e.M, r = measure(s, d)
	case Ranker:
		var score float64
		score, r = applyRank(s, d)
		if r.err == nil {
			e.M = Measurements{MeasureScore: score}
		}
	default:
		r = apply(n.step, d)
	}
	ns.Nanos += int64(time.Since(start))
	e.Modified = d.Text != before || (hadHTML && d.HTML == nil)
	p.record(ns, d, e, r)
	p.walk(n.children, n.ends, d)
}

// record counts and traces what a step would have made of d.
func (p *pass) record(ns *NodeStats, d *Doc, e TraceEntry, r stepResult) {
	switch {
	case r.err != nil:
		ns.Errors++
		e.Error = r.err.Error()
	case r.reason != "":
		ns.remove(r.reason)
		e.Reason = r.reason
	default:
		ns.Kept++
		ns.BytesOut += docBytes(d)
		if e.Modified {
			ns.Modified++
		}
	}
	if p.t.tokens != nil && d.Text != "" {
		e.Tokens = d.Memo(TokensMemo, func(text string) any { return p.t.tokens(text) }).(int64)
	}
	d.Trace = append(d.Trace, e)
}

// measure measures d with a Decider and decides with the step's own
// parameters. A step that panics fails on this document only.
func measure(dc Decider, d *Doc) (m Measurements, r stepResult) {
	defer func() {
		if p := recover(); p != nil {
			m, r = nil, stepResult{err: fmt.Errorf("step panicked on document %s: %v\n%s", d.ID, p, debug.Stack())}
		}
	}()
	m, r.err = dc.Measure(d)
	if r.err != nil {
		return nil, r
	}
	if r.err = checkMeasurements(m); r.err != nil {
		return nil, r
	}
	r.reason, r.err = dc.Decide(d, m)
	if _, rank := dc.(Ranker); rank && r.err == nil {
		if _, err := m.Float(MeasureScore); err != nil {
			r.err = fmt.Errorf("keep_top step: %w", err)
		}
	}
	return m, r
}

// annotateJudged records the verdict of the Deduper at n on a staged
// document and takes it on, whatever the verdict.
func (p *pass) annotateJudged(n *Node, dd Deduper, d *Doc, verdict []byte) {
	ns := &p.st.Nodes[n.Index]
	e := TraceEntry{Node: n.Index, Bytes: docBytes(d)}
	before := d.Text
	start := time.Now()
	r := applyVerdict(dd, d, verdict)
	ns.Nanos += int64(time.Since(start))
	e.Modified = d.Text != before
	p.record(ns, d, e, r)
	p.walk(n.children, n.ends, d)
}
