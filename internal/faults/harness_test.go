package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/testcluster"
	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

const (
	poolDir   = "../../testdata/run/pool"
	recipeDir = "../../testdata/run/recipes"
	faultDir  = "../../testdata/faults"
)

func TestMain(m *testing.M) {
	code := testcluster.Main(m)
	refs.Range(func(_, dir any) bool {
		_ = os.RemoveAll(filepath.Dir(dir.(string)))
		return true
	})
	os.Exit(code)
}

// binaries builds nats-server and the curator binary with the fault steps.
func binaries(t *testing.T) testcluster.Binaries {
	return testcluster.BuildWith(t, testcluster.BuildOptions{Tags: []string{"faults"}})
}

// recipe is the path of a test recipe.
func recipe(name string) string {
	for _, dir := range []string{recipeDir, faultDir} {
		p, _ := filepath.Abs(filepath.Join(dir, name+".yaml"))
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	panic("no recipe " + name)
}

func pool() string { p, _ := filepath.Abs(poolDir); return p }

// env is curator in cluster mode on loopback: a coordinator and workers,
// real processes, against NATS servers at urls.
type env struct {
	t        *testing.T
	bin      testcluster.Binaries
	urls     string
	root     string
	replicas int

	mu      sync.Mutex
	coord   *testcluster.Proc
	workers map[string]*testcluster.Proc
	all     []*testcluster.Proc // every worker process started
	starts  int
}

func newEnv(t *testing.T, urls string, replicas int) *env {
	return &env{t: t, bin: binaries(t), urls: urls, root: filepath.Join(shmDir(t), "out"), replicas: replicas,
		workers: map[string]*testcluster.Proc{}}
}

// curatorEnv is the environment of every curator process: a language-ID
// cache of the test's own (none of these recipes needs it).
func (e *env) curatorEnv() []string {
	return []string{"CURATOR_CACHE_DIR=" + filepath.Join(e.root, "..", "cache")}
}

// startCoordinator starts (or restarts) the coordinator.
func (e *env) startCoordinator() *testcluster.Proc {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.starts++
	e.coord = testcluster.StartProc(e.t, fmt.Sprintf("coordinator-%d", e.starts), e.bin.Curator,
		[]string{"coordinator", "--nats", e.urls, "--output-root", e.root, "--http", "", "--log-level", "debug", "--lease", "2s",
			"--replicas", fmt.Sprint(e.replicas)}, e.curatorEnv())
	return e.coord
}

// startWorker starts (or restarts) the worker named name.
func (e *env) startWorker(name string, extra ...string) *testcluster.Proc {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.starts++
	args := append([]string{"worker", "--nats", e.urls, "--workers", "1", "--id", name, "--log-level", "debug",
		"--cache-dir", filepath.Join(e.root, "..", "worker-"+name), "--output-root", e.root}, extra...)
	p := testcluster.StartProc(e.t, fmt.Sprintf("%s-%d", name, e.starts), e.bin.Curator, args, e.curatorEnv())
	e.workers[name] = p
	e.all = append(e.all, p)
	return p
}

// redelivered counts the tasks the workers ran on a second or later
// delivery (their logs say delivery=N).
func (e *env) redelivered() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, p := range e.all {
		for _, line := range strings.Split(p.Stderr(), "\n") {
			if strings.Contains(line, `msg="task done"`) && strings.Contains(line, " delivery=") {
				n++
			}
		}
	}
	return n
}

func (e *env) worker(name string) *testcluster.Proc {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.workers[name]
}

// curator runs a short curator command and returns its exit code and output.
func (e *env) curator(args ...string) (int, string, string) {
	e.t.Helper()
	e.mu.Lock()
	e.starts++
	n := e.starts
	e.mu.Unlock()
	p := testcluster.StartProc(e.t, fmt.Sprintf("%s-%d", args[0], n), e.bin.Curator, args, e.curatorEnv())
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	code, err := p.Wait(ctx)
	if err != nil {
		e.t.Fatalf("curator %s: %v\n%s", args[0], err, p.Stderr())
	}
	return code, p.Stdout(), p.Stderr()
}

// submit submits a run of the named recipes over the pool.
func (e *env) submit(run string, recipes []string, extra ...string) {
	e.t.Helper()
	args := []string{"submit", "--nats", e.urls, "--run-id", run, "--task-bytes", "16KiB", "--keep-removed",
		"--ack-wait", "2s"}
	for _, r := range recipes {
		args = append(args, "--recipe", recipe(r))
	}
	args = append(append(args, extra...), pool())
	// The coordinator makes the buckets a submission needs: retry until it has.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		code, out, errs := e.curator(args...)
		if code == 0 {
			if strings.TrimSpace(out) != run {
				e.t.Fatalf("submit printed %q, want the run id %q", out, run)
			}
			return
		}
		if !strings.Contains(errs, "buckets are missing") || time.Now().After(deadline) {
			e.t.Fatalf("submit: exit %d\n%s", code, errs)
		}
	}
}

