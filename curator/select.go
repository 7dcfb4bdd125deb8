package main

import (
	"context"
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
	"syscall"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/tokens"
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
	if err := writeReport(stdout, f.output); err != nil {
		return err
	}
	if !f.eval {
		return nil
	}
	erep, err := evaluateRun(ctx, f.output, evalOptions{suite: f.suite, workers: f.workers, log: log})
	if err != nil {
		return err
	}
	printEval(stdout, erep)
	return writeReport(stdout, f.output)
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
		recs, err := fixSelectThresholds(ctx, g, gthr, f)
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
