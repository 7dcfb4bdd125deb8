package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"google.golang.org/protobuf/encoding/protojson"
)

// cmdSubmit is `curator submit`: it puts a run in JetStream for the
// coordinator and prints its id.
func cmdSubmit(args []string, stdout, stderr io.Writer) error {
	f := newClusterFlags("submit", "--recipe FILE [--recipe FILE ...] [--output NAME] [flags] INPUT...", stderr)
	var recipes, set stringList
	var output, runID, zstdDict string
	var taskBytes, maxRecord, maxDecompressed byteSize = coordinator.DefaultTaskBytes, 0, 0
	var keepRemoved, annotate, wait bool
	var ackWait time.Duration
	var maxDeliver, exactScores int
	f.fs.Var(&recipes, "recipe", "recipe YAML `file` (repeat for several recipes)")
	f.fs.Var(&set, "set", "override a step parameter: `[RECIPE:]STEP.PARAM=VALUE` (repeat)")
	f.fs.StringVar(&output, "output", "", "output directory `name` below the coordinator's --output-root (default: the run id), or object://BUCKET/PREFIX for a JetStream object store")
	f.fs.StringVar(&runID, "run-id", "", "run `id` (default: the time and random letters)")
	f.fs.Var(&taskBytes, "task-bytes", "target `size` of a record-range task (e.g. 64MiB)")
	f.fs.Var(&maxRecord, "max-record-bytes", "largest record `size` read (0: reader default)")
	f.fs.Var(&maxDecompressed, "max-decompressed-bytes", "largest decompressed HTTP body `size` (0: reader default)")
	f.fs.StringVar(&zstdDict, "zstd-dict", "", "external zstd dictionary `file` for zstd shards written with one")
	f.fs.BoolVar(&keepRemoved, "keep-removed", false, "also write removed documents with the step and reason")
	f.fs.BoolVar(&annotate, "annotate", false, "keep every document with every step's measurements and verdict, for curator select")
	f.fs.DurationVar(&ackWait, "ack-wait", coordinator.DefaultAckWait, "how long a task may go without a worker heartbeat before it is delivered again")
	f.fs.IntVar(&maxDeliver, "max-deliver", coordinator.DefaultMaxDeliver, "deliveries of a task before it is failed")
	f.fs.IntVar(&exactScores, "exact-scores", 0, "rank up to this many keep_top scores exactly (0: 16777216)")
	f.fs.BoolVar(&wait, "wait", false, "wait for the run to end, like `curator wait`")
	inputs, err := f.parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(recipes) == 0:
		return fmt.Errorf("%w: submit needs at least one --recipe", errUsage)
	case len(inputs) == 0:
		return fmt.Errorf("%w: submit needs at least one INPUT", errUsage)
	case maxDeliver < 1:
		return fmt.Errorf("%w: --max-deliver must be at least 1", errUsage)
	}
	if runID == "" {
		runID = coordinator.NewRunID()
	}
	if !pb.ValidRunID(runID) {
		return fmt.Errorf("%w: --run-id %q: use up to 64 letters, digits, '_' or '-'", errUsage, runID)
	}
	if _, err := coordinator.ConfinedOutput("/", output, runID); err != nil {
		return fmt.Errorf("%w: --output: %v", errUsage, err)
	}
	log, err := f.logger(stderr)
	if err != nil {
		return err
	}
	var overrides []filters.Override
	for _, s := range set {
		o, err := filters.ParseOverride(s)
		if err != nil {
			return err
		}
		overrides = append(overrides, o)
	}
	// Checked and pinned, not built: the workers build the steps (and load
	// their models), not the submitter.
	checked, err := filters.CheckRecipes(recipes, overrides)
	if err != nil {
		return err
	}
	spec := &pb.RunSpec{Version: pb.Version, RunId: runID, Output: output, Recipes: workers.RecipeSpecs(checked),
		TaskBytes: int64(taskBytes), KeepRemoved: keepRemoved, AckWaitNanos: int64(ackWait), MaxDeliver: int32(maxDeliver),
		ExactScores: int64(exactScores), MaxRecordBytes: int64(maxRecord), MaxDecompressedBytes: int64(maxDecompressed),
		CuratorVersion: curatorVersion(), Annotate: annotate}
	for _, in := range inputs {
		spec.Inputs = append(spec.Inputs, absInput(in))
	}
	if zstdDict != "" {
		b, err := os.ReadFile(zstdDict)
		if err != nil {
			return fmt.Errorf("--zstd-dict: %w", err)
		}
		sum := sha256.Sum256(b)
		spec.ZstdDictSha256 = hex.EncodeToString(sum[:])
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	nc, js, err := f.connect(ctx, "curator-submit", nil)
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := coordinator.Submit(ctx, js, spec, checked, zstdDict); err != nil {
		return err
	}
	fmt.Fprintln(stdout, runID)
	if !wait {
		return nil
	}
	log.Info("submitted; waiting for the run to end", "run", runID)
	st, err := coordinator.WaitRun(ctx, js, runID, nil)
	if err != nil {
		return err
	}
	return finalError(stderr, st)
}

