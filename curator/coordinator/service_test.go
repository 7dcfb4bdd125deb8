package coordinator

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go/jetstream"
)

// cluster is an embedded JetStream server with a coordinator service and
// worker services on it, each on its own connection, as in cluster mode.
type cluster struct {
	t    *testing.T
	srv  *Embedded
	root string
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	srv, err := StartEmbedded(tempDir(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return &cluster{t: t, srv: srv, root: filepath.Join(tempDir(t), "root")}
}

func (c *cluster) js(name string) jetstream.JetStream {
	c.t.Helper()
	nc, err := c.srv.Connect(name)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		c.t.Fatal(err)
	}
	return js
}

// coordinator starts a coordinator service; stop stops it and waits.
func (c *cluster) coordinator(onProgress func(string, Progress)) (stop func()) {
	stop, _ = c.coordinatorService(onProgress)
	return stop
}

// coordinatorService is coordinator, returning the service too.
func (c *cluster) coordinatorService(onProgress func(string, Progress)) (stop func(), svc *Service) {
	return c.namedCoordinator("test-coordinator", onProgress)
}

func (c *cluster) namedCoordinator(name string, onProgress func(string, Progress)) (stop func(), svc *Service) {
	c.t.Helper()
	svc, err := NewService(ServiceConfig{OutputRoot: c.root, Name: name, CuratorVersion: "test",
		Logger: testLogger(c.t), OnProgress: onProgress, Lease: 5 * time.Second})
	if err != nil {
		c.t.Fatal(err)
	}
	stop = c.serve(func(ctx context.Context) error { return svc.Run(ctx, c.js("coordinator")) })
	// Submissions need the buckets the service makes.
	js := c.js("probe")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		// The spec bucket is made last.
		if _, err := js.KeyValue(c.t.Context(), pb.SpecBucket); err == nil {
			return stop, svc
		}
		if time.Now().After(deadline) {
			c.t.Fatal("the coordinator service made no spec bucket in 10s")
		}
	}
}

// workers starts a worker service with n slots.
func (c *cluster) workers(n int, timeout time.Duration) (stop func()) {
	c.t.Helper()
	svc, err := workers.NewService(workers.ServiceConfig{Slots: n, CacheDir: c.t.TempDir(), OutputRoot: c.root,
		TaskTimeout: timeout, Logger: testLogger(c.t)})
	if err != nil {
		c.t.Fatal(err)
	}
	return c.serve(func(ctx context.Context) error { return svc.Run(ctx, c.js("worker"), nil) })
}

func (c *cluster) serve(run func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				c.t.Errorf("service: %v", err)
			}
		})
	}
	c.t.Cleanup(stop)
	return stop
}

// submit submits the named test recipes over inputs.
func (c *cluster) submit(run string, recipes []string, inputs ...string) {
	c.t.Helper()
	c.submitTo(run, "", recipes, inputs...)
}

// submitTo submits the named test recipes over inputs, with an output.
func (c *cluster) submitTo(run, output string, recipes []string, inputs ...string) {
	c.t.Helper()
	tree := loadTree(c.t, recipes...)
	spec := &pb.RunSpec{Version: pb.Version, RunId: run, Output: output, Recipes: workers.RecipeSpecs(tree.Recipes()), TaskBytes: 16 << 10,
		KeepRemoved: true, MaxDeliver: 2, AckWaitNanos: int64(5 * time.Second)}
	for _, in := range inputs {
		abs, _ := filepath.Abs(in)
		spec.Inputs = append(spec.Inputs, abs)
	}
	if err := Submit(c.t.Context(), c.js("submit"), spec, tree.Recipes(), ""); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cluster) wait(run string) *pb.RunState {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), 2*time.Minute)
	defer cancel()
	st, err := WaitRun(ctx, c.js("wait"), run, nil)
	if err != nil {
		c.t.Fatalf("waiting for run %s: %v", run, err)
	}
	return st
}

// sameOutputs asserts that two output directories hold byte-identical
// data and removed files and equal stats counters.
func sameOutputs(t *testing.T, want, got string, recipes ...string) {
	t.Helper()
	fw, fg := readTree(t, want), readTree(t, got)
	n := 0
	for name, b := range fw {
		if !strings.HasSuffix(name, ".jsonl.zst") || strings.HasPrefix(name, workers.StagingDir) {
			continue
		}
		n++
		if !bytes.Equal(b, fg[name]) {
			t.Errorf("%s differs", name)
		}
	}
	for name := range fg {
		if strings.HasSuffix(name, ".jsonl.zst") && fw[name] == nil && !strings.HasPrefix(name, workers.StagingDir) {
			t.Errorf("%s is extra", name)
		}
	}
	if n == 0 {
		t.Fatalf("no outputs in %s: nothing compared", want)
	}
	for _, r := range recipes {
		if a, b := counters(t, filepath.Join(want, r, StatsFile)), counters(t, filepath.Join(got, r, StatsFile)); a != b {
			t.Errorf("%s stats differ:\n%s\n---\n%s", r, a, b)
		}
	}
}

