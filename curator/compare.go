package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/curator-dev/curator/curator/eval"
)

// comparison is what `curator compare` shows, and its JSON output.
type comparison struct {
	Runs []comparedRun `json:"runs"`
	// Differences say how the runs differ in suite or pool (only with
	// --force: otherwise they are refused).
	Differences []string         `json:"differences,omitempty"`
	Recipes     []comparedRecipe `json:"recipes"`
	// Overlap is the Jaccard index of the kept document ids of every pair.
	Overlap []overlapPair `json:"overlap"`
	// LMDifferences are the paired proxy LM differences of the recipes of
	// each run (eval.json's).
	LMDifferences []lmDifference `json:"lm_differences,omitempty"`
}

// comparedRun is one run compared.
type comparedRun struct {
	Dir       string `json:"dir"`
	RunID     string `json:"run_id"`
	Status    string `json:"status"`
	PoolHash  string `json:"pool_hash"`
	SuiteHash string `json:"suite_hash,omitempty"`
	Suite     string `json:"suite,omitempty"`
}

// comparedRecipe is one recipe's column.
type comparedRecipe struct {
	// Label names the recipe in the tables: its name, or RUN/NAME when
	// two runs have recipes of the same name.
	Label      string `json:"label"`
	Run        string `json:"run"`
	Recipe     string `json:"recipe"`
	RecipeHash string `json:"recipe_hash"`
	// Documents and Tokens enter the recipe; Funnel follows them.
	Documents int64        `json:"documents"`
	Tokens    int64        `json:"tokens"`
	Funnel    []funnelStep `json:"funnel"`
	// Eval is the recipe's evaluation (absent for a run not evaluated).
	Eval *recipeEval `json:"eval,omitempty"`
	// Ranks: 1 is best, among the recipes evaluated: human_precision (the
	// share of the kept human-labelled pages that are high quality; higher
	// is better) and lm_bits_per_byte (lower is better).
	Ranks map[string]int `json:"ranks,omitempty"`
}

// funnelStep is what remains after a step.
type funnelStep struct {
	Step      string `json:"step"`
	Use       string `json:"use"`
	Documents int64  `json:"documents"`
	Tokens    int64  `json:"tokens"`
}

// cmdCompare is `curator compare RUN_DIR...`.
func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("curator compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: curator compare [--format table|markdown|json] [--force] RUN_DIR [RUN_DIR...]")
		fmt.Fprintln(stderr, "Lines up the recipes of one or more runs: funnels, evaluation scores with intervals, overlap.")
		fs.PrintDefaults()
	}
	format := fs.String("format", "table", "output `format`: table, markdown or json")
	force := fs.Bool("force", false, "compare runs of different input pools or suite versions (the differences are shown)")
	dirs, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return fmt.Errorf("%w: compare needs at least one RUN_DIR", errUsage)
	}
	if !slices.Contains([]string{"table", "markdown", "json"}, *format) {
		return fmt.Errorf("%w: --format %q: want table, markdown or json", errUsage, *format)
	}
	c, err := compareRuns(dirs, *force)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	case "markdown":
		return writeComparison(stdout, c, markdownTable)
	default:
		return writeComparison(stdout, c, terminalTable)
	}
}

