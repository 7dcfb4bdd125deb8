package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/objstore"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// ServiceConfig configures a worker service (`curator worker`).
type ServiceConfig struct {
	// ID names the worker process (host and pid if empty).
	ID string
	// Slots is the number of tasks run at once, over all runs (the number
	// of CPUs if 0).
	Slots int
	// CacheDir keeps the files the runs' recipes read.
	CacheDir string
	// OutputRoot, if set, confines the tasks' output directories.
	OutputRoot string
	// TaskTimeout bounds one delivery of a task (0: no bound).
	TaskTimeout time.Duration
	// Metrics, if set, receives the worker's counters.
	Metrics *Metrics
	// Logger receives the service's logs; nil means slog.Default().
	Logger *slog.Logger
}

// Service runs the tasks of every run in flight: it watches the spec
// bucket, builds each new run's recipes from its spec (while the
// coordinator plans the run), and pulls the run's tasks until the run ends.
type Service struct {
	cfg   ServiceConfig
	log   *slog.Logger
	slots chan struct{}

	mu   sync.Mutex
	runs map[string]bool
	wg   sync.WaitGroup
}

// NewService checks cfg.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Slots <= 0 {
		cfg.Slots = runtime.NumCPU()
	}
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if cfg.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("worker: no cache directory: %w", err)
		}
		cfg.CacheDir = filepath.Join(dir, "curator", "worker")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg, log: cfg.Logger.With("worker", cfg.ID), slots: make(chan struct{}, cfg.Slots),
		runs: map[string]bool{}}, nil
}

// Run works until drain is closed (the tasks in hand are finished and
// reported) or ctx is done (they are abandoned, to be delivered again).
func (s *Service) Run(ctx context.Context, js jetstream.JetStream, drain <-chan struct{}) error {
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		select {
		case <-drain:
			stop()
		case <-wctx.Done():
		}
	}()
	for wctx.Err() == nil {
		kv, err := js.KeyValue(wctx, pb.SpecBucket)
		var w jetstream.KeyWatcher
		if err == nil {
			w, err = kv.WatchAll(wctx)
		}
		if err != nil {
			if wctx.Err() == nil {
				s.log.Warn("waiting for the spec bucket (is a coordinator running?)", "err", err)
				sleepCtx(wctx, 2*time.Second)
			}
			continue
		}
		s.watch(wctx, ctx, js, w, drain)
		_ = w.Stop()
	}
	s.wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// watch joins every submitted run, until wctx is done or the watch ends.
func (s *Service) watch(wctx, ctx context.Context, js jetstream.JetStream, w jetstream.KeyWatcher, drain <-chan struct{}) {
	for {
		select {
		case <-wctx.Done():
			return
		case e, ok := <-w.Updates():
			if !ok {
				return
			}
			if e == nil || e.Operation() != jetstream.KeyValuePut {
				continue
			}
			if !pb.ValidRunID(e.Key()) {
				continue // a cancel request
			}
			s.join(ctx, js, e.Key(), drain)
		}
	}
}

// join starts pulling a run's tasks, unless this process already does.
func (s *Service) join(ctx context.Context, js jetstream.JetStream, run string, drain <-chan struct{}) {
	s.mu.Lock()
	if s.runs[run] {
		s.mu.Unlock()
		return
	}
	s.runs[run] = true
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer func() {
			s.mu.Lock()
			delete(s.runs, run)
			s.mu.Unlock()
		}()
		if err := s.work(ctx, js, run, drain); err != nil && ctx.Err() == nil {
			s.log.Error("leaving run", "run", run, "err", err)
		}
	}()
}

// work builds a run's recipes and runs its tasks on cfg.Slots pullers
// until the run's task queue is gone.
func (s *Service) work(ctx context.Context, js jetstream.JetStream, run string, drain <-chan struct{}) error {
	if st, err := stateOf(ctx, js, run); err == nil && pb.Final(st.GetStatus()) {
		return nil
	}
	tree, err := s.buildTree(ctx, js, run)
	if err != nil {
		return err
	}
	defer tree.Close()
	w, err := New(Config{ID: s.cfg.ID, Tree: tree, Logger: s.cfg.Logger, Slots: s.slots,
		OutputRoot: s.cfg.OutputRoot, TaskTimeout: s.cfg.TaskTimeout, Metrics: s.cfg.Metrics,
		Opener: objstore.NewOpener(js, nil), ScratchDir: s.cfg.CacheDir, Upload: ObjectUploader(js)})
	if err != nil {
		return err
	}
	s.log.Info("joined run", "run", run)
	var wg sync.WaitGroup
	errs := make([]error, s.cfg.Slots)
	for i := range s.cfg.Slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				err := w.Run(ctx, js, run, drain)
				if err == nil || ctx.Err() != nil || isClosed(drain) {
					errs[i] = err
					return
				}
				// The queue may not exist yet, or NATS may be away.
				if st, serr := stateOf(ctx, js, run); serr == nil && pb.Final(st.GetStatus()) {
					return
				}
				s.log.Debug("pulling again", "run", run, "err", err)
				sleepCtx(ctx, 250*time.Millisecond)
			}
		}()
	}
	wg.Wait()
	s.log.Info("left run", "run", run)
	return errors.Join(errs...)
}

// buildTree reads a run's spec and builds its recipes.
func (s *Service) buildTree(ctx context.Context, js jetstream.JetStream, run string) (*filters.Tree, error) {
	kv, err := js.KeyValue(ctx, pb.SpecBucket)
	if err != nil {
		return nil, fmt.Errorf("run %s: spec bucket: %w", run, err)
	}
	e, err := kv.Get(ctx, run)
	if err != nil {
		return nil, fmt.Errorf("run %s: spec: %w", run, err)
	}
	spec := &pb.RunSpec{}
	if err := proto.Unmarshal(e.Value(), spec); err != nil {
		return nil, fmt.Errorf("run %s: unreadable spec: %w", run, err)
	}
	if err := pb.CheckVersion("run spec", spec.GetVersion()); err != nil {
		return nil, fmt.Errorf("run %s: %w", run, err)
	}
	tree, err := BuildTree(ctx, spec.GetRecipes(), ObjectFiles(js, filepath.Join(s.cfg.CacheDir, "files")))
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", run, err)
	}
	if spec.GetAnnotate() {
		if err := Annotate(tree); err != nil {
			tree.Close()
			return nil, fmt.Errorf("run %s: %w", run, err)
		}
	} else {
		tree.SetObserve(true) // gauges and samples for the run's report
	}
	return tree, nil
}

// stateOf reads a run's state.
func stateOf(ctx context.Context, js jetstream.JetStream, run string) (*pb.RunState, error) {
	kv, err := js.KeyValue(ctx, pb.RunStateBucket)
	if err != nil {
		return nil, err
	}
	e, err := kv.Get(ctx, run)
	if err != nil {
		return nil, err
	}
	st := &pb.RunState{}
	return st, proto.Unmarshal(e.Value(), st)
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
