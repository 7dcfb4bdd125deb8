package coordinator

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestEstimate(t *testing.T) {
	for _, c := range []struct {
		p    Progress
		frac float64
		eta  time.Duration
		ok   bool
	}{
		// A quarter of the bytes in 10 s: 30 s to go.
		{Progress{BytesDone: 25, BytesTotal: 100, TasksDone: 9, TasksTotal: 10, Elapsed: 10 * time.Second}, 0.25, 30 * time.Second, true},
		// No byte sizes: by tasks.
		{Progress{TasksDone: 3, TasksTotal: 4, Elapsed: 6 * time.Second}, 0.75, 2 * time.Second, true},
		// Nothing done yet, or everything: no ETA.
		{Progress{BytesTotal: 100, Elapsed: time.Second}, 0, 0, false},
		{Progress{BytesDone: 100, BytesTotal: 100, Elapsed: time.Second}, 1, 0, false},
		// Not started.
		{Progress{BytesDone: 50, BytesTotal: 100}, 0.5, 0, false},
		{Progress{}, 0, 0, false},
	} {
		frac, eta, ok := Estimate(c.p)
		if !near(frac, c.frac) || eta != c.eta || ok != c.ok {
			t.Errorf("Estimate(%+v) = %v, %v, %v; want %v, %v, %v", c.p, frac, eta, ok, c.frac, c.eta, c.ok)
		}
	}
}

func TestWindowRate(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var s []rateSample
	// One sample: the overall rate.
	s = addSample(s, rateSample{t0, 0})
	if r := windowRate(s, 7); r != 7 {
		t.Errorf("one sample: %v, want the overall 7", r)
	}
	// Under a second apart: still the overall rate.
	s = addSample(s, rateSample{t0.Add(500 * time.Millisecond), 50})
	if r := windowRate(s, 7); r != 7 {
		t.Errorf("0.5 s of samples: %v, want the overall 7", r)
	}
	// 100 documents a second for 20 s, sampled every second, then 10 a
	// second for 10 s: the window sees only the last 10 s.
	n := int64(0)
	s = nil
	for i := 0; i <= 20; i++ {
		s = addSample(s, rateSample{t0.Add(time.Duration(i) * time.Second), n})
		n += 100
	}
	n -= 100
	if r := windowRate(s, 0); !near(r, 100) {
		t.Errorf("steady 100/s: %v", r)
	}
	for i := 21; i <= 30; i++ {
		n += 10
		s = addSample(s, rateSample{t0.Add(time.Duration(i) * time.Second), n})
	}
	if r := windowRate(s, 0); !near(r, 10) {
		t.Errorf("10/s for the last 10 s: %v, want 10", r)
	}
	if span := s[len(s)-1].t.Sub(s[0].t); span != rateWindow {
		t.Errorf("samples span %v, want the window %v", span, rateWindow)
	}
	// Polled every millisecond for 10 s at 50 a second: a bounded number
	// of samples, and the rate.
	s = nil
	for i := 0; i <= 10000; i++ {
		s = addSample(s, rateSample{t0.Add(time.Duration(i) * time.Millisecond), int64(i / 20)})
	}
	if r := windowRate(s, 0); !near(r, 50) || len(s) > 60 {
		t.Errorf("polled every ms: %v over %d samples", r, len(s))
	}
	// Sparse samples: the older one is kept, the rate spans both.
	s = addSample(nil, rateSample{t0, 0})
	s = addSample(s, rateSample{t0.Add(40 * time.Second), 400})
	if r := windowRate(s, 0); !near(r, 10) || len(s) != 2 {
		t.Errorf("two samples 40 s apart: %v over %d samples", r, len(s))
	}
}

