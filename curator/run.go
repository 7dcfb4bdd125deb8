package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/workers"
	"golang.org/x/term"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// byteSize is a size flag that takes suffixes: 64MiB, 500MB, 1GiB, 4096.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }
func (b *byteSize) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes, optionally with KiB, MiB, GiB, KB, MB or GB", s)
	}
	return n * mult, nil
}

// runFlags are the flags of `curator run`.
type runFlags struct {
	recipes              stringList
	set                  stringList
	exactScores          int
	output               string
	workers              int
	keepRemoved          bool
	taskBytes            byteSize
	dedupMemory          byteSize
	zstdDict             string
	maxRecordBytes       byteSize
	maxDecompressedBytes byteSize
	logLevel             string
	logFormat            string
	ackWait              time.Duration
	maxDeliver           int
	overwrite            bool
	cpuProfile           string
	annotate             bool
	eval                 bool
	suite                string
	inputs               []string
	dash                 *dashboardFlags
}

func parseRunFlags(args []string, stderr io.Writer) (*runFlags, error) {
	f := &runFlags{taskBytes: coordinator.DefaultTaskBytes}
	fs := flag.NewFlagSet("curator run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: curator run --recipe FILE [--recipe FILE ...] --output DIR [flags] INPUT...")
		fmt.Fprintln(stderr, "INPUT is a shard file, a directory (walked for .warc/.wet/.jsonl[.gz|.zst] files) or a glob.")
		fs.PrintDefaults()
	}
	fs.Var(&f.recipes, "recipe", "recipe YAML `file` (repeat for several recipes; they share common prefixes)")
	fs.Var(&f.set, "set", "override a step parameter: `[RECIPE:]STEP.PARAM=VALUE` (VALUE in YAML; repeat; e.g. fasttext_quality.keep_top=0.1)")
	fs.IntVar(&f.exactScores, "exact-scores", 0, "rank up to this many keep_top scores exactly; beyond, a sketch with a stated rank error (0: 16777216)")
	fs.StringVar(&f.output, "output", "", "output `dir`ectory: <recipe>/data, <recipe>/stats.json, run.json")
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "number of workers")
	fs.BoolVar(&f.keepRemoved, "keep-removed", false, "also write removed documents to <recipe>/removed with the step and reason")
	fs.Var(&f.taskBytes, "task-bytes", "target `size` of a record-range task (e.g. 64MiB)")
	fs.Var(&f.dedupMemory, "dedup-memory", "memory a dedup step's filter may use (e.g. 64GiB); a larger plan refuses to start (default: half the machine's memory)")
	fs.StringVar(&f.zstdDict, "zstd-dict", "", "external zstd dictionary `file` for zstd shards written with one")
	fs.Var(&f.maxRecordBytes, "max-record-bytes", "largest record `size` read; larger ones are skipped (0: reader default)")
	fs.Var(&f.maxDecompressedBytes, "max-decompressed-bytes", "largest decompressed HTTP body `size` (0: reader default)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.StringVar(&f.logFormat, "log-format", "text", "log `format` when stderr is not a terminal: text or json")
	fs.DurationVar(&f.ackWait, "ack-wait", coordinator.DefaultAckWait, "how long a task may go without a worker heartbeat before it is redelivered")
	fs.IntVar(&f.maxDeliver, "max-deliver", coordinator.DefaultMaxDeliver, "deliveries of a task before it is failed")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to `file` (go tool pprof reads it)")
	fs.BoolVar(&f.annotate, "annotate", false, "keep every document with every step's measurements and verdict, for curator select")
	fs.BoolVar(&f.eval, "eval", false, "evaluate the recipes on the evaluation suite at the end of the run (as curator eval)")
	fs.StringVar(&f.suite, "suite", "", "evaluation suite `dir`ectory for --eval (default: the suite built into curator)")
	fs.BoolVar(&f.overwrite, "overwrite", false, "delete what an earlier run wrote to --output first (only a directory holding run.json)")
	f.dash = registerDashboard(fs)
	var err error
	if f.inputs, err = parseMixed(fs, args); err != nil {
		return nil, err
	}
	switch {
	case len(f.recipes) == 0:
		return nil, fmt.Errorf("%w: run needs at least one --recipe", errUsage)
	case f.output == "":
		return nil, fmt.Errorf("%w: run needs --output", errUsage)
	case len(f.inputs) == 0:
		return nil, fmt.Errorf("%w: run needs at least one INPUT", errUsage)
	case f.workers < 1:
		return nil, fmt.Errorf("%w: --workers must be at least 1", errUsage)
	case f.logFormat != "text" && f.logFormat != "json":
		return nil, fmt.Errorf("%w: --log-format must be text or json", errUsage)
	case f.eval && f.annotate:
		return nil, fmt.Errorf("%w: --eval evaluates what recipes keep, and --annotate keeps everything: select from the annotated run, then evaluate the selection", errUsage)
	case f.suite != "" && !f.eval:
		return nil, fmt.Errorf("%w: --suite goes with --eval", errUsage)
	}
	return f, nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("%w: --log-level %q: want debug, info, warn or error", errUsage, s)
	}
	return l, nil
}

