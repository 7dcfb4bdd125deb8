package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/tokens"
	"github.com/curator-dev/curator/internal/quantile"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
)

// selectFlags are the flags of `curator select`.
type selectFlags struct {
	from        string
	source      string
	recipes     stringList
	set         stringList
	output      string
	workers     int
	keepRemoved bool
	overwrite   bool
	eval        bool
	suite       string
	exactScores int
	logLevel    string
	cpuProfile  string
}

func parseSelectFlags(args []string, stderr io.Writer) (*selectFlags, error) {
	f := &selectFlags{}
	fs := flag.NewFlagSet("curator select", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: curator select --from RUN_DIR --recipe FILE [--recipe FILE...] --output DIR [flags]")
		fmt.Fprintln(stderr, "Applies recipes to a run made with --annotate from the measurements it recorded, without")
		fmt.Fprintln(stderr, "measuring again (new thresholds, another order of filters, another keep_top fraction).")
		fs.PrintDefaults()
	}
	fs.StringVar(&f.from, "from", "", "the annotated run's output `dir`ectory (curator run --annotate)")
	fs.StringVar(&f.source, "source", "", "the annotated run's `recipe` to select from (default: the first that can serve each recipe)")
	fs.Var(&f.recipes, "recipe", "recipe YAML `file` to apply (repeat for several)")
	fs.Var(&f.set, "set", "override a step parameter: `[RECIPE:]STEP.PARAM=VALUE` (as curator run)")
	fs.StringVar(&f.output, "output", "", "output `dir`ectory of the selection (a run directory of its own)")
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "files read at once")
	fs.BoolVar(&f.keepRemoved, "keep-removed", false, "also write removed documents to <recipe>/removed")
	fs.BoolVar(&f.overwrite, "overwrite", false, "delete what an earlier run wrote to --output first")
	fs.BoolVar(&f.eval, "eval", false, "evaluate the selection on the evaluation suite (as curator eval)")
	fs.StringVar(&f.suite, "suite", "", "evaluation suite `dir`ectory for --eval")
	fs.IntVar(&f.exactScores, "exact-scores", 0, "rank up to this many keep_top scores exactly (as curator run)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("%w: select takes no arguments (%q): the documents come from --from", errUsage, fs.Args())
	case f.from == "":
		return nil, fmt.Errorf("%w: select needs --from RUN_DIR", errUsage)
	case len(f.recipes) == 0:
		return nil, fmt.Errorf("%w: select needs at least one --recipe", errUsage)
	case f.output == "":
		return nil, fmt.Errorf("%w: select needs --output", errUsage)
	case f.workers < 1:
		return nil, fmt.Errorf("%w: --workers must be at least 1", errUsage)
	case f.suite != "" && !f.eval:
		return nil, fmt.Errorf("%w: --suite goes with --eval", errUsage)
	}
	return f, nil
}