func TestNaturalOrder(t *testing.T) {
	ids := []string{"local-10", "local-2", "b", "a", "local-1", "host9", "host10"}
	seen := make([]seenWorker, len(ids))
	for i, id := range ids {
		seen[i] = seenWorker{st: &pb.WorkerStatus{WorkerId: id}}
	}
	got := liveWorkers(seen, time.Now(), false)
	want := []string{"a", "b", "host9", "host10", "local-1", "local-2", "local-10"}
	for i := range want {
		if got[i].ID != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

// TestLiveComputation checks Live's arithmetic on a planned run whose
// progress and worker statuses are set by hand.
func TestLiveComputation(t *testing.T) {
	tree := loadTree(t, "even", "upper")
	c, err := New(localConfig(t, tree, 1, poolDir).Config)
	if err != nil {
		t.Fatal(err)
	}
	// Planned, not started.
	l := c.Live()
	if l.Status != LiveStarting || l.Progress.TasksTotal != len(c.jobs) || l.Progress.TasksTotal < 3 ||
		l.Progress.BytesTotal <= 0 || l.ETASeconds != nil || l.Report != filepath.Join(c.OutputDir(), "report.html") {
		t.Fatalf("before the start: %+v", l)
	}
	if len(l.Recipes) != 2 || l.Recipes[0].Name != "even" || len(l.Recipes[0].Steps) != 4 || len(l.Recipes[1].Steps) != 5 ||
		l.Recipes[0].Steps[0].Node != l.Recipes[1].Steps[0].Node || l.Recipes[0].Steps[3].Use != "test_even_length" {
		t.Fatalf("funnel shape: %+v", l.Recipes)
	}

	// 10 s in: task 0 done (a quarter of the bytes, 30 records), task 1
	// failed, workers a and b working on tasks 1 (done already: a stale
	// status) and 2, c idle, d silent for 6 s.
	now := time.Now()
	c.live.mu.Lock()
	c.live.started = now.Add(-10 * time.Second)
	c.live.mu.Unlock()
	c.mu.Lock()
	c.jobs[0].out = &outcome{res: &pb.Result{Status: pb.Status_STATUS_OK, Records: 30}}
	c.jobs[1].out = &outcome{res: &pb.Result{Status: pb.Status_STATUS_FAILED, WorkerId: "a", Error: "shard x at 12: broken"}}
	c.progress.TasksDone, c.progress.TasksFailed, c.progress.Records = 2, 1, 30
	c.progress.BytesDone = c.progress.BytesTotal / 4
	c.stats.Nodes[0].In, c.stats.Nodes[0].Kept, c.stats.Nodes[0].Removed = 30, 28, map[string]int64{"no_text": 2}
	c.mu.Unlock()
	status := func(id, state, task string, records int64, ago time.Duration) {
		c.sawWorker(&pb.WorkerStatus{Version: pb.Version, RunId: c.run, WorkerId: id, State: state, Task: task, Records: records,
			UnixNanos: now.Add(-ago).UnixNano(), TaskStartedUnixNanos: now.Add(-ago - 3*time.Second).UnixNano()}, now.Add(-ago))
	}
	status("a", pb.WorkerWorking, "1", 99, 0)
	status("b", pb.WorkerWorking, "2", 5, 0)
	status("c", pb.WorkerIdle, "", 0, 0)
	status("d", pb.WorkerWorking, "3", 7, 6*time.Second)
	// An older status of b arriving late changes nothing.
	c.sawWorker(&pb.WorkerStatus{Version: pb.Version, RunId: c.run, WorkerId: "b", State: pb.WorkerIdle,
		UnixNanos: now.Add(-time.Second).UnixNano()}, now)

	l = c.Live()
	if l.Status != LiveRunning || math.Abs(l.ElapsedSeconds-10) > 0.5 {
		t.Fatalf("status %s, elapsed %v", l.Status, l.ElapsedSeconds)
	}
	p := l.Progress
	// Only b's task is both open and held by a live worker.
	if p.TasksRunning != 1 || p.Records != 35 || p.RecordsDone != 30 || p.TasksDone != 2 || p.TasksFailed != 1 || !near(p.Fraction, float64(p.BytesTotal/4)/float64(p.BytesTotal)) {
		t.Errorf("progress %+v", p)
	}
	if math.Abs(l.DocsPerSec-3.5) > 0.2 {
		t.Errorf("docs/s %v, want 35 documents over 10 s", l.DocsPerSec)
	}
	if l.ETASeconds == nil || math.Abs(*l.ETASeconds-30) > 1.5 {
		t.Errorf("ETA %v, want about 30 s (a quarter done in 10 s)", l.ETASeconds)
	}
	alive := map[string]bool{}
	for _, w := range l.Workers {
		alive[w.ID] = w.Alive
		if w.ID == "b" && (w.Records != 5 || w.State != pb.WorkerWorking || math.Abs(w.TaskSeconds-3) > 0.5) {
			t.Errorf("worker b: %+v", w)
		}
	}
	if len(l.Workers) != 4 || !alive["a"] || !alive["b"] || !alive["c"] || alive["d"] {
		t.Errorf("workers %+v", l.Workers)
	}
	if len(l.Failed) != 1 || l.Failed[0].Task != "1" || l.Failed[0].Worker != "a" || l.Failed[0].Error != "shard x at 12: broken" {
		t.Errorf("failures %+v", l.Failed)
	}
	if s := l.Recipes[1].Steps[0]; s.In != 30 || s.Kept != 28 || s.RemovedTotal != 2 || s.Removed["no_text"] != 2 {
		t.Errorf("first shared step %+v", s)
	}
	// The snapshot owns its maps.
	l.Recipes[0].Steps[0].Removed["no_text"] = 1000
	if c.stats.Nodes[0].Removed["no_text"] != 2 {
		t.Error("Live shares the coordinator's counters")
	}
	if _, err := json.Marshal(l); err != nil {
		t.Fatal(err)
	}

	// Ended: no worker alive, elapsed frozen, ETA 0.
	c.markEnded(nil)
	l = c.Live()
	time.Sleep(20 * time.Millisecond)
	l2 := c.Live()
	if l.Status != LiveFinished || l.Outcome != "failed_tasks" || l.ETASeconds == nil || *l.ETASeconds != 0 ||
		l.ElapsedSeconds != l2.ElapsedSeconds || l.DocsPerSecRecent != 0 {
		t.Errorf("ended: %+v", l)
	}
	for _, w := range l.Workers {
		if w.Alive {
			t.Errorf("worker %s alive after the end", w.ID)
		}
	}
}

// TestLiveLocalRun checks a real run's last snapshot against what it
// wrote: every task done, the funnel equal to stats.json, the workers
// heard from.
func TestLiveLocalRun(t *testing.T) {
	tree := loadTree(t, "even", "upper", "top")
	cfg := localConfig(t, tree, 2, poolDir+"/jwarc_cc.warc.gz", poolDir+"/ccnet_sample.warc.wet")
	var c *Coordinator
	cfg.Planned = func(pc *Coordinator) { c = pc }
	rep, err := RunLocal(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c == nil {
		t.Fatal("Planned was not called")
	}
	l := c.Live()
	if l.Status != LiveFinished || l.Outcome != "ok" || l.Progress.TasksDone != rep.Tasks || l.Progress.TasksTotal != rep.Tasks ||
		l.Progress.Records != rep.Records || l.Progress.Fraction != 1 || l.RunID != rep.RunID {
		t.Errorf("final snapshot %+v, report %+v", l, rep)
	}
	for _, r := range l.Recipes {
		b, err := os.ReadFile(filepath.Join(rep.OutputDir, r.Name, StatsFile))
		if err != nil {
			t.Fatal(err)
		}
		var st RecipeStats
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if len(r.Steps) != len(st.Steps) {
			t.Fatalf("%s: %d steps, stats.json has %d", r.Name, len(r.Steps), len(st.Steps))
		}
		for i, s := range st.Steps {
			g := r.Steps[i]
			if g.ID != s.ID || g.In != s.In || g.Kept != s.Kept || g.Errors != s.Errors || g.RemovedTotal != sum(s.Removed) ||
				g.In != g.Kept+g.RemovedTotal+g.Errors {
				t.Errorf("%s step %d: live %+v, stats.json %+v", r.Name, i, g, s)
			}
		}
	}
	ids := map[string]bool{}
	var done int64
	for _, w := range l.Workers {
		ids[w.ID] = true
		done += w.TasksDone
	}
	if !ids["local-0"] || !ids["local-1"] || len(ids) != 2 {
		t.Errorf("workers %+v", l.Workers)
	}
	// Statuses sent after the run's subscription ended are not heard, so
	// the workers may have settled more tasks than their last status says.
	if done > int64(rep.Tasks) {
		t.Errorf("workers say they settled %d tasks of %d", done, rep.Tasks)
	}
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// TestLiveDuringRun watches a run whose steps take 40 ms a document: the
// workers' statuses show the tasks in hand and what they read so far.
func TestLiveDuringRun(t *testing.T) {
	dir := t.TempDir()
	recipe := filepath.Join(dir, "slow.yaml")
	if err := os.WriteFile(recipe, []byte("name: slow\nsteps:\n  - use: test_html_text\n  - use: test_slow\n    with: {millis: 40}\n  - use: test_even_length\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := filters.LoadTree(recipe)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	// 25 and 10 documents: the first task takes a second at least, so a
	// worker status is sent in the middle of it.
	cfg := localConfig(t, tree, 2, "../../testdata/example/jeffharwell_CC-MAIN-2016-50_filter_test_1.wet.gz",
		"../../testdata/example/dolma_cc_en_head-0091.jsonl.gz")
	cfg.TaskBytes = 0
	planned := make(chan *Coordinator, 1)
	cfg.Planned = func(c *Coordinator) { planned <- c }
	type ended struct {
		rep *Report
		err error
	}
	done := make(chan ended, 1)
	go func() {
		rep, err := RunLocal(context.Background(), cfg)
		done <- ended{rep, err}
	}()
	c := <-planned
	var inHand, running, recent bool
	var e ended
	for finished := false; !finished; {
		select {
		case e = <-done:
			finished = true
		case <-time.After(20 * time.Millisecond):
		}
		l := c.Live()
		p := l.Progress
		if p.TasksDone > p.TasksTotal || p.Records < p.RecordsDone || p.TasksRunning > 2 {
			t.Errorf("snapshot %+v", l)
		}
		if l.Status != LiveRunning {
			continue
		}
		running = true
		for _, w := range l.Workers {
			if w.Alive && w.State == "working" && w.Records > 0 && w.Task != "" && w.TaskSeconds > 0 &&
				strings.HasSuffix(w.Path, ".gz") && p.Records > p.RecordsDone && p.TasksRunning > 0 {
				inHand = true
			}
		}
		if l.DocsPerSecRecent > 0 {
			recent = true
		}
	}
	if e.err != nil {
		t.Fatal(e.err)
	}
	if !running || !inHand || !recent {
		t.Errorf("seen running %v, a task in hand with records %v, a recent rate %v", running, inHand, recent)
	}
	if l := c.Live(); l.Status != LiveFinished || l.Progress.Records != e.rep.Records || e.rep.Records != 35 {
		t.Errorf("final %+v, report %+v", l, e.rep)
	}
}

// BenchmarkLive measures a snapshot of a run of 100,000 tasks (1% failed)
// with 64 workers: the dashboard takes one a second per viewer, most of it
// under c.mu.
func BenchmarkLive(b *testing.B) {
	tree := loadTreeFrom(b, filepath.Join(recipeDir, "even.yaml"), filepath.Join(recipeDir, "upper.yaml"))
	c, err := New(Config{Tree: tree, Inputs: []string{poolDir}, OutputDir: filepath.Join(b.TempDir(), "out"), TaskBytes: 16 << 10,
		Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	c.mu.Lock()
	for i := range 100000 {
		t := &pb.Task{Index: int64(len(c.jobs)), Range: &pb.ShardRange{Path: "shard.warc.gz"}}
		j := c.addJob(t, 1<<20)
		res := &pb.Result{Status: pb.Status_STATUS_OK, Records: 100}
		if i%100 == 0 {
			res = &pb.Result{Status: pb.Status_STATUS_FAILED, Error: "shard.warc.gz at 12345: broken"}
			c.progress.TasksFailed++
		}
		c.jobs[j].out = &outcome{res: res}
		c.progress.TasksDone++
	}
	c.mu.Unlock()
	c.live.started = time.Now().Add(-time.Hour)
	now := time.Now()
	for i := range 64 {
		c.sawWorker(&pb.WorkerStatus{Version: pb.Version, RunId: c.run, WorkerId: "host-" + strconv.Itoa(i), State: pb.WorkerWorking,
			Task: strconv.Itoa(i * 7), Records: 50, UnixNanos: now.UnixNano()}, now)
	}
	b.ResetTimer()
	for b.Loop() {
		if l := c.Live(); len(l.Workers) != 64 || len(l.Failed) != maxLiveFailures {
			b.Fatalf("%d workers, %d failures", len(l.Workers), len(l.Failed))
		}
	}
}
