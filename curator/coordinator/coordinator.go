package coordinator

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/objstore"
	"github.com/curator-dev/curator/workers/shard"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of Config.
const (
	DefaultTaskBytes  = 64 << 20
	DefaultAckWait    = 30 * time.Second
	DefaultMaxDeliver = 3
)

// Config describes a run.
type Config struct {
	// RunID names the run; empty means a random id.
	RunID string
	// Tree holds the run's recipes. The coordinator reads its shape only.
	Tree *filters.Tree
	// Inputs are files, directories or glob patterns, as the user gave them.
	Inputs []string
	// OutputDir receives <recipe>/data, <recipe>/removed, <recipe>/stats.json
	// and run.json.
	OutputDir string
	// TaskBytes is the target size of a record-range task (DefaultTaskBytes if 0).
	TaskBytes int64
	// MaxRecordBytes and MaxDecompressedBytes are the readers' limits (0: their defaults).
	MaxRecordBytes       int64
	MaxDecompressedBytes int64
	// ZstdDict is the path of an external zstd dictionary, or "".
	ZstdDict string
	// KeepRemoved asks for removed documents to be written.
	KeepRemoved bool
	// AckWait is how long a task may go without a heartbeat before it is
	// delivered again (DefaultAckWait if 0).
	AckWait time.Duration
	// MaxDeliver bounds the deliveries of a task (DefaultMaxDeliver if 0).
	MaxDeliver int
	// ExactScores is the number of keep_top scores ranked exactly; beyond
	// it a sketch with a stated rank error takes over (quantile's default if 0).
	ExactScores int
	// SketchCapacity is the sketch's level capacity (quantile's default if 0).
	SketchCapacity int
	// DedupMemory is the memory one dedup judge may hold (its bloom
	// filter); a plan that needs more refuses to start. 0: half the
	// machine's memory.
	DedupMemory uint64
	// SkipFilePublish keeps the files the recipes read (models, banlists)
	// out of the run's object store. Only runs whose workers all share the
	// coordinator's process and tree (RunLocal) may set it; they save
	// copying a 1 GB model into the store.
	SkipFilePublish bool
	// Replicas is the replica count of the streams, buckets and object
	// store the run creates (1 if 0; 3 on a three-node cluster).
	Replicas int
	// Takeover says the run was started before, by a coordinator that
	// stopped: its output directory may hold files, and Start picks the run
	// up from its streams instead of starting it afresh.
	Takeover bool
	// OutputObject, if set (object://BUCKET/PREFIX), sends the recipes'
	// outputs to a JetStream object store instead of OutputDir, which then
	// holds run.json and stats.json (also put in the store) and nothing the
	// workers write. Recipes with keep_top or dedup steps, whose staging the
	// coordinator reads, need a shared filesystem and are refused.
	OutputObject string
	// JetStream, if set, lets the inputs name objects of a JetStream object
	// store (object://BUCKET/NAME); it is needed only for such inputs.
	JetStream jetstream.JetStream
	// Name names this coordinator process in the run state.
	Name string
	// CuratorVersion is written to run.json.
	CuratorVersion string
	// Annotate records that the tree annotates (every document kept with
	// its measurements; see filters.Tree.SetAnnotate).
	Annotate bool
	// Logger receives the coordinator's logs; nil means slog.Default().
	Logger *slog.Logger
	// Report, if set, writes the run's report from its output directory
	// once run.json and the stats are written, before the run's state says
	// it is over (a failure is logged: the run's data stands without it).
	Report func(dir string) error
	// Progress, if set, is called after every task outcome, from one goroutine.
	Progress func(Progress)
}

// Progress says how far a run has come.
type Progress struct {
	TasksDone, TasksTotal int
	TasksFailed           int
	BytesDone, BytesTotal int64
	// Records counts the documents read by the tasks done.
	Records int64
	Elapsed time.Duration
}

// Coordinator runs one run: New plans it, Start publishes its tasks, Wait
// collects the results and writes the reports.
type Coordinator struct {
	cfg     Config
	log     *slog.Logger
	run     string
	inputs  *Inputs
	pool    *PoolRecord
	tasks   []*pb.Task // the first-phase tasks, in canonical order
	dict    []byte
	dictSum string
	js      jetstream.JetStream
	started time.Time

	mu sync.Mutex
	// jobs are every task of the run: the first-phase tasks (jobs[i] is
	// task i), then the second-phase tasks in the order they were made.
	jobs     []*job
	byName   map[string]int // pb.JobName -> index in jobs
	seqs     map[uint64]int // task stream sequence -> index in jobs
	ranks    *ranking
	stats    *filters.TreeStats
	progress Progress
	dups     int

	// present names the tasks found waiting in the task stream when the
	// run was taken over; early holds results of second-phase tasks read
	// back before the phase that makes them was resolved again.
	present  map[string]bool
	early    map[string]*pb.Result
	lateSeqs map[string]uint64 // second-phase tasks found waiting, by name
	statePut time.Time         // when the run state was last written

	results  chan jetstream.Msg
	advisory chan advisoryMsg
	quit     chan struct{}
	unsub    []func()
	quitOnce sync.Once

	detach     chan struct{}
	detachOnce sync.Once

	live liveState // workers' statuses and rate samples, for Live
}

