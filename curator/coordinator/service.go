package coordinator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/curator-dev/curator/workers/objstore"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// ServiceConfig configures a coordinator service (`curator coordinator`).
type ServiceConfig struct {
	// OutputRoot is the directory every run's output directory is made
	// in; a run cannot write outside it.
	OutputRoot string
	// CacheDir keeps the files the runs' recipes read, fetched from the
	// object store by content hash.
	CacheDir string
	// Replicas is the replica count of what the runs create (1 or 3).
	Replicas int
	// DedupMemory is Config.DedupMemory of every run.
	DedupMemory uint64
	// Name names this coordinator in the run states and its lease.
	Name string
	// Lease is how long the coordinator's lease lasts without renewal
	// (DefaultLease if 0): a second coordinator waits until the first has
	// stopped, or been gone that long, before it coordinates.
	Lease time.Duration
	// CuratorVersion is written to run.json.
	CuratorVersion string
	// Logger receives the service's logs; nil means slog.Default().
	Logger *slog.Logger
	// OnProgress, if set, is called with every run's progress.
	OnProgress func(run string, p Progress)
	// Report is every run's Config.Report.
	Report func(dir string) error
}

// Service coordinates every submitted run: it watches the spec bucket,
// starts each new run, takes over the runs another coordinator left
// running, and cancels runs on request. Several runs go at once.
type Service struct {
	cfg ServiceConfig
	log *slog.Logger

	mu   sync.Mutex
	runs map[string]*serviceRun
	wg   sync.WaitGroup
}

// serviceRun is a run this service coordinates.
type serviceRun struct {
	cancel   context.CancelFunc // cancels the run
	coord    *Coordinator       // set once planned
	canceled bool               // a cancel request came (not a shutdown)
}

// NewService checks cfg.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.OutputRoot == "" {
		return nil, errors.New("coordinator: no output root")
	}
	root, err := filepath.Abs(cfg.OutputRoot)
	if err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	cfg.OutputRoot = root
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(root, ".curator-cache")
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Name == "" {
		host, _ := os.Hostname()
		cfg.Name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return &Service{cfg: cfg, log: cfg.Logger, runs: map[string]*serviceRun{}}, nil
}

// Runs returns the coordinators of the runs in flight, for the HTTP API.
func (s *Service) Runs() map[string]*Coordinator {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]*Coordinator{}
	for id, r := range s.runs {
		if r.coord != nil {
			out[id] = r.coord
		}
	}
	return out
}

// Run coordinates runs until ctx is done. On return the runs in flight are
// left to the next coordinator: their streams and state stay as they are.
func (s *Service) Run(ctx context.Context, js jetstream.JetStream) error {
	if err := os.MkdirAll(s.cfg.OutputRoot, 0o755); err != nil {
		return fmt.Errorf("coordinator: output root: %w", err)
	}
	// A cluster just started may not place replicas yet: retry.
	for attempt := 1; ; attempt++ {
		err := EnsureBuckets(ctx, js, s.cfg.Replicas)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		if attempt == 30 {
			return fmt.Errorf("coordinator: %w", err)
		}
		s.log.Warn("making the buckets failed; retrying", "attempt", attempt, "err", err)
		if !sleep(ctx, time.Second) {
			return nil
		}
	}
	kv, err := js.KeyValue(ctx, pb.SpecBucket)
	if err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	// One coordinator at a time.
	lkv, err := js.KeyValue(ctx, pb.RunStateBucket) // the lease's bucket
	if err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	rev, err := acquireLease(ctx, lkv, s.cfg.Name, s.cfg.Lease, s.log)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	// The lease is given back last, once the runs have been left.
	ctx, lostLease := context.WithCancel(ctx)
	defer lostLease()
	leaseCtx, stopLease := context.WithCancel(context.WithoutCancel(ctx))
	leaseDone := make(chan struct{})
	go func() {
		defer close(leaseDone)
		keepLease(leaseCtx, lkv, s.cfg.Name, rev, s.cfg.Lease, s.log, lostLease)
	}()
	defer func() { stopLease(); <-leaseDone }()
	runCtx, stopRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		// Leave the runs to whoever comes next.
		s.mu.Lock()
		for _, r := range s.runs {
			if r.coord != nil {
				r.coord.Detach()
			}
		}
		s.mu.Unlock()
		stopRuns()
		s.wg.Wait()
	}()
	for {
		w, err := kv.WatchAll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.log.Warn("watching the spec bucket; retrying", "err", err)
			if !sleep(ctx, time.Second) {
				return nil
			}
			continue
		}
		err = s.watch(ctx, runCtx, js, w)
		_ = w.Stop()
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("the spec bucket's watch ended; watching again", "err", err)
	}
}

