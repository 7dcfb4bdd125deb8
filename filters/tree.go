package filters

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
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
	n := &Node{Index: len(t.nodes), Parent: parent, Use: s.Use, Params: params, step: s.Step}
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

// Process runs every recipe of the tree on d and calls emit exactly once per
// recipe, in recipe order, with the document as that recipe left it (as it
// was when removed, for a removed one). Counters go to st, which must come
// from t.NewStats and belong to the calling goroutine. Process returns the
// first error emit returns.
func (t *Tree) Process(d *Doc, st *TreeStats, emit func(recipe int, d *Doc, o Outcome) error) error {
	res := make([]result, len(t.recipes))
	for _, ri := range t.empty {
		res[ri] = result{doc: d, out: Outcome{Kept: true}}
	}
	t.walk(t.roots, nil, d, st, res)
	for ri := range res {
		if err := emit(ri, res[ri].doc, res[ri].out); err != nil {
			return err
		}
	}
	return nil
}

type result struct {
	doc *Doc
	out Outcome
}

// walk runs the nodes in next (and the recipes in ends, which stop here) on
// d. Every branch but the last gets its own copy of d.
func (t *Tree) walk(next, ends []int, d *Doc, st *TreeStats, res []result) {
	for i, ri := range ends {
		doc := d
		if i < len(ends)-1 || len(next) > 0 {
			doc = d.Clone()
		}
		res[ri] = result{doc: doc, out: Outcome{Kept: true}}
	}
	for i, ni := range next {
		doc := d
		if i < len(next)-1 {
			doc = d.Clone()
		}
		t.run(t.nodes[ni], doc, st, res)
	}
}

// run applies one node to d and goes on to its children.
func (t *Tree) run(n *Node, d *Doc, st *TreeStats, res []result) {
	ns := &st.Nodes[n.Index]
	ns.In++
	ns.BytesIn += docBytes(d)
	before := d.Text
	hadHTML := d.HTML != nil
	start := time.Now()
	r := apply(n.step, d)
	ns.Nanos += int64(time.Since(start))
	if r.err != nil || r.reason != "" {
		out := Outcome{Reason: r.reason, Err: r.err}
		if r.err != nil {
			ns.Errors++
			out.Reason = ReasonError
		} else {
			ns.remove(r.reason)
		}
		for i, ri := range n.Recipes {
			o := out
			o.StepID = n.IDs[i]
			res[ri] = result{doc: d, out: o}
		}
		return
	}
	ns.Kept++
	ns.BytesOut += docBytes(d)
	if d.Text != before || (hadHTML && d.HTML == nil) {
		ns.Modified++
	}
	t.walk(n.children, n.ends, d, st, res)
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

// LoadTree reads the recipe files at paths and merges them into a tree.
func LoadTree(paths ...string) (*Tree, error) {
	var rs []*Recipe
	for _, p := range paths {
		r, err := LoadRecipe(p)
		if err != nil {
			for _, r := range rs {
				r.Close()
			}
			return nil, err
		}
		rs = append(rs, r)
	}
	return NewTree(rs)
}