// job is one task of the run and what became of it.
type job struct {
	task *pb.Task
	size int64 // input bytes, for progress (0 for a second-phase task)
	out  *outcome
}

// outcome is what became of one task.
type outcome struct {
	res *pb.Result
	// advisory is set when the outcome comes from the server (deliveries
	// exhausted, message terminated), not from a worker; a worker's result
	// arriving later replaces it.
	advisory bool
}

// New checks cfg, expands the inputs and plans the tasks.
func New(cfg Config) (*Coordinator, error) {
	if cfg.Tree == nil {
		return nil, errors.New("coordinator: no recipes")
	}
	if cfg.OutputDir == "" {
		return nil, errors.New("coordinator: no output directory")
	}
	if cfg.RunID == "" {
		cfg.RunID = NewRunID()
	}
	if !pb.ValidRunID(cfg.RunID) {
		return nil, fmt.Errorf("coordinator: run id %q: use up to 64 letters, digits, '_' or '-'", cfg.RunID)
	}
	if cfg.TaskBytes <= 0 {
		cfg.TaskBytes = DefaultTaskBytes
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = DefaultAckWait
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = DefaultMaxDeliver
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	abs, err := filepath.Abs(cfg.OutputDir)
	if err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	cfg.OutputDir = abs
	if !cfg.Takeover {
		if err := checkOutputDir(abs); err != nil {
			return nil, err
		}
	}
	c := &Coordinator{cfg: cfg, log: cfg.Logger.With("run", cfg.RunID), run: cfg.RunID,
		byName: map[string]int{}, seqs: map[uint64]int{}, present: map[string]bool{},
		early: map[string]*pb.Result{}, lateSeqs: map[string]uint64{}, detach: make(chan struct{}), quit: make(chan struct{})}
	if cfg.ZstdDict != "" {
		if c.dict, err = os.ReadFile(cfg.ZstdDict); err != nil {
			return nil, fmt.Errorf("coordinator: zstd dictionary: %w", err)
		}
		sum := sha256.Sum256(c.dict)
		c.dictSum = hex.EncodeToString(sum[:])
	}
	if c.inputs, err = ExpandAll(context.Background(), cfg.Inputs, abs, cfg.JetStream); err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	if c.pool, err = PoolManifest(c.inputs.Files); err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	if cfg.OutputObject != "" {
		if err := checkOutputObject(cfg.OutputObject, cfg.Tree); err != nil {
			return nil, fmt.Errorf("coordinator: %w", err)
		}
	}
	topts := &pb.TaskOptions{
		Version:              pb.Version,
		MaxRecordBytes:       cfg.MaxRecordBytes,
		MaxDecompressedBytes: cfg.MaxDecompressedBytes,
		OutputDir:            abs,
		KeepRemoved:          cfg.KeepRemoved,
		MaxDeliver:           int32(cfg.MaxDeliver),
		OutputObject:         cfg.OutputObject,
	}
	if c.dict != nil {
		topts.ZstdDict = pb.ZstdDictObject(c.dictSum)
		topts.ZstdDictSha256 = c.dictSum
	}
	for _, r := range cfg.Tree.Recipes() {
		topts.RecipeHashes = append(topts.RecipeHashes, r.Hash)
	}
	sopts := shard.Options{MaxRecordBytes: cfg.MaxRecordBytes, MaxDecompressedBytes: cfg.MaxDecompressedBytes, ZstdDict: c.dict}
	if cfg.JetStream != nil {
		sopts.Opener = objstore.NewOpener(cfg.JetStream, nil)
	}
	if c.tasks, err = PlanTasks(c.run, c.inputs.Files, cfg.TaskBytes, sopts, topts); err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	c.stats = cfg.Tree.NewStats()
	c.ranks = newRanking(cfg.Tree, cfg.ExactScores, cfg.SketchCapacity)
	if err := c.planDedup(); err != nil {
		return nil, err
	}
	for _, t := range c.tasks {
		n := rangeBytes(t.GetRange(), sopts)
		c.addJob(t, n)
		c.progress.BytesTotal += n
	}
	return c, nil
}

// NewRunID returns a fresh run id: the time and six random bytes.
func NewRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// addJob adds a task to the run's jobs. The caller holds c.mu or owns c.
func (c *Coordinator) addJob(t *pb.Task, size int64) int {
	c.jobs = append(c.jobs, &job{task: t, size: size})
	i := len(c.jobs) - 1
	name := pb.JobName(t.GetIndex(), t.GetResume())
	c.byName[name] = i
	if seq, ok := c.lateSeqs[name]; ok {
		c.seqs[seq] = i
	}
	c.progress.TasksTotal++
	return i
}

// checkOutputDir refuses an output directory that holds anything: files of
// an earlier run would be taken for this run's.
func checkOutputDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, RunFile)); err == nil {
		return fmt.Errorf("coordinator: %s already holds a run (%s); choose another output directory", dir, RunFile)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("coordinator: output directory: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("coordinator: output directory %s is not empty (it holds %s); choose a new or empty one", dir, entries[0].Name())
	}
	return nil
}