// cmdRun is `curator run`.
func cmdRun(args []string, stdout, stderr io.Writer) error {
	f, err := parseRunFlags(args, stderr)
	if err != nil {
		return err
	}
	level, err := parseLevel(f.logLevel)
	if err != nil {
		return err
	}
	if f.overwrite {
		if err := clearOutput(f.output); err != nil {
			return err
		}
	}
	// On a terminal: a progress bar, and only warnings and errors logged
	// above it. Otherwise: structured logs.
	var bar *progressBar
	var logger *slog.Logger
	if file, ok := stderr.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
		bar = newProgressBar(stderr)
		logger = slog.New(slog.NewTextHandler(bar, &slog.HandlerOptions{Level: max(level, slog.LevelWarn)}))
	} else if f.logFormat == "json" {
		logger = slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	} else {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	}

	// Steps log through slog's default logger (building them, too): give
	// them this run's.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(logger)

	var set []filters.Override
	for _, s := range f.set {
		o, err := filters.ParseOverride(s)
		if err != nil {
			return err
		}
		set = append(set, o)
	}
	tree, err := filters.LoadTreeWith(f.recipes, set)
	if err != nil {
		return err
	}
	defer tree.Close()
	if f.annotate {
		if err := workers.Annotate(tree); err != nil {
			return err
		}
	} else {
		tree.SetObserve(true) // gauges and samples for the report
	}

	// The first SIGINT or SIGTERM drains: tasks in hand are finished and
	// reported. A second one abandons them.
	drain, ctx, stopSignals := signals(logger)
	defer stopSignals()

	cfg := coordinator.LocalConfig{
		Config: coordinator.Config{
			Tree:                 tree,
			ExactScores:          f.exactScores,
			Inputs:               f.inputs,
			OutputDir:            f.output,
			TaskBytes:            int64(f.taskBytes),
			DedupMemory:          uint64(f.dedupMemory),
			MaxRecordBytes:       int64(f.maxRecordBytes),
			MaxDecompressedBytes: int64(f.maxDecompressedBytes),
			ZstdDict:             f.zstdDict,
			KeepRemoved:          f.keepRemoved,
			AckWait:              f.ackWait,
			MaxDeliver:           f.maxDeliver,
			CuratorVersion:       curatorVersion(),
			Annotate:             f.annotate,
			Logger:               logger,
		},
		Workers: f.workers,
		Drain:   drain,
	}
	if bar != nil {
		cfg.Progress = bar.Update
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	dash, err := startDashboard(ctx, f.dash, drain, &cfg, logger, bar)
	if err != nil {
		return err
	}
	defer dash.close()
	rep, err := coordinator.RunLocal(ctx, cfg)
	if bar != nil {
		bar.Done()
	}
	if rep != nil {
		printSummary(stdout, rep, tree.Recipes())
		// With --eval the report is written again with the evaluation.
		w := stdout
		if f.eval {
			w = io.Discard
		}
		if rerr := writeReport(w, f.output); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err != nil || !f.eval {
		return err
	}
	if rep.Failed > 0 || rep.NotRun > 0 || ctx.Err() != nil {
		return fmt.Errorf("the run did not finish, so it was not evaluated")
	}
	erep, err := evaluateRun(ctx, f.output, evalOptions{suite: f.suite, workers: f.workers, log: logger})
	if err != nil {
		return err
	}
	printEval(stdout, erep)
	return writeReport(stdout, f.output)
}

// printSummary says where the results are.
func printSummary(w io.Writer, rep *coordinator.Report, recipes []*filters.Recipe) {
	fmt.Fprintf(w, "run %s: %d tasks, %d failed, %d not run, %d documents read in %s\n",
		rep.RunID, rep.Tasks, rep.Failed, rep.NotRun, rep.Records, rep.Elapsed.Round(time.Millisecond))
	for _, r := range recipes {
		dir := filepath.Join(rep.OutputDir, r.Name)
		stats := filepath.Join(dir, coordinator.StatsFile)
		fmt.Fprintf(w, "  %s: %s (stats: %s)\n", r.Name, filepath.Join(dir, "data"), stats)
		if err := printFunnel(w, stats); err != nil {
			fmt.Fprintf(w, "    (no funnel: %v)\n", err)
		}
	}
	fmt.Fprintf(w, "  lineage: %s\n", rep.RunFile)
	if rep.Failed > 0 {
		fmt.Fprintf(w, "  %d tasks failed; their errors are in %s\n", rep.Failed, rep.RunFile)
	}
}

// clearOutput deletes an earlier run's output directory. It refuses a
// directory that does not hold a run.json: that is not curator's to delete.
func clearOutput(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--overwrite: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, coordinator.RunFile)); err != nil {
		return fmt.Errorf("--overwrite: %s holds no %s, so it is not a curator output directory; refusing to delete it", dir, coordinator.RunFile)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("--overwrite: %w", err)
	}
	return nil
}

// startCPUProfile profiles the process into path until the returned
// function is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