// reference runs the recipes in one process, undisturbed.
func reference(t *testing.T, recipes []string, inputs ...string) string {
	t.Helper()
	var abs []string
	for _, in := range inputs {
		a, _ := filepath.Abs(in)
		abs = append(abs, a)
	}
	cfg := localConfig(t, loadTree(t, recipes...), 2, abs...)
	runLocal(t, cfg)
	return cfg.OutputDir
}

// TestServiceRuns submits two runs at once to a coordinator service with
// two worker services: both finish with the outputs of `curator run`.
func TestServiceRuns(t *testing.T) {
	c := newCluster(t)
	c.coordinator(nil)
	c.workers(2, 0)
	c.workers(1, 0)
	c.submit("run-a", []string{"even", "top"}, poolDir)
	c.submit("run-b", []string{"upper"}, poolDir)
	for _, r := range []struct {
		run     string
		recipes []string
	}{{"run-a", []string{"even", "top"}}, {"run-b", []string{"upper"}}} {
		st := c.wait(r.run)
		if st.GetStatus() != pb.StatusDone || st.GetTasksFailed() != 0 {
			t.Fatalf("run %s: %v", r.run, st)
		}
		sameOutputs(t, reference(t, r.recipes, poolDir), filepath.Join(c.root, r.run), r.recipes...)
	}
	// A second submission of a run id is refused.
	tree := loadTree(t, "upper")
	err := Submit(t.Context(), c.js("again"), &pb.RunSpec{Version: pb.Version, RunId: "run-b",
		Recipes: workers.RecipeSpecs(tree.Recipes()), Inputs: []string{poolDir}}, tree.Recipes(), "")
	if err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("resubmitting run-b: %v", err)
	}
}

// TestServiceTakeover stops the coordinator service mid-run, while the
// workers go on, and starts another: it takes the run over from JetStream
// and finishes it with the outputs of an undisturbed run, keep_top
// threshold and dedup verdicts included. Stopping once in the first phase
// and once in the second covers both.
func TestServiceTakeover(t *testing.T) {
	recipes := []string{"even", "top", "dedup"}
	want := reference(t, recipes, poolDir)
	for _, phase := range []string{"first", "second"} {
		t.Run(phase, func(t *testing.T) {
			c := newCluster(t)
			stopped := make(chan struct{})
			var once sync.Once
			var stop func()
			var svc *Service
			var first int // tasks of the first phase
			stop, svc = c.coordinatorService(func(run string, p Progress) {
				if first == 0 {
					first = p.TasksTotal
				}
				if (phase == "first" && p.TasksDone >= 3) || (phase == "second" && p.TasksTotal > first && p.TasksDone > first) {
					once.Do(func() {
						go func() { stop(); close(stopped) }()
						// Hold the coordinator here until it is told to
						// leave, so that it merges nothing more.
						<-svc.Runs()[run].Detached()
					})
				}
			})
			c.workers(2, 0)
			c.submit("takeover", recipes, poolDir)
			select {
			case <-stopped:
			case <-time.After(time.Minute):
				t.Fatal("the coordinator was never stopped: the trigger did not fire")
			}
			st, err := GetState(t.Context(), c.js("state"), "takeover")
			if err != nil || st.GetStatus() != pb.StatusRunning {
				t.Fatalf("state after the coordinator stopped: %v %v", st, err)
			}
			c.coordinator(nil)
			st = c.wait("takeover")
			if st.GetStatus() != pb.StatusDone {
				t.Fatalf("run: %v", st)
			}
			sameOutputs(t, want, filepath.Join(c.root, "takeover"), recipes...)
		})
	}
}