// cmdSelect is `curator select`.
func cmdSelect(args []string, stdout, stderr io.Writer) error {
	f, err := parseSelectFlags(args, stderr)
	if err != nil {
		return err
	}
	level, err := parseLevel(f.logLevel)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f.overwrite {
		if err := clearOutput(f.output); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(f.output, coordinator.RunFile)); err == nil {
		return fmt.Errorf("select: %s already holds a run (--overwrite replaces it)", f.output)
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	rep, recipes, err := selectRun(ctx, f, log)
	if err != nil {
		return err
	}
	printSummary(stdout, rep, recipes)
	if !f.eval {
		return nil
	}
	erep, err := evaluateRun(ctx, f.output, evalOptions{suite: f.suite, workers: f.workers, log: log})
	if err != nil {
		return err
	}
	printEval(stdout, erep)
	return nil
}

// selectGroup is the target recipes served by one source recipe.
type selectGroup struct {
	source  int   // the source recipe's index in the annotated run
	targets []int // target indexes
	sels    []*filters.Selection
	files   []string
}

// selectRun makes the selection and writes its outputs, stats.json and
// run.json.
func selectRun(ctx context.Context, f *selectFlags, log *slog.Logger) (*coordinator.Report, []*filters.Recipe, error) {
	start := time.Now()
	src, err := readRun(f.from)
	if err != nil {
		return nil, nil, fmt.Errorf("select: %w", err)
	}
	switch {
	case !src.Annotated:
		return nil, nil, fmt.Errorf("select: %s is not an annotated run (make one with curator run --annotate)", f.from)
	case src.Status != "ok":
		return nil, nil, fmt.Errorf("select: the annotated run %s ended %s, not ok", f.from, src.Status)
	}
	srcTree, err := loadRunRecipes(src, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("select: the annotated run's recipes: %w", err)
	}
	defer srcTree.Close()
	var set []filters.Override
	for _, s := range f.set {
		o, err := filters.ParseOverride(s)
		if err != nil {
			return nil, nil, err
		}
		set = append(set, o)
	}
	tgtTree, err := filters.LoadTreeWith(f.recipes, set)
	if err != nil {
		return nil, nil, err
	}
	defer tgtTree.Close()
	targets := tgtTree.Recipes()
	groups, err := planGroups(srcTree.Recipes(), targets, f.source)
	if err != nil {
		return nil, nil, err
	}
	enc, err := tokens.R50k()
	if err != nil {
		return nil, nil, err
	}
	thresholds := make([]map[string]float64, len(targets))
	for i := range thresholds {
		thresholds[i] = map[string]float64{}
	}
	var records []*coordinator.ThresholdRecord
	stats := make([]*filters.TreeStats, len(targets))
	exit := make([][]int64, len(targets))
	keptTokens := make([]int64, len(targets))
	keptWords := make([]int64, len(targets))
	keptText := make([]int64, len(targets))
	var tasks []coordinator.TaskRecord
	var total int64
	for _, g := range groups {
		srcName := srcTree.Recipes()[g.source].Name
		g.files, err = filepath.Glob(filepath.Join(f.from, srcName, workers.DataDir, "*.jsonl.zst"))
		if err != nil {
			return nil, nil, err
		}
		slices.Sort(g.files)
		gthr := make([]map[string]float64, len(g.targets))
		for k, ti := range g.targets {
			gthr[k] = thresholds[ti]
		}
		recs, err := fixSelectThresholds(ctx, g, gthr, targets, f)
		if err != nil {
			return nil, nil, err
		}
		records = append(records, recs...)
		gtargets := make([]*filters.Recipe, len(g.targets))
		for k, ti := range g.targets {
			gtargets[k] = targets[ti]
		}
		results, err := selectFiles(ctx, g, gthr, workers.SelectOptions{Dir: f.output, Targets: gtargets, KeepRemoved: f.keepRemoved, Tokens: enc}, f.workers)
		if err != nil {
			return nil, nil, err
		}
		var groupRecords int64
		for fi, res := range results {
			groupRecords += res.Records
			tr := coordinator.TaskRecord{Index: int64(len(tasks)), Path: g.files[fi], Status: "ok", Records: res.Records}
			for k, ti := range g.targets {
				if stats[ti] == nil {
					stats[ti] = g.sels[k].NewStats()
					exit[ti] = make([]int64, len(targets[ti].Steps))
				}
				stats[ti].Merge(res.Stats[k])
			}
			for _, o := range res.Outputs {
				ti := g.targets[o.GetRecipe()]
				keptTokens[ti] += o.GetKeptTokens()
				keptWords[ti] += o.GetKeptWords()
				keptText[ti] += o.GetKeptTextBytes()
				for si, n := range o.GetExitTokens() {
					exit[ti][si] += n
				}
				for _, x := range []struct {
					kind string
					out  *pb.Output
				}{{"data", o.GetData()}, {"removed", o.GetRemoved()}} {
					if x.out != nil {
						tr.Outputs = append(tr.Outputs, coordinator.OutputRecord{Recipe: targets[ti].Name, Kind: x.kind,
							Path: x.out.GetPath(), Sha256: x.out.GetSha256(), Docs: x.out.GetDocs(), Bytes: x.out.GetBytes()})
					}
				}
			}
			tasks = append(tasks, tr)
		}
		total = max(total, groupRecords)
	}
	ended := time.Now()
	for ti, r := range targets {
		srcStats, err := readStats(f.from, srcTree.Recipes()[sourceOf(groups, ti)].Name)
		if err != nil {
			return nil, nil, fmt.Errorf("select: %w", err)
		}
		st := selectionStats(r, stats[ti], keptTokens[ti], exit[ti], srcStats, ended.Sub(start))
		st.Documents.KeptWords, st.Documents.KeptTextBytes = keptWords[ti], keptText[ti]
		for _, rec := range records {
			if rec.Recipes[0] == r.Name {
				st.Steps[rec.Node].Threshold = rec
			}
		}
		if err := coordinator.WriteJSON(filepath.Join(f.output, r.Name, coordinator.StatsFile), st); err != nil {
			return nil, nil, err
		}
	}
	rr, err := selectionRecord(f, src, srcTree, groups, targets, records, tasks, total, start, ended)
	if err != nil {
		return nil, nil, err
	}
	for ti := range targets {
		rr.Recipes[ti].KeptTokens, rr.Recipes[ti].KeptWords, rr.Recipes[ti].KeptTextBytes = keptTokens[ti], keptWords[ti], keptText[ti]
		rr.Recipes[ti].KeptDocuments = stats[ti].Nodes[len(stats[ti].Nodes)-1].Kept
	}
	runFile := filepath.Join(f.output, coordinator.RunFile)
	if err := coordinator.WriteJSON(runFile, rr); err != nil {
		return nil, nil, err
	}
	log.Info("selection done", "from", f.from, "recipes", len(targets), "records", total, "seconds", ended.Sub(start).Seconds())
	return &coordinator.Report{RunID: rr.RunID, OutputDir: f.output, RunFile: runFile, Tasks: len(tasks), Records: total,
		Elapsed: ended.Sub(start)}, targets, nil
}

// planGroups finds, for every target recipe, the source recipe that can
// serve it (the one named, or the first that can), and groups the targets
// by source.
func planGroups(sources, targets []*filters.Recipe, name string) ([]*selectGroup, error) {
	var groups []*selectGroup
	bySource := map[int]*selectGroup{}
	for ti, t := range targets {
		var problems []string
		found := false
		for si, s := range sources {
			if name != "" && s.Name != name {
				continue
			}
			sel, err := filters.PlanSelection(s, t)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			g := bySource[si]
			if g == nil {
				g = &selectGroup{source: si}
				bySource[si] = g
				groups = append(groups, g)
			}
			g.targets = append(g.targets, ti)
			g.sels = append(g.sels, sel)
			found = true
			break
		}
		if !found {
			if len(problems) == 0 {
				return nil, fmt.Errorf("select: the annotated run has no recipe %q", name)
			}
			return nil, fmt.Errorf("select: %s", strings.Join(problems, "\n"))
		}
	}
	return groups, nil
}

// sourceOf is the source recipe of target ti.
func sourceOf(groups []*selectGroup, ti int) int {
	for _, g := range groups {
		if slices.Contains(g.targets, ti) {
			return g.source
		}
	}
	return -1
}

// fixSelectThresholds fixes the thresholds of the group's keep_top steps,
// shallowest first, from the scores of the documents that reach them, as a
// run would: one pass over the files for each depth of keep_top steps.
func fixSelectThresholds(ctx context.Context, g *selectGroup, thr []map[string]float64, targets []*filters.Recipe, f *selectFlags) ([]*coordinator.ThresholdRecord, error) {
	any := false
	for _, s := range g.sels {
		any = any || len(s.Rankers()) > 0
	}
	if !any {
		return nil, nil
	}
	exact := f.exactScores
	if exact <= 0 {
		exact = quantile.DefaultExactLimit
	}
	var out []*coordinator.ThresholdRecord
	for {
		// Scores per file, then in file order: the order a run adds them.
		perFile := make([][]map[string][]float64, len(g.files))
		err := forFiles(ctx, len(g.files), f.workers, func(fi int) error {
			var err error
			perFile[fi], err = workers.StagedScores(ctx, g.files[fi], g.sels, thr)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("select: %w", err)
		}
		fixed := 0
		for k, s := range g.sels {
			for _, si := range s.Rankers() {
				id := s.Target().Steps[si].ID
				if _, done := thr[k][id]; done {
					continue
				}
				r := quantile.NewRanker(exact, 0)
				n := 0
				for _, pf := range perFile {
					for _, x := range pf[k][id] {
						if err := r.Add(x); err != nil {
							return nil, fmt.Errorf("select: keep_top step %s: %w", id, err)
						}
						n++
					}
				}
				if n == 0 {
					continue
				}
				rec := &coordinator.ThresholdRecord{StepRef: coordinator.StepRef{Node: si, Use: s.Target().Steps[si].Use,
					Recipes: []string{s.Target().Name}, StepIDs: []string{id}}, KeepTop: s.KeepTop(si),
					ExactLimit: exact, SketchCapacity: quantile.DefaultCapacity}
				if err := coordinator.FixThreshold(rec, r); err != nil {
					return nil, fmt.Errorf("select: keep_top step %s: %w", id, err)
				}
				if rec.Threshold != nil {
					thr[k][id] = *rec.Threshold
				}
				out = append(out, rec)
				fixed++
			}
		}
		if fixed == 0 {
			return out, nil
		}
	}
}

// selectFiles applies the group's selections to every file, workers files
// at a time; the results are in file order.
func selectFiles(ctx context.Context, g *selectGroup, thr []map[string]float64, o workers.SelectOptions, n int) ([]*workers.SelectFileResult, error) {
	results := make([]*workers.SelectFileResult, len(g.files))
	err := forFiles(ctx, len(g.files), n, func(fi int) error {
		var err error
		results[fi], err = workers.SelectFile(ctx, g.files[fi], g.sels, thr, o)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("select: %w", err)
	}
	return results, nil
}

// forFiles calls fn for 0..n-1, at most workers at once, and returns the
// first error.
func forFiles(ctx context.Context, n, workers int, fn func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, max(1, workers))
	var wg sync.WaitGroup
	for i := range n {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// selectionStats is a target recipe's stats.json.
func selectionStats(r *filters.Recipe, ts *filters.TreeStats, kept int64, exit []int64, src *coordinator.RecipeStats, wall time.Duration) *coordinator.RecipeStats {
	st := &coordinator.RecipeStats{Recipe: r.Name, Hash: r.Hash, Tokenizer: workers.TokenizerName,
		Documents: coordinator.DocumentCounts{Records: src.Documents.Records, ReadErrors: src.Documents.ReadErrors,
			Skipped: src.Documents.Skipped, KeptTokens: kept},
		Time: coordinator.RunTime{WallSeconds: wall.Seconds()}}
	var after []int64
	st.Documents.Tokens, after = coordinator.TokenFunnel(kept, exit)
	in := st.Documents.Tokens
	for si, s := range r.Steps {
		ns := ts.Nodes[si]
		removed := ns.Removed
		if removed == nil {
			removed = map[string]int64{}
		}
		st.Steps = append(st.Steps, coordinator.StepStats{ID: s.ID, Use: s.Use, Node: si, In: ns.In, Kept: ns.Kept, Removed: removed,
			Modified: ns.Modified, Errors: ns.Errors, BytesIn: ns.BytesIn, BytesOut: ns.BytesOut, TokensIn: in, TokensOut: after[si]})
		in = after[si]
		st.Documents.Removed += ns.RemovedTotal()
		st.Documents.Errors += ns.Errors
	}
	if n := len(st.Steps); n > 0 {
		st.Documents.Kept = st.Steps[n-1].Kept
	}
	return st
}

// selectionRecord is a selection's run.json: a run of its own whose lineage
// points at the annotated run.
func selectionRecord(f *selectFlags, src *coordinator.RunRecord, srcTree *filters.Tree, groups []*selectGroup, targets []*filters.Recipe,
	thresholds []*coordinator.ThresholdRecord, tasks []coordinator.TaskRecord, records int64, start, ended time.Time) (*coordinator.RunRecord, error) {
	b, err := os.ReadFile(filepath.Join(f.from, coordinator.RunFile))
	if err != nil {
		return nil, fmt.Errorf("select: %w", err)
	}
	sum := sha256.Sum256(b)
	abs, err := filepath.Abs(f.from)
	if err != nil {
		return nil, fmt.Errorf("select: %w", err)
	}
	var names, hashes []string
	for _, g := range groups {
		names = append(names, srcTree.Recipes()[g.source].Name)
		hashes = append(hashes, srcTree.Recipes()[g.source].Hash)
	}
	rr := &coordinator.RunRecord{RunID: coordinator.NewRunID(), Status: "ok", CuratorVersion: curatorVersion(),
		CuratorCommit: coordinator.BuildCommit(), GoVersion: runtime.Version(), Started: start.UTC(), Ended: ended.UTC(),
		WallSeconds: ended.Sub(start).Seconds(), OutputDir: f.output, Inputs: src.Inputs, Pool: src.Pool, Files: src.Files,
		Options: coordinator.OptionsRecord{KeepRemoved: f.keepRemoved}, Thresholds: thresholds,
		Source: &coordinator.SourceRecord{RunID: src.RunID, OutputDir: abs, RunFileSHA256: hex.EncodeToString(sum[:]),
			Recipe: strings.Join(names, ","), RecipeHash: strings.Join(hashes, ",")},
		Summary: coordinator.SummaryRecord{Tasks: len(tasks), OK: len(tasks), Records: records}, Tasks: tasks}
	for _, t := range targets {
		rr.Recipes = append(rr.Recipes, coordinator.NewRecipeRecord(t))
	}
	return rr, nil
}

// loadRunRecipes rebuilds a run's recipes from its run.json (their files,
// with their overrides and extra ones), checking that each still has the
// hash it had in the run.
func loadRunRecipes(rr *coordinator.RunRecord, extra []filters.Override) (*filters.Tree, error) {
	var paths []string
	var set []filters.Override
	seen := map[string]bool{}
	for _, r := range rr.Recipes {
		paths = append(paths, r.Path)
		for _, s := range r.Set {
			if seen[s] {
				continue
			}
			seen[s] = true
			o, err := filters.ParseOverride(s)
			if err != nil {
				return nil, fmt.Errorf("recipe %s: %w", r.Name, err)
			}
			set = append(set, o)
		}
	}
	check, err := filters.CheckRecipes(paths, set)
	if err != nil {
		return nil, err
	}
	for i, r := range check {
		if r.Hash != rr.Recipes[i].Hash {
			return nil, fmt.Errorf("recipe %s (%s) changed since the run: hash %s, the run's %s",
				r.Name, rr.Recipes[i].Path, r.Hash, rr.Recipes[i].Hash)
		}
	}
	return filters.LoadTreeWith(paths, append(set, extra...))
}