// wait waits for a run with `curator wait` and returns its exit code and output.
func (e *env) wait(run string) (int, string) {
	e.t.Helper()
	code, out, errs := e.curator("wait", "--nats", e.urls, "--timeout", "150s", run)
	return code, out + errs
}

// state reads a run's state straight from the run-state bucket.
func state(t *testing.T, js jetstream.JetStream, run string) *pb.RunState {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	kv, err := js.KeyValue(ctx, pb.RunStateBucket)
	if err != nil {
		return nil
	}
	ent, err := kv.Get(ctx, run)
	if err != nil {
		return nil
	}
	st := &pb.RunState{}
	if err := proto.Unmarshal(ent.Value(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitDone polls a run's state until done reports true for it.
func waitState(t *testing.T, nc *nats.Conn, run string, timeout time.Duration, done func(*pb.RunState) bool) *pb.RunState {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(timeout)
	for {
		if st := state(t, js, run); st != nil && done(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s: the awaited state did not come in %s (last: %v)", run, timeout, state(t, js, run))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// shm is /dev/shm where there is one: every output is fsynced, and fsync
// on a busy disk costs far more than these small runs.
func shm() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		return "/dev/shm"
	}
	return ""
}

// shmDir is a directory of the test, removed after it, in shm().
func shmDir(t *testing.T) string {
	dir, err := os.MkdirTemp(shm(), "curator-faults-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

var refs sync.Map // recipes -> reference output directory

// reference is the output of `curator run` of the recipes over the pool,
// undisturbed, made once per test process.
func reference(t *testing.T, bin testcluster.Binaries, recipes ...string) string {
	t.Helper()
	key := strings.Join(recipes, ",")
	if dir, ok := refs.Load(key); ok {
		return dir.(string)
	}
	dir, err := os.MkdirTemp(shm(), "curator-faults-ref-")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	args := []string{"run", "--workers", "2", "--task-bytes", "16KiB", "--keep-removed", "--output", out}
	for _, r := range recipes {
		args = append(args, "--recipe", recipe(r))
	}
	p := testcluster.StartProc(t, "reference", bin.Curator, append(args, pool()), []string{"CURATOR_CACHE_DIR=" + dir})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if code, err := p.Wait(ctx); code != 0 || err != nil {
		t.Fatalf("reference run: exit %d %v\n%s", code, err, p.Stderr())
	}
	refs.Store(key, out)
	return out
}

// sameOutputs asserts byte-identical data and removed files and equal
// stats counters (timings aside) in two output directories.
func sameOutputs(t *testing.T, want, got string, recipes ...string) {
	t.Helper()
	fw, fg := outputs(t, want), outputs(t, got)
	if len(fw) == 0 {
		t.Fatalf("no outputs in %s: nothing compared", want)
	}
	for name, b := range fw {
		if g, ok := fg[name]; !ok {
			t.Errorf("%s: missing", name)
		} else if !bytes.Equal(b, g) {
			t.Errorf("%s differs", name)
		}
	}
	for name := range fg {
		if _, ok := fw[name]; !ok {
			t.Errorf("%s: extra", name)
		}
	}
	for _, r := range recipes {
		name := strings.TrimSuffix(filepath.Base(recipe(r)), ".yaml")
		if a, b := counters(t, filepath.Join(want, name, "stats.json")), counters(t, filepath.Join(got, name, "stats.json")); a != b {
			t.Errorf("%s stats differ:\n%s\n---\n%s", name, a, b)
		}
	}
	// Gauge histograms and samples too, whatever crashed; and the
	// coordinator wrote the run's report.
	if a, b := observations(t, want), observations(t, got); a != b {
		t.Errorf("observations.json differ:\n%.2000s\n---\n%.2000s", a, b)
	}
	if _, err := os.Stat(filepath.Join(got, "report.html")); err != nil {
		t.Errorf("the run's report: %v", err)
	}
}

// observations is a run's observations.json without its run id.
func observations(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "observations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	delete(v, "run_id")
	out, _ := json.Marshal(v)
	return string(out)
}

// outputs reads the data and removed files below dir.
func outputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jsonl.zst") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, ".") {
			return nil // staging
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// counters is a stats.json without its timings.
func counters(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "time")
			for _, y := range x {
				strip(y)
			}
		case []any:
			for _, y := range x {
				strip(y)
			}
		}
	}
	strip(v)
	out, _ := json.MarshalIndent(v, "", " ")
	return string(out)
}