// TestServiceCancel cancels a slow run: it ends as canceled, and run.json
// says it was interrupted.
func TestServiceCancel(t *testing.T) {
	c := newCluster(t)
	c.coordinator(nil)
	c.workers(1, 0)
	c.submit("slow", []string{"slow"}, poolDir)
	js := c.js("cancel")
	for {
		st, err := GetState(t.Context(), js, "slow")
		if err != nil {
			t.Fatal(err)
		}
		if st.GetStatus() == pb.StatusRunning {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := CancelRun(t.Context(), js, "slow"); err != nil {
		t.Fatal(err)
	}
	st := c.wait("slow")
	if st.GetStatus() != pb.StatusCanceled {
		t.Fatalf("state %v, want canceled", st)
	}
	if rr := readRun(t, filepath.Join(c.root, "slow")); rr.Status != "interrupted" {
		t.Errorf("run.json status %q, want interrupted", rr.Status)
	}
	if err := CancelRun(t.Context(), js, "no-such-run"); !errors.Is(err, ErrNoRun) {
		t.Errorf("canceling an unknown run: %v", err)
	}
}

// TestServiceHangingTask runs a shard on which a step hangs for ever: each
// delivery times out, the last fails the task with its reason, and the
// run finishes with the other tasks' outputs; the state names the task.
func TestServiceHangingTask(t *testing.T) {
	dir := t.TempDir()
	recipe := filepath.Join(dir, "hang.yaml")
	writeFile(t, recipe, "name: hang\nsteps:\n  - use: test_html_text\n  - use: test_hang\n    with: {shard: ccnet_sample}\n  - use: test_even_length\n")
	c := newCluster(t)
	c.coordinator(nil)
	c.workers(2, 500*time.Millisecond)
	tree, err := filters.LoadTree(recipe)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	in, _ := filepath.Abs(poolDir)
	spec := &pb.RunSpec{Version: pb.Version, RunId: "hang", Recipes: workers.RecipeSpecs(tree.Recipes()), TaskBytes: 16 << 10,
		MaxDeliver: 2, AckWaitNanos: int64(5 * time.Second), Inputs: []string{in}}
	if err := Submit(t.Context(), c.js("submit"), spec, tree.Recipes(), ""); err != nil {
		t.Fatal(err)
	}
	st := c.wait("hang")
	if st.GetStatus() != pb.StatusFailedTasks || st.GetTasksFailed() != 1 || len(st.GetFailures()) != 1 {
		t.Fatalf("state %v: want one failed task", st)
	}
	f := st.GetFailures()[0]
	if !strings.Contains(f.GetPath(), "ccnet_sample") || !strings.Contains(f.GetError(), "timed out") {
		t.Errorf("failure %v: want the ccnet shard, timed out", f)
	}
	rr := readRun(t, filepath.Join(c.root, "hang"))
	if rr.Summary.Failed != 1 || rr.Summary.OK != rr.Summary.Tasks-1 {
		t.Errorf("run.json summary %+v", rr.Summary)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServiceLease starts a second coordinator while the first runs: it
// waits, coordinates nothing, and takes over once the first stops.
func TestServiceLease(t *testing.T) {
	c := newCluster(t)
	stopA := c.coordinator(nil)
	var bRuns sync.Map
	_, _ = c.namedCoordinator("second", func(run string, _ Progress) { bRuns.Store(run, true) })
	c.workers(2, 0)
	c.submit("under-a", []string{"even"}, poolDir)
	if st := c.wait("under-a"); st.GetCoordinator() != "test-coordinator" {
		t.Errorf("run coordinated by %q while the first coordinator held the lease", st.GetCoordinator())
	}
	if _, ok := bRuns.Load("under-a"); ok {
		t.Error("the second coordinator worked on a run while the first held the lease")
	}
	stopA()
	c.submit("under-b", []string{"even"}, poolDir)
	if st := c.wait("under-b"); st.GetCoordinator() != "second" || st.GetStatus() != pb.StatusDone {
		t.Errorf("after the first stopped: %v", st)
	}
}

// TestServiceObjectOutput sends a run's outputs to an object store: every
// data and removed file is there with the bytes of `curator run`, with
// run.json and stats.json beside them. A keep_top recipe, whose staging
// needs a shared filesystem, is refused with a clear error.
func TestServiceObjectOutput(t *testing.T) {
	c := newCluster(t)
	c.coordinator(nil)
	c.workers(2, 0)
	c.submitTo("objects", "object://curator-out/runs/objects", []string{"even"}, poolDir)
	if st := c.wait("objects"); st.GetStatus() != pb.StatusDone || st.GetOutputDir() != "object://curator-out/runs/objects" {
		t.Fatalf("state %v", st)
	}
	want := reference(t, []string{"even"}, poolDir)
	js := c.js("read")
	obs, err := js.ObjectStore(t.Context(), "curator-out")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, b := range readTree(t, want) {
		if !strings.HasSuffix(name, ".jsonl.zst") {
			continue
		}
		n++
		got, err := obs.GetBytes(t.Context(), "runs/objects/"+name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !bytes.Equal(got, b) {
			t.Errorf("%s differs", name)
		}
	}
	if n == 0 {
		t.Fatal("nothing compared")
	}
	stats, err := obs.GetBytes(t.Context(), "runs/objects/even/stats.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "stats.json"), string(stats))
	if a, b := counters(t, filepath.Join(want, "even", StatsFile)), counters(t, filepath.Join(dir, "stats.json")); a != b {
		t.Errorf("stats differ:\n%s\n---\n%s", a, b)
	}
	if _, err := obs.GetInfo(t.Context(), "runs/objects/run.json"); err != nil {
		t.Errorf("run.json: %v", err)
	}
	if files := readTree(t, filepath.Join(c.root, "objects")); len(files) == 0 {
		t.Error("no run.json below the output root")
	} else {
		for name := range files {
			if strings.HasSuffix(name, ".jsonl.zst") {
				t.Errorf("%s written below the output root", name)
			}
		}
	}

	c.submitTo("objects-top", "object://curator-out/runs/top", []string{"top"}, poolDir)
	if st := c.wait("objects-top"); st.GetStatus() != pb.StatusError || !strings.Contains(st.GetError(), "shared filesystem") {
		t.Errorf("a keep_top run to an object store: %v", st)
	}
}
