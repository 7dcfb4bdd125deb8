package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
)

// EvalFile is the evaluation's results in a run's output directory.
const EvalFile = "eval.json"

// Build reads a finished run's output directory (run.json, each recipe's
// stats.json and data/, observations.json and eval.json when there are)
// into its report.
func Build(dir string) (*Report, error) {
	var rr coordinator.RunRecord
	if err := readJSON(filepath.Join(dir, coordinator.RunFile), &rr); err != nil {
		return nil, err
	}
	rep := &Report{Version: Version, RunID: rr.RunID, Status: rr.Status, Dir: dir, Started: rr.Started, Ended: rr.Ended,
		WallSeconds: rr.WallSeconds, Annotated: rr.Annotated, Overlap: []Overlap{}, Failed: []Failure{},
		Tasks: TaskCounts{Total: rr.Summary.Tasks, OK: rr.Summary.OK, Failed: rr.Summary.Failed, NotRun: rr.Summary.NotRun,
			WithRecordErrors: rr.Summary.WithRecordErrors},
		Lineage: Lineage{RunFile: filepath.Join(dir, coordinator.RunFile), CuratorVersion: rr.CuratorVersion,
			CuratorCommit: rr.CuratorCommit, GoVersion: rr.GoVersion, Inputs: rr.Inputs, Recipes: rr.Recipes,
			Options: rr.Options, Source: rr.Source}}
	if rr.Pool != nil {
		rep.Lineage.PoolHash, rep.Lineage.PoolFiles, rep.Lineage.PoolBytes = rr.Pool.Hash, len(rr.Pool.Files), rr.Pool.Bytes
		rep.Documents.InputBytes = rr.Pool.Bytes
	}
	stats := make([]*coordinator.RecipeStats, len(rr.Recipes))
	for i, r := range rr.Recipes {
		st := &coordinator.RecipeStats{}
		if err := readJSON(filepath.Join(dir, r.Name, coordinator.StatsFile), st); err != nil {
			return nil, err
		}
		stats[i] = st
		rep.Recipes = append(rep.Recipes, recipeOf(st))
	}
	if len(stats) > 0 {
		d := stats[0].Documents
		rep.Documents.Records, rep.Documents.ReadErrors, rep.Documents.Skipped = d.Records, d.ReadErrors, d.Skipped
	}
	var obs coordinator.Observations
	err := readJSON(filepath.Join(dir, coordinator.ObservationsFile), &obs)
	switch {
	case err == nil:
		rep.Observed, rep.SamplesPerReason, rep.SamplesChanged = true, obs.SamplesPerReason, obs.SamplesChanged
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, err
	}
	rep.Tree = tree(rep.Recipes, &obs)
	if rep.Eval, err = readEval(filepath.Join(dir, EvalFile)); err != nil {
		return nil, err
	}
	if rep.Overlap, err = overlaps(dir, rep.Recipes); err != nil {
		return nil, err
	}
	for _, t := range rr.Tasks {
		if t.Status == "ok" {
			continue
		}
		name := strconv.FormatInt(t.Index, 10)
		if t.Resume != nil {
			name += fmt.Sprintf(" (node %d)", t.Resume.Node)
		}
		rep.Failed = append(rep.Failed, Failure{Task: name, Path: t.Path, Status: t.Status, Error: t.Error, Worker: t.Worker,
			ReadErrors: t.ReadErrors, RecordErrors: t.RecordErrors})
	}
	return rep, nil
}

// readJSON decodes the JSON file at path into v.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	return nil
}

// recipeOf is a recipe's funnel from its stats.json.
func recipeOf(st *coordinator.RecipeStats) Recipe {
	r := Recipe{Name: st.Recipe, Hash: st.Hash, Tokenizer: st.Tokenizer, Documents: st.Documents, Steps: []Step{}}
	for _, s := range st.Steps {
		step := Step{ID: s.ID, Use: s.Use, Node: s.Node, SharedWith: s.SharedWith, Counters: Counters{In: s.In, Kept: s.Kept,
			Errors: s.Errors, Modified: s.Modified, Reasons: counts(s.Removed), BytesIn: s.BytesIn, BytesOut: s.BytesOut},
			TokensIn: s.TokensIn, TokensOut: s.TokensOut, CPUSeconds: s.Time.CPUSeconds}
		for _, c := range step.Reasons {
			step.Removed += c.Count
		}
		if s.Threshold != nil {
			step.Threshold = s.Threshold.Threshold
		}
		r.Steps = append(r.Steps, step)
	}
	return r
}