// RunID returns the run's id.
func (c *Coordinator) RunID() string { return c.run }

// Tasks returns the planned tasks in canonical order. They must not be modified.
func (c *Coordinator) Tasks() []*pb.Task { return c.tasks }

// OutputDir returns the run's output directory, made absolute.
func (c *Coordinator) OutputDir() string { return c.cfg.OutputDir }

// rangeBytes is the size of a task's input.
func rangeBytes(r *pb.ShardRange, opts shard.Options) int64 {
	if r.GetEnd() >= 0 {
		return r.GetEnd() - r.GetStart()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := shard.Stat(ctx, r.GetPath(), opts)
	if err != nil {
		return 0
	}
	return n - r.GetStart()
}

// Start creates the run's streams, consumers, bucket entries and objects,
// and publishes its tasks. Workers may start pulling once it returns.
//
// With Config.Takeover, the run's streams are kept: the results already
// published are read again from the first (merging is idempotent by task),
// and only the tasks neither waiting in the task stream nor done are
// published.
func (c *Coordinator) Start(ctx context.Context, js jetstream.JetStream) error {
	c.js = js
	c.started = time.Now()
	if err := c.ensureBuckets(ctx); err != nil {
		return err
	}
	c.putState(ctx, pb.StatusRunning)
	for _, r := range c.cfg.Tree.Recipes() {
		if err := os.MkdirAll(filepath.Join(c.cfg.OutputDir, r.Name), 0o755); err != nil {
			return fmt.Errorf("coordinator: %w", err)
		}
	}
	if c.dict != nil {
		obs, err := c.objectStore(ctx)
		if err != nil {
			return err
		}
		if _, err := obs.PutBytes(ctx, pb.ZstdDictObject(c.dictSum), c.dict); err != nil {
			return fmt.Errorf("coordinator: storing the zstd dictionary: %w", err)
		}
	}
	if !c.cfg.SkipFilePublish {
		if err := c.publishFiles(ctx); err != nil {
			return err
		}
	}
	if c.cfg.OutputObject != "" {
		if err := c.ensureOutputBucket(ctx); err != nil {
			return err
		}
	}
	if err := c.createStreams(ctx); err != nil {
		return err
	}
	present := map[string]bool{}
	if c.cfg.Takeover {
		var err error
		if present, err = c.waitingTasks(ctx); err != nil {
			return err
		}
	}
	if err := c.subscribe(ctx); err != nil {
		return err
	}
	c.present = present
	if err := c.publishJobs(ctx, 0, len(c.jobs)); err != nil {
		return err
	}
	c.log.Info("tasks published", "tasks", len(c.tasks), "files", len(c.inputs.Files), "bytes", c.progress.BytesTotal,
		"already_queued", len(present), "takeover", c.cfg.Takeover)
	return nil
}

// publishJobs puts jobs[from:to] on the work queue.
func (c *Coordinator) publishJobs(ctx context.Context, from, to int) error {
	for i := from; i < to; i++ {
		c.mu.Lock()
		t, done := c.jobs[i].task, c.jobs[i].out != nil
		c.mu.Unlock()
		name := pb.JobName(t.GetIndex(), t.GetResume())
		if done || c.present[name] {
			// A taken-over run: the task is done, or waits in the stream.
			continue
		}
		data, err := marshal(t)
		if err != nil {
			return err
		}
		ack, err := c.publishTask(ctx, name, data)
		if err != nil {
			return fmt.Errorf("coordinator: publishing task %s: %w", name, err)
		}
		c.mu.Lock()
		c.seqs[ack.Sequence] = i
		c.mu.Unlock()
	}
	return nil
}

// Progress returns how far the run has come.
func (c *Coordinator) Progress() Progress {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.progress
	if !c.started.IsZero() {
		p.Elapsed = time.Since(c.started)
	}
	return p
}

// publishTask publishes one task, retrying while JetStream does not answer
// (a NATS node lost, a stream electing a leader): the message id makes a
// publish that did land and lost its answer count once.
func (c *Coordinator) publishTask(ctx context.Context, name string, data []byte) (*jetstream.PubAck, error) {
	wait := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		ack, err := c.js.Publish(actx, pb.TaskSubject(c.run), data, jetstream.WithMsgID(pb.TaskMsgID(c.run, name)))
		cancel()
		if err == nil {
			return ack, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		c.log.Warn("publishing a task failed; retrying", "task", name, "attempt", attempt, "err", err)
		if !sleep(ctx, wait) {
			return nil, err
		}
		wait = min(2*wait, 5*time.Second)
	}
}
