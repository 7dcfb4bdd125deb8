package filters

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"time"
)

// ReasonError is the reason given for a document a step failed on.
const ReasonError = "error"

// Outcome is what a recipe made of one document.
type Outcome struct {
	// Kept is true when the document came through every step.
	Kept bool
	// StepID is the id of the step that removed the document or failed on it.
	StepID string
	// Reason says why the step removed it (ReasonError when it failed).
	Reason string
	// Err is the step's error when it failed on the document.
	Err error
}

// Node is one step of a recipe tree, shared by every recipe whose steps up
// to and including it are the same (same step names, same parameters).
type Node struct {
	// Index is the node's position in Tree.Nodes; parents come first.
	Index int `json:"index"`
	// Parent is the index of the previous step, -1 for a first step.
	Parent int `json:"parent"`
	// Use is the registered step name.
	Use string `json:"use"`
	// Params are the step's canonical parameters.
	Params json.RawMessage `json:"params"`
	// Recipes are the indexes of the recipes that run this node.
	Recipes []int `json:"recipes"`
	// IDs are the step ids the recipes in Recipes give this node.
	IDs []string `json:"ids"`

	step     any
	gauges   []Gauge // the step's, when it is a Gauger
	children []int
	ends     []int // recipes whose last step this is
}

// Tree is a set of recipes merged on their common prefixes: a step that
// several recipes share with the same parameters, after the same shared
// steps, runs once per document. A Tree is safe for concurrent use; the
// statistics of each goroutine go to its own TreeStats.
type Tree struct {
	recipes []*Recipe
	nodes   []*Node
	roots   []int // first steps
	empty   []int // recipes without steps
	paths   [][]int
	tokens  func(string) int64 // counts tokens for annotations (SetTokenCounter)
	// annotate: no step removes a document (SetAnnotate).
	annotate bool
	// observe: histogram gauges and sample documents (SetObserve).
	observe bool
}

// NewTree merges recipes into a tree. Recipe names must be distinct.
func NewTree(recipes []*Recipe) (*Tree, error) {
	t := &Tree{recipes: recipes}
	names := map[string]bool{}
	for ri, r := range recipes {
		if names[r.Name] {
			return nil, fmt.Errorf("two recipes are called %q", r.Name)
		}
		names[r.Name] = true
		parent := -1
		var path []int
		for _, s := range r.Steps {
			n := t.child(parent, s)
			n.Recipes = append(n.Recipes, ri)
			n.IDs = append(n.IDs, s.ID)
			parent = n.Index
			path = append(path, n.Index)
		}
		if parent < 0 {
			t.empty = append(t.empty, ri)
		} else {
			t.nodes[parent].ends = append(t.nodes[parent].ends, ri)
		}
		t.paths = append(t.paths, path)
	}
	return t, nil
}

// child finds or makes the node for step s below parent.
func (t *Tree) child(parent int, s RecipeStep) *Node {
	params := s.CanonicalParams()
	siblings := t.roots
	if parent >= 0 {
		siblings = t.nodes[parent].children
	}
	for _, i := range siblings {
		n := t.nodes[i]
		if n.Use == s.Use && string(n.Params) == string(params) {
			return n
		}
	}
	n := &Node{Index: len(t.nodes), Parent: parent, Use: s.Use, Params: params, step: s.Step, gauges: gaugesOf(s.Step)}
	t.nodes = append(t.nodes, n)
	if parent >= 0 {
		t.nodes[parent].children = append(t.nodes[parent].children, n.Index)
	} else {
		t.roots = append(t.roots, n.Index)
	}
	return n
}

// Recipes returns the tree's recipes in the order given to NewTree.
func (t *Tree) Recipes() []*Recipe { return t.recipes }

// Nodes returns the tree's nodes; a node's parent comes before it.
func (t *Tree) Nodes() []Node {
	out := make([]Node, len(t.nodes))
	for i, n := range t.nodes {
		out[i] = *n
	}
	return out
}

// RecipeNodes returns the indexes of the nodes that run recipe's steps, in order.
func (t *Tree) RecipeNodes(recipe int) []int { return t.paths[recipe] }

// NewStats returns zeroed statistics with one entry per node.
func (t *Tree) NewStats() *TreeStats {
	return &TreeStats{Nodes: make([]NodeStats, len(t.nodes))}
}

