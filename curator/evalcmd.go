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
	"runtime"
	"syscall"
)

// cmdEval is `curator eval RUN_DIR`.
func cmdEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("curator eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: curator eval [--suite DIR] [flags] RUN_DIR")
		fmt.Fprintln(stderr, "Evaluates a finished run's recipes on a suite (the default suite ships with curator);")
		fmt.Fprintln(stderr, "writes RUN_DIR/eval.json and adds the results to RUN_DIR/run.json.")
		fs.PrintDefaults()
	}
	o := evalOptions{}
	fs.StringVar(&o.suite, "suite", "", "evaluation suite `dir`ectory (default: the suite built into curator)")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "workers for the suite's pages and the recipes' metrics")
	fs.BoolVar(&o.force, "force", false, "evaluate a run that did not end ok")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: eval needs one RUN_DIR", errUsage)
	}
	level, err := parseLevel(*logLevel)
	if err != nil {
		return err
	}
	o.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	// Steps log through slog's default logger: give them this one.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(o.log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := evaluateRun(ctx, fs.Arg(0), o)
	if err != nil {
		return err
	}
	printEval(stdout, rep)
	return writeReport(stdout, fs.Arg(0))
}

// printEval summarizes an evaluation.
func printEval(w io.Writer, rep *evalReport) {
	fmt.Fprintf(w, "evaluation of run %s with suite %s (%s)\n", rep.RunID, rep.Suite, rep.SuiteHash)
	for _, r := range rep.Recipes {
		h, lm := r.Human, r.LM
		fmt.Fprintf(w, "  %s: human precision %.3f [%.3f, %.3f] (recall %.3f, F1 %.3f); proxy LM %.4f bits/byte [%.4f, %.4f] on %d tokens%s; kept %.1f%% of documents, %.1f%% of tokens\n",
			r.Recipe, h.Precision.Value, h.Precision.Low, h.Precision.High, h.Recall.Value, h.F1.Value,
			lm.BitsPerByte.Value, lm.BitsPerByte.Low, lm.BitsPerByte.High, lm.TrainTokens, map[bool]string{true: " (short of the budget)"}[lm.Short],
			100*r.Yield.DocumentShare, 100*r.Yield.TokenShare)
	}
}
