package coordinator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go/jetstream"
)

// LocalConfig describes a run in one process: an embedded NATS server with
// JetStream, the coordinator and Workers workers.
type LocalConfig struct {
	Config
	// Workers is the number of worker goroutines (1 if 0).
	Workers int
	// Drain, when closed, stops the workers from taking new tasks; the tasks
	// in hand are finished and reported, then the run ends as interrupted.
	Drain <-chan struct{}
	// KeepStore keeps the JetStream store (OutputDir/.nats) after the run.
	KeepStore bool
	// Planned, if set, is given the run's coordinator once its tasks are
	// planned, before they start (for Live).
	Planned func(*Coordinator)
}

// StoreDir is the JetStream store of a local run, below its output directory.
func StoreDir(outputDir string) string { return filepath.Join(outputDir, ".nats") }

// RunLocal runs cfg in this process, the same path as a cluster: tasks go
// through the embedded server's work queue to the workers and their results
// back to the coordinator. Canceling ctx abandons the tasks in hand. The
// report is returned whenever reports were written, even with an error.
func RunLocal(ctx context.Context, cfg LocalConfig) (*Report, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	// The embedded server opens no port: every worker is in this process
	// and shares cfg.Tree, files included.
	cfg.SkipFilePublish = true
	c, err := New(cfg.Config)
	if err != nil {
		return nil, err
	}
	log := c.log
	if cfg.Planned != nil {
		cfg.Planned(c)
	}
	if err := os.MkdirAll(c.OutputDir(), 0o755); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	store := StoreDir(c.OutputDir())
	srv, err := StartEmbedded(store)
	if err != nil {
		return nil, err
	}
	defer func() {
		srv.Shutdown()
		if !cfg.KeepStore {
			_ = os.RemoveAll(store)
		}
	}()
	nc, err := srv.Connect("curator-run")
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if err := c.Start(ctx, js); err != nil {
		_ = c.Close(context.WithoutCancel(ctx))
		return nil, err
	}

	// Workers stop taking tasks on a drain, and once every task is done.
	stop := make(chan struct{})
	var stopOnce sync.Once
	stopWorkers := func() { stopOnce.Do(func() { close(stop) }) }
	go func() {
		select {
		case <-cfg.Drain:
			stopWorkers()
		case <-stop:
		}
	}()
	var wg sync.WaitGroup
	werrs := make([]error, cfg.Workers)
	for i := range cfg.Workers {
		w, err := workers.New(workers.Config{ID: fmt.Sprintf("local-%d", i), Tree: cfg.Tree, Logger: cfg.Logger})
		if err != nil {
			stopWorkers()
			wg.Wait()
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			werrs[i] = w.Run(ctx, js, c.RunID(), stop)
		}()
	}
	workersDone := make(chan struct{})
	go func() { wg.Wait(); close(workersDone) }()

	// The coordinator waits for every task, or, on a drain, for the
	// workers to finish what they hold.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-workersDone:
			cancel()
		case <-wctx.Done():
		}
	}()
	rep, err := c.Wait(wctx)
	stopWorkers()
	<-workersDone
	if cerr := c.Close(context.WithoutCancel(ctx)); cerr != nil {
		log.Warn("cleaning up", "err", cerr)
	}
	if err != nil {
		return rep, err
	}
	log.Info("run finished", "tasks", rep.Tasks, "failed", rep.Failed, "records", rep.Records,
		"seconds", rep.Elapsed.Seconds(), "output", rep.OutputDir)
	return rep, errors.Join(werrs...)
}