// Close releases what the steps of every recipe hold. A step shared by
// several recipes is closed once per recipe that built it.
func (t *Tree) Close() error {
	var errs []error
	for _, r := range t.recipes {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}

// Process runs every recipe of the tree on d and hands each recipe's outcome
// to sink.Emit, in recipe order, with the document as that recipe left it
// (as it was when removed, for a removed one). A document that reaches a
// Ranker goes to sink.Stage instead, once for the node, and the recipes below
// the node get their outcome from Resume. Counters go to st, which must come
// from t.NewStats and belong to the calling goroutine. Process returns the
// first error the sink returns.
func (t *Tree) Process(d *Doc, st *TreeStats, sink Sink) error {
	p := &pass{t: t, st: st, sink: sink, res: make([]result, len(t.recipes))}
	if t.annotate {
		d.Trace = nil
	}
	for _, ri := range t.empty {
		p.res[ri] = result{doc: d, out: Outcome{Kept: true}, set: true}
	}
	p.walk(t.roots, nil, d)
	return p.emit(nil)
}

// Resume takes a document staged at the Ranker at node on, now that the
// run's threshold is known: it is kept iff score >= threshold, then goes
// through the rest of the tree as in Process. Only the recipes below the
// node get an outcome.
func (t *Tree) Resume(node int, d *Doc, score, threshold float64, st *TreeStats, sink Sink) error {
	if node < 0 || node >= len(t.nodes) {
		return fmt.Errorf("resume at node %d of a tree of %d nodes", node, len(t.nodes))
	}
	n := t.nodes[node]
	if _, ok := n.step.(Ranker); !ok || t.annotate {
		return fmt.Errorf("resume at node %d (%s), which is not a keep_top step of a tree that stages", node, n.Use)
	}
	p := &pass{t: t, st: st, sink: sink, res: make([]result, len(t.recipes))}
	ns := &st.Nodes[node]
	if score >= threshold {
		ns.Kept++
		ns.BytesOut += docBytes(d)
		p.walk(n.children, n.ends, d)
	} else {
		ns.remove(ReasonNotTop)
		if t.observe {
			m := Measurements{MeasureScore: score}
			sampleRemoved(ns, d, d.Text, d.HTML, stepResult{reason: ReasonNotTop}, m, n.gaugeValues(m))
		}
		p.removed(n, d, Outcome{Reason: ReasonNotTop})
	}
	return p.emit(n.Recipes)
}

// KeepTop returns the fraction the Ranker at node keeps, 0 if the node is
// not a Ranker.
func (t *Tree) KeepTop(node int) float64 {
	if r, ok := t.nodes[node].step.(Ranker); ok {
		return r.KeepTop()
	}
	return 0
}

// Rankers returns the nodes whose step is a Ranker, parents first.
func (t *Tree) Rankers() []int {
	var out []int
	for i := range t.nodes {
		if t.KeepTop(i) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// Deduper returns the Deduper at node, or nil.
func (t *Tree) Deduper(node int) Deduper {
	d, _ := t.nodes[node].step.(Deduper)
	return d
}

// Barriers returns the nodes whose step needs the whole run (Rankers and
// Dedupers), parents first.
func (t *Tree) Barriers() []int {
	var out []int
	for i := range t.nodes {
		if t.isBarrier(i) {
			out = append(out, i)
		}
	}
	return out
}

func (t *Tree) isBarrier(node int) bool {
	return t.KeepTop(node) > 0 || t.Deduper(node) != nil
}

// RankDepth is the number of barriers (Rankers and Dedupers) above node:
// documents reach the node only after that many run-wide phases.
func (t *Tree) RankDepth(node int) int {
	depth := 0
	for p := t.nodes[node].Parent; p >= 0; p = t.nodes[p].Parent {
		if t.isBarrier(p) {
			depth++
		}
	}
	return depth
}

// ResumeJudged takes a document staged at the Deduper at node on with the
// verdict the run's Judge gave it: the Deduper applies it (kept, changed or
// removed), then the document goes through the rest of the tree as in
// Process. Only the recipes below the node get an outcome.
func (t *Tree) ResumeJudged(node int, d *Doc, verdict []byte, st *TreeStats, sink Sink) error {
	if node < 0 || node >= len(t.nodes) {
		return fmt.Errorf("resume at node %d of a tree of %d nodes", node, len(t.nodes))
	}
	n := t.nodes[node]
	dd, ok := n.step.(Deduper)
	if !ok {
		return fmt.Errorf("resume at node %d (%s), which is not a dedup step", node, n.Use)
	}
	p := &pass{t: t, st: st, sink: sink, res: make([]result, len(t.recipes))}
	if t.annotate {
		p.annotateJudged(n, dd, d, verdict)
		return p.emit(n.Recipes)
	}
	ns := &st.Nodes[node]
	before := d.Text
	start := time.Now()
	r := applyVerdict(dd, d, verdict)
	ns.Nanos += int64(time.Since(start))
	if p.removedBy(n, ns, d, r) {
		if t.observe {
			sampleRemoved(ns, d, before, nil, r, nil, nil)
		}
		return p.emit(n.Recipes)
	}
	ns.Kept++
	ns.BytesOut += docBytes(d)
	if d.Text != before {
		ns.Modified++
		if t.observe {
			sampleChanged(ns, d, before, nil)
		}
	}
	p.walk(n.children, n.ends, d)
	return p.emit(n.Recipes)
}

type result struct {
	doc *Doc
	out Outcome
	set bool // the recipe has an outcome (not set: staged, or not reached)
}

// pass is one document's way through the tree.
type pass struct {
	t    *Tree
	st   *TreeStats
	sink Sink
	res  []result
	err  error // the first error of sink.Stage
}

// emit hands the outcomes of the recipes in only (every recipe when nil)
// to the sink.
func (p *pass) emit(only []int) error {
	if p.err != nil {
		return p.err
	}
	for ri, r := range p.res {
		if !r.set || (only != nil && !slices.Contains(only, ri)) {
			continue
		}
		if err := p.sink.Emit(ri, r.doc, r.out); err != nil {
			return err
		}
	}
	return nil
}

// walk runs the nodes in next (and the recipes in ends, which stop here) on
// d. Every branch but the last gets its own copy of d.
func (p *pass) walk(next, ends []int, d *Doc) {
	for i, ri := range ends {
		doc := d
		if i < len(ends)-1 || len(next) > 0 {
			doc = d.Clone()
		}
		p.res[ri] = result{doc: doc, out: Outcome{Kept: true}, set: true}
	}
	for i, ni := range next {
		doc := d
		if i < len(next)-1 {
			doc = d.Clone()
		}
		p.run(p.t.nodes[ni], doc)
	}
}

// removed gives every recipe of n the outcome out for d.
func (p *pass) removed(n *Node, d *Doc, out Outcome) {
	for i, ri := range n.Recipes {
		o := out
		o.StepID = n.IDs[i]
		p.res[ri] = result{doc: d, out: o, set: true}
	}
}

// run applies one node to d and goes on to its children.
func (p *pass) run(n *Node, d *Doc) {
	if p.t.annotate {
		p.annotate(n, d)
		return
	}
	ns := &p.st.Nodes[n.Index]
	ns.In++
	ns.BytesIn += docBytes(d)
	before, html := d.Text, d.HTML
	start := time.Now()
	var r stepResult
	var score float64
	var fp []byte
	var m Measurements
	rk, rank := n.step.(Ranker)
	dd, dedup := n.step.(Deduper)
	switch {
	case rank:
		score, r = applyRank(rk, d)
		if p.t.observe && r.err == nil && r.reason == "" {
			m = Measurements{MeasureScore: score}
		}
	case dedup:
		fp, r = fingerprint(dd, d)
	case p.t.observe && n.gauges != nil:
		m, r = measure(n.step.(Decider), d)
	default:
		r = apply(n.step, d)
	}
	ns.Nanos += int64(time.Since(start))
	var vals []float64
	if p.t.observe {
		vals = observeGauges(n, ns, m)
	}
	if p.removedBy(n, ns, d, r) {
		if p.t.observe {
			sampleRemoved(ns, d, before, html, r, m, vals)
		}
		return
	}
	if rank || dedup {
		// Kept or not is decided in Resume, once the whole run is known.
		if err := p.sink.Stage(n.Index, d, score, fp); err != nil && p.err == nil {
			p.err = err
		}
		return
	}
	ns.Kept++
	ns.BytesOut += docBytes(d)
	if d.Text != before || (html != nil && d.HTML == nil) {
		ns.Modified++
		if p.t.observe {
			if html != nil && before == "" {
				sampleChanged(ns, d, "", html)
			} else {
				sampleChanged(ns, d, before, nil)
			}
		}
	}
	p.walk(n.children, n.ends, d)
}

// removedBy records r at node n when it removes d (a reason or an error)
// and reports whether it did.
func (p *pass) removedBy(n *Node, ns *NodeStats, d *Doc, r stepResult) bool {
	if r.err == nil && r.reason == "" {
		return false
	}
	out := Outcome{Reason: r.reason, Err: r.err}
	if r.err != nil {
		ns.Errors++
		out.Reason = ReasonError
	} else {
		ns.remove(r.reason)
	}
	p.removed(n, d, out)
	return true
}

// docBytes is the size of what a step works on: the text, or the HTML
// before extraction.
func docBytes(d *Doc) int64 {
	if d.HTML != nil {
		return int64(len(d.HTML))
	}
	return int64(len(d.Text))
}

type stepResult struct {
	reason string
	err    error
}

// apply runs one step on d. A step that panics fails on this document only.
func apply(step any, d *Doc) (r stepResult) {
	defer func() {
		if p := recover(); p != nil {
			r = stepResult{err: fmt.Errorf("step panicked on document %s: %v\n%s", d.ID, p, debug.Stack())}
		}
	}()
	switch s := step.(type) {
	case Filter:
		r.reason, r.err = s.Filter(d)
	case Modifier:
		r.reason, r.err = s.Modify(d)
	case Annotator:
		r.err = s.Annotate(d)
	default:
		r.err = fmt.Errorf("%T is not a step", step)
	}
	return r
}

// applyRank scores d with a Ranker. A step that panics or gives a NaN score
// fails on this document only.
func applyRank(rk Ranker, d *Doc) (score float64, r stepResult) {
	defer func() {
		if p := recover(); p != nil {
			r = stepResult{err: fmt.Errorf("step panicked on document %s: %v\n%s", d.ID, p, debug.Stack())}
		}
	}()
	score, r.reason, r.err = rk.Score(d)
	if r.err == nil && r.reason == "" && math.IsNaN(score) {
		r.err = fmt.Errorf("score of document %s is NaN", d.ID)
	}
	return score, r
}

// fingerprint asks a Deduper for d's fingerprint. A step that panics fails
// on this document only.
func fingerprint(dd Deduper, d *Doc) (fp []byte, r stepResult) {
	defer func() {
		if p := recover(); p != nil {
			r = stepResult{err: fmt.Errorf("step panicked on document %s: %v\n%s", d.ID, p, debug.Stack())}
		}
	}()
	fp, r.reason, r.err = dd.Fingerprint(d, nil)
	if fp == nil {
		fp = []byte{} // staged as a fingerprint, not a score
	}
	return fp, r
}

// applyVerdict applies a Judge's verdict to d. A step that panics fails on
// this document only.
func applyVerdict(dd Deduper, d *Doc, verdict []byte) (r stepResult) {
	defer func() {
		if p := recover(); p != nil {
			r = stepResult{err: fmt.Errorf("step panicked on document %s: %v\n%s", d.ID, p, debug.Stack())}
		}
	}()
	r.reason, r.err = dd.Apply(d, verdict)
	return r
}

// CheckRecipes reads and checks the recipe files at paths with the
// overrides in set (each must apply to at least one recipe) and pins the
// files they read, without building their steps (Env.ParseOnly).
func CheckRecipes(paths []string, set []Override) ([]*Recipe, error) {
	used := make([]bool, len(set))
	var rs []*Recipe
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("recipe: %w", err)
		}
		r, err := ParseRecipeIn(Env{Dir: filepath.Dir(p), ParseOnly: true}, p, data, set...)
		if err != nil {
			return nil, err
		}
		for i, o := range set {
			if slices.Contains(r.Set, o) {
				used[i] = true
			}
		}
		rs = append(rs, r)
	}
	for i, u := range used {
		if !u {
			return nil, fmt.Errorf("--set %s: no recipe has a step with id %q", set[i], set[i].Step)
		}
	}
	return rs, nil
}

// LoadTree reads the recipe files at paths and merges them into a tree.
func LoadTree(paths ...string) (*Tree, error) { return LoadTreeWith(paths, nil) }

// LoadTreeWith is LoadTree with overrides: each must apply to at least one
// recipe.
func LoadTreeWith(paths []string, set []Override) (*Tree, error) {
	used := make([]bool, len(set))
	var rs []*Recipe
	for _, p := range paths {
		r, err := LoadRecipe(p, set...)
		if err == nil {
			for i, o := range set {
				if slices.Contains(r.Set, o) {
					used[i] = true
				}
			}
		}
		if err != nil {
			for _, r := range rs {
				r.Close()
			}
			return nil, err
		}
		rs = append(rs, r)
	}
	for i, u := range used {
		if !u {
			for _, r := range rs {
				r.Close()
			}
			return nil, fmt.Errorf("--set %s: no recipe has a step with id %q", set[i], set[i].Step)
		}
	}
	return NewTree(rs)
}