// counts lists m by count, largest first, then by name.
func counts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.Count != b.Count {
			if a.Count > b.Count {
				return -1
			}
			return 1
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

// tree draws the recipes' steps as the recipe tree: every node once, with
// the recipes that run it, its gauges and samples.
func tree(recipes []Recipe, obs *coordinator.Observations) []Node {
	byIndex := map[int]*Node{}
	var order []int
	for _, r := range recipes {
		parent := -1
		for _, s := range r.Steps {
			n, ok := byIndex[s.Node]
			if !ok {
				n = &Node{Index: s.Node, Parent: parent, Use: s.Use, ID: s.ID, Counters: s.Counters,
					TokensOut: map[string]int64{}, Gauges: []Gauge{}, Removals: []Sample{}, Changes: []Sample{}}
				if e, ok := filters.Lookup(s.Use); ok {
					n.Kind = string(e.Kind)
				}
				byIndex[s.Node] = n
				order = append(order, s.Node)
			}
			n.Recipes = append(n.Recipes, r.Name)
			n.TokensOut[r.Name] = s.TokensOut
			parent = s.Node
		}
	}
	// Depth first, children in index order; a chain stays at its parent's
	// depth, and the children of a branch go one deeper.
	children := map[int][]int{}
	for _, i := range order {
		children[byIndex[i].Parent] = append(children[byIndex[i].Parent], i)
	}
	order = order[:0]
	var visit func(parent, depth int)
	visit = func(parent, depth int) {
		kids := children[parent]
		slices.Sort(kids)
		if len(kids) > 1 && parent >= 0 {
			depth++
		}
		for _, k := range kids {
			byIndex[k].Depth = depth
			order = append(order, k)
			visit(k, depth)
		}
	}
	visit(-1, 0)
	var nodes []Node
	for _, i := range order {
		n := byIndex[i]
		if i < len(obs.Nodes) && obs.Nodes[i].Node == i {
			on := obs.Nodes[i]
			for _, g := range on.Gauges {
				gg := Gauge{Gauge: g.Gauge, Histogram: g.Histogram}
				for _, c := range g.Counts {
					gg.N += c
				}
				gg.Thresholds = slices.Clone(gg.Thresholds)
				if th := rankThreshold(recipes, i); th != nil && g.Name == filters.MeasureScore {
					gg.Thresholds = append(gg.Thresholds, filters.Threshold{Param: "keep_top (the run's threshold)", Value: *th, Keep: ">="})
				}
				n.Gauges = append(n.Gauges, gg)
			}
			for _, s := range on.Samples {
				smp := Sample{SampleRecord: s, Violated: violated(n.Gauges, s.Values)}
				if s.Changed() {
					n.Changes = append(n.Changes, smp)
				} else {
					n.Removals = append(n.Removals, smp)
				}
			}
		}
		nodes = append(nodes, *n)
	}
	return nodes
}

// rankThreshold is the threshold the run fixed at node, nil if none.
func rankThreshold(recipes []Recipe, node int) *float64 {
	for _, r := range recipes {
		for _, s := range r.Steps {
			if s.Node == node && s.Threshold != nil {
				return s.Threshold
			}
		}
	}
	return nil
}

// violated lists the thresholds a sample's values fail.
func violated(gauges []Gauge, values map[string]float64) []string {
	var out []string
	for _, g := range gauges {
		v, ok := values[g.Name]
		if !ok {
			continue
		}
		for _, t := range g.Thresholds {
			if !t.Satisfied(v) {
				out = append(out, fmt.Sprintf("%s = %s, keeps %s %s (%s)", g.Name, Num(v), t.Keep, Num(t.Value), t.Param))
			}
		}
	}
	return out
}

// Num formats a gauge value or threshold briefly.
func Num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
