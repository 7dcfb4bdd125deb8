// Package workers runs tasks: it reads a task's shard range, runs the recipe
// tree on every document, writes each recipe's kept (and, if asked, removed)
// documents and reports a Result. ProcessTask is the core and needs no NATS;
// Run is the JetStream pull loop around it.
package workers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/tokens"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/shard"
)

// ObjectLoader fetches a named object every worker must see byte for byte
// (a zstd dictionary, for instance).
type ObjectLoader func(ctx context.Context, name string) ([]byte, error)

// Config configures a Worker.
type Config struct {
	// ID names the worker in results and logs.
	ID string
	// Tree is the recipe tree of the run. It is shared, not owned: the
	// caller closes it.
	Tree *filters.Tree
	// Objects fetches objects named by tasks (zstd dictionaries). Run falls
	// back to the run's object store when it is nil.
	Objects ObjectLoader
	// Slots, if set, is a semaphore shared by the workers of several runs
	// in one process: Run holds a slot from pulling a task until the task
	// is settled, so that the process runs at most cap(Slots) tasks at once.
	Slots chan struct{}
	// OutputRoot, if set, confines the tasks' output directories: a task
	// whose output directory is not below it is refused.
	OutputRoot string
	// Opener, if set, opens the shards (object store names, URLs); nil
	// means local files and HTTP(S) URLs.
	Opener shard.Opener
	// ScratchDir holds the outputs of tasks bound for an object store until
	// they are put there (the system's temporary directory if empty).
	ScratchDir string
	// Upload puts outputs in an object store, for tasks whose outputs go
	// there (TaskOptions.output_object).
	Upload Uploader
	// Metrics, if set, receives the worker's counters.
	Metrics *Metrics
	// TaskTimeout bounds one delivery of a task (0: no bound). A task that
	// runs longer is handed back; on its last delivery it fails.
	TaskTimeout time.Duration
	// Tokens counts the tokens of the documents leaving each recipe; nil
	// means GPT-2's r50k BPE (filters/tokens).
	Tokens TokenCounter
	// Logger receives the worker's logs; nil means slog.Default().
	Logger *slog.Logger
}

// Worker runs tasks of one run. It is safe for concurrent use: several
// goroutines may run tasks with the same Worker.
type Worker struct {
	cfg    Config
	log    *slog.Logger
	hashes []string

	mu    sync.Mutex
	dicts map[string][]byte // by sha256
	slots map[int]bool      // the status slots of the running pullers
}

// New returns a worker for the recipes of cfg.Tree.
func New(cfg Config) (*Worker, error) {
	if cfg.Tree == nil {
		return nil, errors.New("workers: no recipe tree")
	}
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if cfg.Tokens == nil {
		enc, err := tokens.R50k()
		if err != nil {
			return nil, fmt.Errorf("workers: %w", err)
		}
		cfg.Tokens = enc
	}
	w := &Worker{cfg: cfg, log: log.With("worker", cfg.ID), dicts: map[string][]byte{}}
	for _, r := range cfg.Tree.Recipes() {
		w.hashes = append(w.hashes, r.Hash)
	}
	return w, nil
}

// ID returns the worker's id.
func (w *Worker) ID() string { return w.cfg.ID }

// TaskError is an error that prevents a task from being run at all and that
// retrying cannot cure (an unreadable or foreign task).
type TaskError struct{ Err error }

func (e *TaskError) Error() string { return e.Err.Error() }
func (e *TaskError) Unwrap() error { return e.Err }

// ProcessTask runs one task and returns its result.
//
// A task whose input is corrupt ends with a Result of status FAILED and
// Permanent set; the documents read before the damage are written and
// counted. An error return means the task could not be run here and now
// (an unwritable output, a canceled context, recipes that differ from the
// task's): its outputs are abandoned and it should be retried.
func (w *Worker) ProcessTask(ctx context.Context, t *pb.Task) (*pb.Result, error) {
	return w.processTask(ctx, t, w.cfg.Objects)
}