// useCacheDir makes dir the cache of the language-ID tables too, unless
// $CURATOR_CACHE_DIR says otherwise (a read-only home in a container
// could not hold them).
func useCacheDir(dir string) {
	if dir != "" && os.Getenv("CURATOR_CACHE_DIR") == "" {
		_ = os.Setenv("CURATOR_CACHE_DIR", filepath.Join(dir, "langid"))
	}
}

// absInput makes a local input absolute (coordinator and workers do not
// share the submitter's working directory); URLs and object names pass.
func absInput(in string) string {
	if strings.Contains(in, "://") || filepath.IsAbs(in) {
		return in
	}
	if a, err := filepath.Abs(in); err == nil {
		return a
	}
	return in
}

// runCommand parses the flags of status, wait and cancel, which take one
// run id.
func runCommand(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (*clusterFlags, string, error) {
	f := newClusterFlags(name, "[flags] RUN", stderr)
	if extra != nil {
		extra(f.fs)
	}
	pos, err := f.parse(args)
	if err != nil {
		return nil, "", err
	}
	if name == "status" && len(pos) == 0 {
		return f, "", nil
	}
	if len(pos) != 1 {
		return nil, "", fmt.Errorf("%w: %s takes one run id", errUsage, name)
	}
	return f, pos[0], nil
}

// cmdStatus is `curator status [RUN]`: one run's state, or every run's.
func cmdStatus(args []string, stdout, stderr io.Writer) error {
	var asJSON bool
	f, run, err := runCommand("status", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the state as JSON")
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, js, err := f.connect(ctx, "curator-status", nil)
	if err != nil {
		return err
	}
	defer nc.Close()
	var states []*pb.RunState
	if run == "" {
		if states, err = coordinator.ListRuns(ctx, js); err != nil {
			return err
		}
	} else {
		st, err := coordinator.GetState(ctx, js, run)
		if err != nil {
			return err
		}
		states = append(states, st)
	}
	for _, st := range states {
		if asJSON {
			b, err := protojson.MarshalOptions{Multiline: false, EmitUnpopulated: true}.Marshal(st)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, string(b))
			continue
		}
		printState(stdout, st)
	}
	return nil
}

// printState writes a run's state for people.
func printState(w io.Writer, st *pb.RunState) {
	fmt.Fprintf(w, "run %s: %s\n", st.GetRunId(), st.GetStatus())
	if st.GetTasks() > 0 {
		fmt.Fprintf(w, "  tasks: %d of %d done, %d failed; %d documents read; %.1f of %.1f MB\n",
			st.GetTasksDone(), st.GetTasks(), st.GetTasksFailed(), st.GetRecords(),
			float64(st.GetBytesDone())/1e6, float64(st.GetBytesTotal())/1e6)
	}
	if st.GetOutputDir() != "" {
		fmt.Fprintf(w, "  output: %s\n", st.GetOutputDir())
	}
	if st.GetCoordinator() != "" {
		fmt.Fprintf(w, "  coordinator: %s, updated %s\n", st.GetCoordinator(),
			time.Unix(0, st.GetUpdatedUnixNanos()).UTC().Format(time.RFC3339))
	}
	if st.GetError() != "" {
		fmt.Fprintf(w, "  error: %s\n", st.GetError())
	}
	if fs := st.GetFailures(); len(fs) > 0 {
		fmt.Fprintf(w, "  failed tasks:\n")
		for _, ft := range fs {
			fmt.Fprintf(w, "    %s (%s): %s\n", ft.GetTask(), ft.GetPath(), ft.GetError())
		}
		if n := st.GetTasksFailed(); n > int64(len(fs)) {
			fmt.Fprintf(w, "    ... and %d more (run.json lists them all)\n", n-int64(len(fs)))
		}
	}
}

// cmdWait is `curator wait RUN`: it returns when the run has ended, with an
// error unless every task succeeded.
func cmdWait(args []string, stdout, stderr io.Writer) error {
	var timeout time.Duration
	f, run, err := runCommand("wait", args, stderr, func(fs *flag.FlagSet) {
		fs.DurationVar(&timeout, "timeout", 0, "give up after this long (0: wait for ever)")
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(context.Background(), timeout)
	}
	defer cancel()
	nc, js, err := f.connect(ctx, "curator-wait", nil)
	if err != nil {
		return err
	}
	defer nc.Close()
	st, err := coordinator.WaitRun(ctx, js, run, nil)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("run %s has not ended after %s: %w", run, timeout, err)
		}
		return err
	}
	printState(stdout, st)
	return finalError(stderr, st)
}

// finalError is nil for a run whose every task succeeded.
func finalError(_ io.Writer, st *pb.RunState) error {
	switch st.GetStatus() {
	case pb.StatusDone:
		return nil
	case pb.StatusFailedTasks:
		return fmt.Errorf("run %s: %d of %d tasks failed", st.GetRunId(), st.GetTasksFailed(), st.GetTasks())
	default:
		return fmt.Errorf("run %s: %s %s", st.GetRunId(), st.GetStatus(), st.GetError())
	}
}

// cmdCancel is `curator cancel RUN`.
func cmdCancel(args []string, stdout, stderr io.Writer) error {
	f, run, err := runCommand("cancel", args, stderr, nil)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, js, err := f.connect(ctx, "curator-cancel", nil)
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := coordinator.CancelRun(ctx, js, run); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "run %s: cancel requested\n", run)
	return nil
}