// watch handles the spec bucket's entries until ctx is done or the watch
// ends.
func (s *Service) watch(ctx, runCtx context.Context, js jetstream.JetStream, w jetstream.KeyWatcher) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("watch closed")
			}
			if e == nil || e.Operation() != jetstream.KeyValuePut {
				continue
			}
			key := e.Key()
			if run, ok := strings.CutPrefix(key, "cancel."); ok {
				s.cancelRun(ctx, js, run)
				continue
			}
			if !pb.ValidRunID(key) {
				s.log.Warn("ignoring a spec bucket key that is not a run id", "key", key)
				continue
			}
			spec := &pb.RunSpec{}
			if err := proto.Unmarshal(e.Value(), spec); err != nil {
				s.log.Error("unreadable run spec", "run", key, "err", err)
				continue
			}
			s.startRun(runCtx, js, key, spec)
		}
	}
}

// startRun starts coordinating a run, unless it is in hand or has ended.
func (s *Service) startRun(ctx context.Context, js jetstream.JetStream, run string, spec *pb.RunSpec) {
	s.mu.Lock()
	if _, ok := s.runs[run]; ok {
		s.mu.Unlock()
		return
	}
	st, err := GetState(ctx, js, run)
	if err != nil && !errors.Is(err, ErrNoRun) {
		s.mu.Unlock()
		s.log.Error("reading the run state", "run", run, "err", err)
		return
	}
	if st != nil && pb.Final(st.GetStatus()) {
		s.mu.Unlock()
		return
	}
	rctx, cancel := context.WithCancel(ctx)
	sr := &serviceRun{cancel: cancel}
	s.runs[run] = sr
	s.wg.Add(1)
	s.mu.Unlock()
	takeover := st != nil && st.GetStatus() != pb.StatusSubmitted
	go func() {
		defer s.wg.Done()
		defer cancel()
		s.coordinate(rctx, js, run, spec, sr, takeover)
	}()
}

// cancelRun cancels a run in hand, or marks a run no one coordinates as
// canceled.
func (s *Service) cancelRun(ctx context.Context, js jetstream.JetStream, run string) {
	s.mu.Lock()
	sr, ok := s.runs[run]
	s.mu.Unlock()
	if ok {
		s.log.Info("cancel requested", "run", run)
		s.mu.Lock()
		sr.canceled = true
		s.mu.Unlock()
		sr.cancel()
		return
	}
	st, err := GetState(ctx, js, run)
	if err != nil || pb.Final(st.GetStatus()) {
		return
	}
	if st.GetStatus() == pb.StatusSubmitted {
		st.Status = pb.StatusCanceled
		st.Error = "canceled before it started"
		st.Coordinator = s.cfg.Name
		st.UpdatedUnixNanos = time.Now().UnixNano()
		_ = putRunState(ctx, js, st)
	}
}

// coordinate runs one run to its end (or until it is left to another
// coordinator).
func (s *Service) coordinate(ctx context.Context, js jetstream.JetStream, run string, spec *pb.RunSpec, sr *serviceRun, takeover bool) {
	log := s.log.With("run", run)
	fail := func(err error) {
		log.Error("run failed", "err", err)
		st := &pb.RunState{Version: pb.Version, RunId: run, Status: pb.StatusError, Error: err.Error(),
			Coordinator: s.cfg.Name, UpdatedUnixNanos: time.Now().UnixNano()}
		if err := putRunState(context.WithoutCancel(ctx), js, st); err != nil {
			log.Error("writing the run state", "err", err)
		}
	}
	cfg, cleanup, err := s.runConfig(ctx, js, run, spec)
	if err != nil {
		fail(err)
		return
	}
	defer cleanup()
	cfg.Takeover = takeover
	c, err := New(cfg)
	if err != nil {
		fail(err)
		return
	}
	s.mu.Lock()
	sr.coord = c
	s.mu.Unlock()
	log.Info("coordinating", "takeover", takeover, "tasks", len(c.Tasks()), "output", c.OutputDir())
	if err := c.Start(ctx, js); err != nil {
		s.mu.Lock()
		canceled := sr.canceled
		s.mu.Unlock()
		switch {
		case canceled:
			// Canceled while it started: run.json says what was done.
			c.stopSubscriptions()
			if _, err := c.finish(context.WithoutCancel(ctx), true); err != nil {
				log.Error("writing the reports", "err", err)
			}
			_ = c.Close(context.WithoutCancel(ctx))
			log.Info("run canceled as it started")
		case ctx.Err() == nil:
			fail(err)
		}
		return
	}
	rep, err := c.Wait(ctx)
	if errors.Is(err, ErrDetached) {
		log.Info("run left to the next coordinator")
		return
	}
	if cerr := c.Close(context.WithoutCancel(ctx)); cerr != nil {
		log.Warn("cleaning up", "err", cerr)
	}
	if err != nil && !errors.Is(err, ErrInterrupted) {
		fail(err)
		return
	}
	if rep != nil {
		log.Info("run finished", "tasks", rep.Tasks, "failed", rep.Failed, "records", rep.Records,
			"seconds", rep.Elapsed.Seconds(), "output", rep.OutputDir)
	}
}