func (w *Worker) processTask(ctx context.Context, t *pb.Task, objects ObjectLoader) (*pb.Result, error) {
	start := time.Now()
	if err := checkTask(t); err != nil {
		return failedResult(t, w.cfg.ID, err, start), nil
	}
	if t.GetOptions().GetOutputObject() == "" {
		if err := confined(t, w.cfg.OutputRoot); err != nil {
			return failedResult(t, w.cfg.ID, err, start), nil
		}
	}
	opts := t.GetOptions()
	if !slices.Equal(opts.GetRecipeHashes(), w.hashes) {
		return nil, fmt.Errorf("task %d: the task's recipes (hashes %v) are not this worker's (%v)", t.GetIndex(), opts.GetRecipeHashes(), w.hashes)
	}
	if t.GetResume() != nil {
		return w.processResume(ctx, t, start)
	}
	sopts := shard.Options{
		Opener:               w.cfg.Opener,
		MaxRecordBytes:       opts.GetMaxRecordBytes(),
		MaxDecompressedBytes: opts.GetMaxDecompressedBytes(),
	}
	if opts.GetZstdDict() != "" {
		dict, err := w.dict(ctx, opts.GetZstdDict(), opts.GetZstdDictSha256(), objects)
		if err != nil {
			return nil, fmt.Errorf("task %d: %w", t.GetIndex(), err)
		}
		sopts.ZstdDict = dict
	}
	rg := t.GetRange()
	r, err := shard.Open(ctx, shard.Range{Path: rg.GetPath(), Start: rg.GetStart(), End: rg.GetEnd()}, sopts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res := failedResult(t, w.cfg.ID, fmt.Errorf("task %d: %w", t.GetIndex(), err), start)
		res.Permanent = true
		return res, nil
	}
	defer r.Close()

	tk := &taskRun{w: w, t: t, res: newResult(t, w.cfg.ID), st: w.cfg.Tree.NewStats(), seen: recordCounter(ctx)}
	outDir := opts.GetOutputDir()
	if opts.GetOutputObject() != "" {
		outDir = w.scratchDir(t)
		defer os.RemoveAll(outDir)
	}
	tk.outs = newOutputs(outDir, w.cfg.Tree.Recipes(), t.GetIndex(), nil, opts.GetKeepRemoved(), w.cfg.Tokens)
	if w.cfg.Tree.Annotating() {
		tk.outs.annotated = w.cfg.Tree
	}
	if err := tk.read(ctx, r); err != nil {
		tk.outs.abort()
		return nil, err
	}
	counts := r.Counts()
	for k, v := range counts.Skipped {
		tk.res.Skipped[k] = v
	}
	outs, staged, err := tk.outs.commit()
	if err != nil {
		return nil, fmt.Errorf("task %d: %w", t.GetIndex(), err)
	}
	if opts.GetOutputObject() != "" {
		if err := w.upload(ctx, t, outDir, outs); err != nil {
			return nil, err
		}
	}
	tk.res.Outputs, tk.res.Staged = outs, staged
	tk.res.Nodes = nodeStatsToPB(tk.st)
	tk.res.InputBytes = inputBytes(ctx, rg, sopts)
	tk.res.WallNanos = int64(time.Since(start))
	return tk.res, nil
}

// checkTask refuses a task this code cannot read.
func checkTask(t *pb.Task) error {
	if err := pb.CheckVersion("task", t.GetVersion()); err != nil {
		return &TaskError{fmt.Errorf("task %d: %w", t.GetIndex(), err)}
	}
	for _, m := range []struct {
		kind string
		v    uint32
	}{{"shard range", t.GetRange().GetVersion()}, {"task options", t.GetOptions().GetVersion()}} {
		if err := pb.CheckVersion(m.kind, m.v); err != nil {
			return &TaskError{fmt.Errorf("task %d: %w", t.GetIndex(), err)}
		}
	}
	if rs := t.GetResume(); rs != nil {
		if err := pb.CheckVersion("resume", rs.GetVersion()); err != nil {
			return &TaskError{fmt.Errorf("task %d: %w", t.GetIndex(), err)}
		}
		if rs.GetStaged() == "" {
			return &TaskError{fmt.Errorf("task %d: resume without staged documents", t.GetIndex())}
		}
	} else if t.GetRange().GetPath() == "" {
		return &TaskError{fmt.Errorf("task %d: no input path", t.GetIndex())}
	}
	if t.GetOptions().GetOutputDir() == "" {
		return &TaskError{fmt.Errorf("task %d: no output directory", t.GetIndex())}
	}
	return nil
}

