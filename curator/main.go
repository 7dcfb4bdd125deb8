// Command curator cleans web crawls into training data, DCLM-style: it runs
// one or more recipes of curation steps over a pool of WARC, WET or JSONL
// shards and writes, per recipe, curated jsonl.zst shards and their funnel.
//
// Usage:
//
//	curator run --recipe FILE [--recipe FILE ...] --output DIR [flags] INPUT...
//	curator coordinator --nats URL --output-root DIR [flags]
//	curator worker --nats URL [flags]
//	curator submit --nats URL --recipe FILE [--output NAME] [flags] INPUT...
//	curator status|wait|cancel --nats URL RUN
//	curator put --nats URL --bucket NAME FILE...
//	curator select --from RUN_DIR --recipe FILE --output DIR [flags]
//	curator export --recipe NAME --shards N --output DIR [--tokens N] [--tokenize] RUN_DIR
//	curator report RUN_DIR
//	curator eval [--suite DIR] RUN_DIR
//	curator compare [--format table|markdown|json] RUN_DIR [RUN_DIR...]
//	curator steps
//	curator classifier predict|predict-prob|train|test|quantize ...
//	curator langid [--fast|--accurate] [--languages en,de,...] < INPUT
//	curator version
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	// The steps, linked in for their registrations.
	_ "github.com/curator-dev/curator/filters/c4"
	_ "github.com/curator-dev/curator/filters/dedup"
	_ "github.com/curator-dev/curator/filters/extract"
	_ "github.com/curator-dev/curator/filters/fineweb"
	_ "github.com/curator-dev/curator/filters/gopher"
	_ "github.com/curator-dev/curator/filters/heuristics"
	_ "github.com/curator-dev/curator/filters/langid"
	_ "github.com/curator-dev/curator/filters/quality"
	_ "github.com/curator-dev/curator/filters/urlfilter"
)

const usage = `curator cleans web crawls into training data.

Usage:
  curator run --recipe FILE [--recipe FILE ...] --output DIR [flags] INPUT...
  curator coordinator --nats URL[,URL...] --output-root DIR [flags]
                     coordinate the runs submitted to a NATS JetStream cluster
  curator worker --nats URL[,URL...] [flags]
                     run the tasks of every running run
  curator submit --nats URL --recipe FILE [--output NAME] [flags] INPUT...
                     submit a run; prints its id
  curator status [RUN] | wait RUN | cancel RUN  --nats URL
                     a run's state; wait for its end; cancel it
  curator put --nats URL --bucket NAME [--replicas 1|3] [--prefix P] FILE...
                     upload shards to a JetStream object store; prints object://BUCKET/NAME
  curator select --from RUN_DIR --recipe FILE --output DIR [flags]
                     apply recipes to an annotated run (run --annotate) without measuring again
  curator export --recipe NAME --shards N --output DIR [--tokens N] [--tokenize] RUN_DIR
  curator report RUN_DIR
                     a recipe's kept documents as shuffled shards of equal tokens, for training
  curator eval [--suite DIR] RUN_DIR
                     evaluate a finished run's recipes on a fixed suite (eval.json)
  curator compare [--format table|markdown|json] RUN_DIR [RUN_DIR...]
                     recipes side by side: funnels, evaluation scores, overlap
  curator steps      list the registered steps
  curator classifier predict|predict-prob|train|test|quantize ...
                     fastText 0.9.2's supervised tool in pure Go
  curator langid [--fast|--accurate] [--languages en,de,...] < INPUT
                     the language of each line (JSONL or text)
  curator version    print the version

Run "curator COMMAND -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		err = cmdRun(rest, stdout, stderr)
	case "coordinator":
		err = cmdCoordinator(rest, stderr)
	case "worker":
		err = cmdWorker(rest, stderr)
	case "submit":
		err = cmdSubmit(rest, stdout, stderr)
	case "status":
		err = cmdStatus(rest, stdout, stderr)
	case "wait":
		err = cmdWait(rest, stdout, stderr)
	case "cancel":
		err = cmdCancel(rest, stdout, stderr)
	case "put":
		err = cmdPut(rest, stdout, stderr)
	case "eval":
		err = cmdEval(rest, stdout, stderr)
	case "compare":
		err = cmdCompare(rest, stdout, stderr)
	case "select":
		err = cmdSelect(rest, stdout, stderr)
	case "export":
		err = cmdExport(rest, stdout, stderr)
	case "report":
		err = cmdReport(rest, stdout, stderr)
	case "steps":
		err = cmdSteps(rest)
	case "classifier":
		err = cmdClassifier(rest, stdout, stderr)
	case "langid":
		err = cmdLangid(rest, os.Stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "curator", curatorVersion())
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "curator: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "curator:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "curator:", err)
		return 1
	}
}

// errUsage marks errors in the command line.
var errUsage = errors.New("usage")

// parseMixed parses args with fs, flags and positional arguments mixed as
// people type them, and returns the positional ones. -h gives
// flag.ErrHelp; another error is a usage error.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
