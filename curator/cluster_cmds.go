package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/curator/report"
	"github.com/curator-dev/curator/internal/metrics"
	"github.com/curator-dev/curator/workers"
)

// cmdCoordinator is `curator coordinator`: it coordinates every submitted
// run until SIGINT or SIGTERM, then leaves the runs in flight to the next
// coordinator.
func cmdCoordinator(args []string, stderr io.Writer) error {
	f := newClusterFlags("coordinator", "--output-root DIR [flags]", stderr)
	var root, cache string
	var replicas int
	var dedupMemory byteSize
	var lease time.Duration
	f.fs.StringVar(&root, "output-root", "", "`dir`ectory below which every run's output directory is made (a shared filesystem the workers see at the same path)")
	f.fs.StringVar(&cache, "cache-dir", "", "`dir`ectory for the files the recipes read and the language-ID tables (default OUTPUT-ROOT/.curator-cache)")
	f.fs.IntVar(&replicas, "replicas", 1, "replica count of the JetStream streams, buckets and object store: 1, or 3 on a three-node cluster")
	f.fs.DurationVar(&lease, "lease", coordinator.DefaultLease, "a second coordinator waits until this one has stopped, or been silent this long")
	f.fs.Var(&dedupMemory, "dedup-memory", "memory a dedup step's filter may use (e.g. 64GiB; default: half the machine's memory)")
	h := registerHTTP(f.fs, defaultCoordinatorHTTP)
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return fmt.Errorf("%w: coordinator takes no arguments (got %q)", errUsage, pos)
	case root == "":
		return fmt.Errorf("%w: coordinator needs --output-root", errUsage)
	case replicas != 1 && replicas != 3:
		return fmt.Errorf("%w: --replicas must be 1 or 3", errUsage)
	}
	log, err := f.logger(stderr)
	if err != nil {
		return err
	}
	if cache == "" {
		cache = filepath.Join(root, ".curator-cache")
	}
	useCacheDir(cache)
	// A signal stops the coordinator: its runs stay in JetStream for the
	// next one.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	nc, js, err := f.connect(context.Background(), "curator-coordinator", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	reg := metrics.NewRegistry()
	var svc *coordinator.Service
	m := newCoordinatorMetrics(reg, &svc, js)
	svc, err = coordinator.NewService(coordinator.ServiceConfig{OutputRoot: root, CacheDir: cache, Replicas: replicas,
		DedupMemory: uint64(dedupMemory), CuratorVersion: curatorVersion(), Logger: log, OnProgress: m.progress,
		Lease: lease, Report: func(dir string) error { _, err := report.Write(dir); return err }})
	if err != nil {
		return err
	}
	hctx, hstop := context.WithCancel(ctx)
	api := coordinatorAPI(reg, js, nc, func() map[string]*coordinator.Coordinator { return svc.Runs() })
	srv, err := serveWith(hctx, h, log, coordinatorHandler(api))
	if err != nil {
		hstop()
		return err
	}
	defer srv.wait()
	defer hstop() // before srv.wait: the server stops with the coordinator
	dash := "off"
	if h.addr != "" {
		dash = "http://" + srv.addr() + "/runs/RUN/"
	}
	log.Info("coordinator started", "nats", f.nats.String(), "output_root", root, "replicas", replicas, "http", srv.addr(),
		"dashboard", dash)
	return svc.Run(ctx, js)
}

// cmdWorker is `curator worker`: it runs the tasks of every running run
// until SIGINT or SIGTERM (the tasks in hand are finished first; a second
// signal hands them back).
func cmdWorker(args []string, stderr io.Writer) error {
	f := newClusterFlags("worker", "[flags]", stderr)
	var cfg workers.ServiceConfig
	f.fs.IntVar(&cfg.Slots, "workers", runtime.NumCPU(), "tasks run at once")
	f.fs.StringVar(&cfg.CacheDir, "cache-dir", "", "`dir`ectory for the files the recipes read and the language-ID tables (default: the user cache directory)")
	f.fs.StringVar(&cfg.OutputRoot, "output-root", "", "refuse tasks whose output directory is not below this `dir`ectory")
	f.fs.DurationVar(&cfg.TaskTimeout, "task-timeout", 0, "hand a task back after this long (0: no limit; heartbeats keep a slow task)")
	f.fs.StringVar(&cfg.ID, "id", "", "worker `name` in results and logs (default host-pid)")
	h := registerHTTP(f.fs, "")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: worker takes no arguments (got %q)", errUsage, pos)
	}
	if cfg.Slots < 1 {
		return fmt.Errorf("%w: --workers must be at least 1", errUsage)
	}
	log, err := f.logger(stderr)
	if err != nil {
		return err
	}
	useCacheDir(cfg.CacheDir)
	drain, ctx, stop := signals(log)
	defer stop()
	nc, js, err := f.connect(context.Background(), "curator-worker", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	cfg.Logger = log
	api, m := workerAPI(nc)
	cfg.Metrics = m
	svc, err := workers.NewService(cfg)
	if err != nil {
		return err
	}
	hctx, hstop := context.WithCancel(context.Background())
	defer hstop()
	srv, err := startHTTP(hctx, h, log, api)
	if err != nil {
		return err
	}
	defer srv.wait()
	log.Info("worker started", "nats", f.nats.String(), "workers", cfg.Slots, "http", srv.addr())
	err = svc.Run(ctx, js, drain)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	hstop()
	return err
}