// confined refuses a task whose output directory is not below root.
func confined(t *pb.Task, root string) error {
	if root == "" {
		return nil
	}
	rel, err := filepath.Rel(root, t.GetOptions().GetOutputDir())
	if err != nil || rel == "." || !filepath.IsLocal(rel) || !filepath.IsAbs(t.GetOptions().GetOutputDir()) {
		return &TaskError{fmt.Errorf("task %d: output directory %s is not below this worker's output root %s",
			t.GetIndex(), t.GetOptions().GetOutputDir(), root)}
	}
	return nil
}

// dict returns the zstd dictionary named by a task, checking its hash.
func (w *Worker) dict(ctx context.Context, name, sum string, objects ObjectLoader) ([]byte, error) {
	w.mu.Lock()
	d, ok := w.dicts[sum]
	w.mu.Unlock()
	if ok {
		return d, nil
	}
	if objects == nil {
		return nil, fmt.Errorf("zstd dictionary %s: no object store to fetch it from", name)
	}
	d, err := objects(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("zstd dictionary %s: %w", name, err)
	}
	h := sha256.Sum256(d)
	if got := hex.EncodeToString(h[:]); got != sum {
		return nil, fmt.Errorf("zstd dictionary %s: sha256 %s, want %s", name, got, sum)
	}
	w.mu.Lock()
	w.dicts[sum] = d
	w.mu.Unlock()
	return d, nil
}

func newResult(t *pb.Task, worker string) *pb.Result {
	return &pb.Result{
		Version:   pb.Version,
		RunId:     t.GetRunId(),
		TaskIndex: t.GetIndex(),
		Resume:    t.GetResume(),
		WorkerId:  worker,
		Status:    pb.Status_STATUS_OK,
		Skipped:   map[string]int64{},
	}
}

func failedResult(t *pb.Task, worker string, err error, start time.Time) *pb.Result {
	res := newResult(t, worker)
	res.Status = pb.Status_STATUS_FAILED
	res.Error = err.Error()
	res.Permanent = true
	res.WallNanos = int64(time.Since(start))
	return res
}

// inputBytes is the size of a range, the file's size for a whole file.
func inputBytes(ctx context.Context, rg *pb.ShardRange, opts shard.Options) int64 {
	if rg.GetEnd() >= 0 {
		return rg.GetEnd() - rg.GetStart()
	}
	n, err := shard.Stat(ctx, rg.GetPath(), opts)
	if err != nil {
		return 0
	}
	return n - rg.GetStart()
}

// taskRun is the state of one task being run.
type taskRun struct {
	w    *Worker
	t    *pb.Task
	res  *pb.Result
	st   *filters.TreeStats
	outs *outputs
	seen *atomic.Int64 // records read so far, for the worker's status
}

// read streams the range's records through the tree. A fatal read error
// marks the result failed (permanent); only a canceled context or an output
// error is returned.
func (tk *taskRun) read(ctx context.Context, r *shard.Reader) error {
	path := tk.t.GetRange().GetPath()
	tree := tk.w.cfg.Tree
	for n := 0; ; n++ {
		if n%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if re := (*shard.RecordError)(nil); errors.As(err, &re) {
			tk.res.ReadErrors++
			if len(tk.res.RecordErrors) < pb.MaxRecordErrors {
				tk.res.RecordErrors = append(tk.res.RecordErrors, err.Error())
			}
			if werr := tk.outs.readError(path, err); werr != nil {
				return werr
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			tk.res.Status = pb.Status_STATUS_FAILED
			tk.res.Permanent = true
			tk.res.Error = fmt.Sprintf("task %d: after %d records: %v", tk.t.GetIndex(), tk.res.Records, err)
			return nil
		}
		tk.res.Records++
		tk.seen.Add(1)
		d := &filters.Doc{
			ID:          rec.ID,
			URL:         rec.URL,
			Text:        rec.Text,
			HTML:        rec.HTML,
			ContentType: rec.ContentType,
			Metadata:    rec.Metadata,
			Source:      filters.Source{Shard: path, Offset: rec.Offset, Index: rec.Index},
		}
		if err := tree.Process(d, tk.st, tk.outs); err != nil {
			return err
		}
	}
}