// compareRuns reads the runs in dirs and lines their recipes up. Runs over
// different pools, or evaluated with different suites, are refused unless
// force.
func compareRuns(dirs []string, force bool) (*comparison, error) {
	c := &comparison{}
	type loaded struct {
		dir  string
		eval *evalReport
	}
	var runs []loaded
	names := map[string]int{}
	for _, dir := range dirs {
		rr, err := readRun(dir)
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		cr := comparedRun{Dir: dir, RunID: rr.RunID, Status: rr.Status}
		if rr.Pool != nil {
			cr.PoolHash = rr.Pool.Hash
		}
		var ev *evalReport
		if b, err := os.ReadFile(filepath.Join(dir, EvalFile)); err == nil {
			ev = &evalReport{}
			if err := json.Unmarshal(b, ev); err != nil {
				return nil, fmt.Errorf("compare: %s: %w", filepath.Join(dir, EvalFile), err)
			}
			cr.SuiteHash, cr.Suite = ev.SuiteHash, ev.Suite
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("compare: %w", err)
		}
		c.Runs = append(c.Runs, cr)
		runs = append(runs, loaded{dir, ev})
		for _, r := range rr.Recipes {
			names[r.Name]++
		}
	}
	if diffs := runDifferences(c.Runs); len(diffs) > 0 {
		if !force {
			return nil, fmt.Errorf("compare: the runs cannot be compared as they are (--force compares them anyway):\n  %s", strings.Join(diffs, "\n  "))
		}
		c.Differences = diffs
	}
	var ids [][]string
	for i, l := range runs {
		rr, err := readRun(l.dir)
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		labels := map[string]string{}
		for _, r := range rr.Recipes {
			st, err := readStats(l.dir, r.Name)
			if err != nil {
				return nil, fmt.Errorf("compare: %w", err)
			}
			label := r.Name
			if names[r.Name] > 1 {
				label = filepath.Base(filepath.Clean(l.dir)) + "/" + r.Name
			}
			cr := comparedRecipe{Label: label, Run: c.Runs[i].RunID, Recipe: r.Name, RecipeHash: r.Hash,
				Documents: st.Documents.Records, Tokens: st.Documents.Tokens}
			for _, s := range st.Steps {
				cr.Funnel = append(cr.Funnel, funnelStep{Step: s.ID, Use: s.Use, Documents: s.Kept, Tokens: s.TokensOut})
			}
			if l.eval != nil {
				for k := range l.eval.Recipes {
					if e := &l.eval.Recipes[k]; e.Recipe == r.Name && e.RecipeHash == r.Hash {
						cr.Eval = e
					}
				}
			}
			var kept []string
			if err := readKept(l.dir, r.Name, func(d *keptDoc) error { kept = append(kept, d.ID); return nil }); err != nil {
				return nil, fmt.Errorf("compare: %w", err)
			}
			c.Recipes = append(c.Recipes, cr)
			ids = append(ids, kept)
			labels[r.Name] = label
		}
		if l.eval != nil {
			for _, d := range l.eval.LMDifferences {
				d.A, d.B = labels[d.A], labels[d.B]
				c.LMDifferences = append(c.LMDifferences, d)
			}
		}
	}
	for i := range c.Recipes {
		for j := i + 1; j < len(c.Recipes); j++ {
			c.Overlap = append(c.Overlap, overlapPair{A: c.Recipes[i].Label, B: c.Recipes[j].Label, Jaccard: eval.Jaccard(ids[i], ids[j])})
		}
	}
	rankRecipes(c.Recipes)
	return c, nil
}

// runDifferences says how the runs differ in input pool and suite.
func runDifferences(runs []comparedRun) []string {
	var diffs []string
	for _, r := range runs[1:] {
		first := runs[0]
		if r.PoolHash != first.PoolHash {
			diffs = append(diffs, fmt.Sprintf("input pools differ: %s has %s, %s has %s", first.Dir, orNone(first.PoolHash), r.Dir, orNone(r.PoolHash)))
		}
		if r.SuiteHash != "" && first.SuiteHash != "" && r.SuiteHash != first.SuiteHash {
			diffs = append(diffs, fmt.Sprintf("evaluation suites differ: %s was evaluated with %s (%s), %s with %s (%s)",
				first.Dir, first.Suite, first.SuiteHash, r.Dir, r.Suite, r.SuiteHash))
		}
		if (r.SuiteHash == "") != (first.SuiteHash == "") {
			diffs = append(diffs, fmt.Sprintf("%s was evaluated and %s was not (curator eval RUN_DIR evaluates it)", pick(first.SuiteHash != "", first.Dir, r.Dir), pick(first.SuiteHash != "", r.Dir, first.Dir)))
		}
	}
	return diffs
}

func orNone(s string) string {
	if s == "" {
		return "no pool record"
	}
	return s
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// rankRecipes ranks the evaluated recipes on human agreement by precision
// (higher first: how much of what a recipe keeps people call high quality;
// F1 and recall also reward keeping more, which the yield columns show) and
// by the proxy LM's bits per byte (lower first); ties by label.
func rankRecipes(rs []comparedRecipe) {
	var ev []int
	for i := range rs {
		if rs[i].Eval != nil {
			ev = append(ev, i)
			rs[i].Ranks = map[string]int{}
		}
	}
	rank := func(key string, better func(a, b *recipeEval) int) {
		order := slices.Clone(ev)
		slices.SortStableFunc(order, func(a, b int) int {
			if c := better(rs[a].Eval, rs[b].Eval); c != 0 {
				return c
			}
			return strings.Compare(rs[a].Label, rs[b].Label)
		})
		for k, i := range order {
			rs[i].Ranks[key] = k + 1
		}
	}
	rank("human_precision", func(a, b *recipeEval) int { return cmp.Compare(b.Human.Precision.Value, a.Human.Precision.Value) })
	rank("lm_bits_per_byte", func(a, b *recipeEval) int { return cmp.Compare(a.LM.BitsPerByte.Value, b.LM.BitsPerByte.Value) })
}