// runConfig turns a spec into a run's Config: the recipes built from the
// object store's files, the output directory confined to the root.
func (s *Service) runConfig(ctx context.Context, js jetstream.JetStream, run string, spec *pb.RunSpec) (Config, func(), error) {
	if err := pb.CheckVersion("run spec", spec.GetVersion()); err != nil {
		return Config{}, nil, err
	}
	var outObject string
	name := spec.GetOutput()
	if objstore.IsObject(name) {
		// The outputs go to the object store; run.json and stats.json are
		// kept below the root too, under the run id.
		outObject, name = name, run
	}
	out, err := ConfinedOutput(s.cfg.OutputRoot, name, run)
	if err != nil {
		return Config{}, nil, err
	}
	fetch := workers.ObjectFiles(js, filepath.Join(s.cfg.CacheDir, "files"))
	tree, err := workers.BuildTree(ctx, spec.GetRecipes(), fetch)
	if err != nil {
		return Config{}, nil, err
	}
	if spec.GetAnnotate() {
		if err := workers.Annotate(tree); err != nil {
			tree.Close()
			return Config{}, nil, err
		}
	} else {
		tree.SetObserve(true) // gauges and samples for the report
	}
	cfg := Config{RunID: run, Tree: tree, Inputs: spec.GetInputs(), OutputDir: out, TaskBytes: spec.GetTaskBytes(), Report: s.cfg.Report,
		MaxRecordBytes: spec.GetMaxRecordBytes(), MaxDecompressedBytes: spec.GetMaxDecompressedBytes(),
		KeepRemoved: spec.GetKeepRemoved(), AckWait: time.Duration(spec.GetAckWaitNanos()),
		MaxDeliver: int(spec.GetMaxDeliver()), ExactScores: int(spec.GetExactScores()), DedupMemory: s.cfg.DedupMemory,
		OutputObject: outObject, SkipFilePublish: true, CuratorVersion: s.cfg.CuratorVersion, Replicas: s.cfg.Replicas, Name: s.cfg.Name, JetStream: js,
		Annotate: spec.GetAnnotate(), Logger: s.log}
	if sum := spec.GetZstdDictSha256(); sum != "" {
		path, err := fetchDict(ctx, js, sum, filepath.Join(s.cfg.CacheDir, "zstd-dict"))
		if err != nil {
			tree.Close()
			return Config{}, nil, err
		}
		cfg.ZstdDict = path
	}
	if s.cfg.OnProgress != nil {
		cfg.Progress = func(p Progress) { s.cfg.OnProgress(run, p) }
	}
	return cfg, func() {
		tree.Close()
		s.mu.Lock()
		delete(s.runs, run)
		s.mu.Unlock()
	}, nil
}

// ConfinedOutput is the output directory of a run below root: name
// (the run id if empty) must be a local path that stays below root.
func ConfinedOutput(root, name, run string) (string, error) {
	if objstore.IsObject(name) {
		_, prefix, err := objstore.Parse(name)
		if err == nil && !localName(prefix) {
			err = fmt.Errorf("output %s: want a relative prefix without '..' or empty parts", name)
		}
		return "", err
	}
	if name == "" {
		name = run
	}
	if !filepath.IsLocal(name) || strings.HasPrefix(filepath.Clean(name), ".") {
		return "", fmt.Errorf("output %q: want a relative name below the output root, without '..' or a leading '.'", name)
	}
	return filepath.Join(root, name), nil
}

// fetchDict fetches a zstd dictionary from the object store into dir.
func fetchDict(ctx context.Context, js jetstream.JetStream, sum, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	obs, err := js.ObjectStore(ctx, pb.ObjectStoreName)
	if err != nil {
		return "", fmt.Errorf("zstd dictionary: %w", err)
	}
	path := filepath.Join(dir, sum)
	if err := obs.GetFile(ctx, pb.ZstdDictObject(sum), path); err != nil {
		return "", fmt.Errorf("zstd dictionary %s: %w", sum, err)
	}
	return path, nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
