package coordinator

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/teststeps"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// TestRunDamagedInput runs the pool with the two damaged files: the
// clipped WARC fails its task with the file and offset, the WET's bad
// record is an error document, and the run finishes.
func TestRunDamagedInput(t *testing.T) {
	tree := loadTree(t, "even")
	cfg := localConfig(t, tree, 2, poolDir, damagedDir)
	rep := runLocal(t, cfg)
	rr := readRun(t, cfg.OutputDir)
	if rr.Status != "failed_tasks" || rep.Failed != 1 || rr.Summary.Failed != 1 {
		t.Fatalf("status %q, %d failed tasks in the report, %d in run.json; want 1", rr.Status, rep.Failed, rr.Summary.Failed)
	}
	var clipped, wet *TaskRecord
	for i, tr := range rr.Tasks {
		switch filepath.Base(tr.Path) {
		case "resiliparse_clipped.warc.gz":
			clipped = &rr.Tasks[i]
		case "jeffharwell_corrupt_warcconversion_2.wet.gz":
			wet = &rr.Tasks[i]
		default:
			if tr.Status != "ok" {
				t.Errorf("task %d (%s): %s %s", tr.Index, tr.Path, tr.Status, tr.Error)
			}
		}
	}
	if clipped == nil || wet == nil {
		t.Fatal("damaged files missing from run.json")
	}
	if clipped.Status != "failed" || !strings.Contains(clipped.Error, clipped.Path) || !strings.Contains(clipped.Error, " at 0") ||
		!strings.Contains(clipped.Error, "truncated") {
		t.Errorf("clipped WARC: status %q, error %q: want failed, naming the file, the offset and the truncation", clipped.Status, clipped.Error)
	}
	if wet.Status != "ok_with_errors" || wet.ReadErrors != 1 || len(wet.RecordErrors) != 1 ||
		!strings.Contains(wet.RecordErrors[0], wet.Path+" at 540") {
		t.Errorf("damaged WET: %+v", wet)
	}
	st := readStats(t, filepath.Join(cfg.OutputDir, "even", StatsFile))
	if st.Documents.ReadErrors != 1 {
		t.Errorf("stats read errors %d, want 1", st.Documents.ReadErrors)
	}
	// The error document is in removed/ with its file and offset.
	files := readTree(t, cfg.OutputDir)
	name := fmt.Sprintf("even/removed/task-%06d.jsonl.zst", wet.Index)
	lines := readLines(t, files[name])
	if len(lines) != 1 || string(lines[0]["removed_by"]) != `"read"` || !strings.Contains(string(lines[0]["reason"]), "at 540") {
		t.Errorf("%s: %v", name, lines)
	}
}

// startRun starts an embedded server and a coordinator for cfg, without workers.
func startRun(t *testing.T, cfg Config) (*Coordinator, jetstream.JetStream) {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := StartEmbedded(tempDir(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	nc, err := srv.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context(), js); err != nil {
		t.Fatal(err)
	}
	return c, js
}

// runWorkers runs n workers until the coordinator is done, and returns its report.
func runWorkers(t *testing.T, c *Coordinator, js jetstream.JetStream, tree *filters.Tree, n int) (*Report, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	stop := make(chan struct{})
	done := make(chan struct{})
	for i := range n {
		w, err := workers.New(workers.Config{ID: fmt.Sprintf("w%d", i), Tree: tree, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer func() { done <- struct{}{} }()
			if err := w.Run(ctx, js, c.RunID(), stop); err != nil {
				t.Errorf("worker: %v", err)
			}
		}()
	}
	rep, err := c.Wait(ctx)
	close(stop)
	for range n {
		<-done
	}
	if cerr := c.Close(context.Background()); cerr != nil {
		t.Error(cerr)
	}
	return rep, err
}

// TestRedelivery: one worker publishes a task's result and dies before
// acking it; another naks a task. Both tasks are delivered again and run
// again; each is merged exactly once, and the outputs and counters are
// those of an undisturbed run.
func TestRedelivery(t *testing.T) {
	tree := loadTree(t, "even", "upper")
	inputs := []string{poolDir + "/ccnet_sample.warc.wet", poolDir + "/resiliparse_CC-MAIN-2020-34_warcfile.warc.gz"}
	ref := localConfig(t, tree, 2, inputs...)
	runLocal(t, ref)

	cfg := localConfig(t, tree, 2, inputs...).Config
	cfg.AckWait = 2 * time.Second
	c, js := startRun(t, cfg)
	cons, err := js.Consumer(t.Context(), pb.TaskStream(c.RunID()), pb.WorkersConsumer)
	if err != nil {
		t.Fatal(err)
	}
	dying, err := workers.New(workers.Config{ID: "dying", Tree: tree, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	// Task 0: processed, result published (without a message id, so that the
	// stream keeps the second one and the coordinator must drop it), no ack.
	msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	task := &pb.Task{}
	if err := proto.Unmarshal(msg.Data(), task); err != nil {
		t.Fatal(err)
	}
	res, err := dying.ProcessTask(t.Context(), task)
	if err != nil || res.GetStatus() != pb.Status_STATUS_OK || res.GetRecords() == 0 {
		t.Fatalf("task %d: %v %v", task.GetIndex(), res, err)
	}
	data, _ := proto.Marshal(res)
	if _, err := js.Publish(t.Context(), pb.ResultSubject(c.RunID()), data); err != nil {
		t.Fatal(err)
	}
	// Task 1: handed back at once.
	msg2, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := msg2.Nak(); err != nil {
		t.Fatal(err)
	}
	// Let the first task's ack deadline pass, so that it is delivered again.
	time.Sleep(cfg.AckWait + cfg.AckWait/2)
	teststeps.CountCalls.Store(0)
	rep, err := runWorkers(t, c, js, tree, 2)
	if err != nil {
		t.Fatal(err)
	}
	rr := readRun(t, cfg.OutputDir)
	if rep.Failed != 0 || rep.NotRun != 0 || rr.Summary.OK != rep.Tasks {
		t.Fatalf("report %+v, summary %+v", rep, rr.Summary)
	}
	if rr.Summary.DuplicateResults != 1 {
		t.Errorf("duplicate results %d, want 1 (task %d ran twice)", rr.Summary.DuplicateResults, task.GetIndex())
	}
	// The dying worker's result came first and stands; the duplicate is
	// the second run of the task by a live worker.
	if tr := rr.Tasks[task.GetIndex()]; tr.Worker != "dying" {
		t.Errorf("task %d merged from worker %q, want the first result (dying)", task.GetIndex(), tr.Worker)
	}
	if got := teststeps.CountCalls.Load(); got < rep.Records {
		t.Errorf("test_count ran %d times after the restart, want at least %d", got, rep.Records)
	}
	want, got := readTree(t, ref.OutputDir), readTree(t, cfg.OutputDir)
	for name, b := range want {
		if strings.HasSuffix(name, ".jsonl.zst") && string(got[name]) != string(b) {
			t.Errorf("%s differs from an undisturbed run", name)
		}
	}
	for _, r := range []string{"even", "upper"} {
		if a, b := counters(t, filepath.Join(ref.OutputDir, r, StatsFile)), counters(t, filepath.Join(cfg.OutputDir, r, StatsFile)); a != b {
			t.Errorf("%s: counters differ from an undisturbed run:\n%s\n---\n%s", r, a, b)
		}
	}
}

// TestDeliveriesExhausted: a task that no worker ever finishes is failed
// after MaxDeliver deliveries and the run goes on.
func TestDeliveriesExhausted(t *testing.T) {
	tree := loadTree(t, "even")
	cfg := localConfig(t, tree, 1, poolDir+"/ccnet_sample.warc.wet", poolDir+"/jwarc_cc.warc.gz").Config
	cfg.AckWait = 300 * time.Millisecond
	cfg.MaxDeliver = 2
	c, js := startRun(t, cfg)
	cons, err := js.Consumer(t.Context(), pb.TaskStream(c.RunID()), pb.WorkersConsumer)
	if err != nil {
		t.Fatal(err)
	}
	// Take the first task and let its ack deadline pass, twice: a worker
	// that dies on it every time.
	var index int64 = -1
	for range cfg.MaxDeliver {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		task := &pb.Task{}
		if err := proto.Unmarshal(msg.Data(), task); err != nil {
			t.Fatal(err)
		}
		if index >= 0 && task.GetIndex() != index {
			t.Fatalf("got task %d, want task %d again", task.GetIndex(), index)
		}
		index = task.GetIndex()
		time.Sleep(3 * cfg.AckWait)
	}
	rep, err := runWorkers(t, c, js, tree, 1)
	if err != nil {
		t.Fatal(err)
	}
	rr := readRun(t, cfg.OutputDir)
	if rep.Failed != 1 || rr.Summary.OK != rep.Tasks-1 {
		t.Fatalf("report %+v, summary %+v", rep, rr.Summary)
	}
	tr := rr.Tasks[index]
	if tr.Status != "failed" || !strings.Contains(tr.Error, "delivered 2 times") {
		t.Errorf("task %d: %s %q", index, tr.Status, tr.Error)
	}
}

// TestDrain: a drain (the first SIGINT) lets the task in hand finish and be
// merged, starts no other, and the run ends as interrupted with the tasks
// not run listed.
func TestDrain(t *testing.T) {
	tree := loadTree(t, "even")
	cfg := localConfig(t, tree, 1, poolDir)
	drain := make(chan struct{})
	cfg.Drain = drain
	var once sync.Once
	cfg.Progress = func(Progress) { once.Do(func() { close(drain) }) }
	rep, err := RunLocal(context.Background(), cfg)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v, want ErrInterrupted", err)
	}
	rr := readRun(t, cfg.OutputDir)
	if rr.Status != "interrupted" || rep == nil || rep.NotRun == 0 || rr.Summary.NotRun != rep.NotRun || rr.Summary.OK == 0 {
		t.Fatalf("status %q, report %+v, summary %+v", rr.Status, rep, rr.Summary)
	}
	// Only finished tasks wrote files, and stats count exactly their documents.
	files := readTree(t, cfg.OutputDir)
	var kept int64
	for name, b := range files {
		if !strings.HasSuffix(name, ".jsonl.zst") {
			continue
		}
		var index int64
		if _, err := fmt.Sscanf(filepath.Base(name), "task-%06d.jsonl.zst", &index); err != nil {
			t.Fatal(err)
		}
		if rr.Tasks[index].Status != "ok" {
			t.Errorf("%s written by task %d, which is %s", name, index, rr.Tasks[index].Status)
		}
		if strings.Contains(name, "/data/") {
			kept += int64(len(readLines(t, b)))
		}
	}
	st := readStats(t, filepath.Join(cfg.OutputDir, "even", StatsFile))
	if st.Documents.Kept != kept || st.Documents.Records != rr.Summary.Records {
		t.Errorf("stats: kept %d (files %d), records %d (run.json %d)", st.Documents.Kept, kept, st.Documents.Records, rr.Summary.Records)
	}
}

// TestZstdDict: an external zstd dictionary reaches the workers through the
// object store (checked by its hash) and reading with it gives the same
// documents as reading with the dictionary the file carries.
func TestZstdDict(t *testing.T) {
	tree := loadTree(t, "even")
	input := poolDir + "/resiliparse_CC-MAIN-2020-34.dict.warc.zst"
	plain := localConfig(t, tree, 2, input)
	runLocal(t, plain)
	withDict := localConfig(t, tree, 2, input)
	withDict.ZstdDict = "../../testdata/run/dict/resiliparse_CC-MAIN-2020-34.zstd-dict"
	runLocal(t, withDict)
	rr := readRun(t, withDict.OutputDir)
	if rr.Status != "ok" || len(rr.Options.ZstdDictSha256) != 64 {
		t.Fatalf("run.json: status %s, options %+v", rr.Status, rr.Options)
	}
	a, b := readTree(t, plain.OutputDir), readTree(t, withDict.OutputDir)
	for name, data := range a {
		if strings.HasSuffix(name, ".jsonl.zst") && string(b[name]) != string(data) {
			t.Errorf("%s differs with the external dictionary", name)
		}
	}
	if c1, c2 := counters(t, filepath.Join(plain.OutputDir, "even", StatsFile)), counters(t, filepath.Join(withDict.OutputDir, "even", StatsFile)); c1 != c2 {
		t.Errorf("counters differ:\n%s\n---\n%s", c1, c2)
	}
}

// TestHeartbeats: a task that takes longer than the ack deadline is kept
// alive by InProgress heartbeats and runs once.
func TestHeartbeats(t *testing.T) {
	tree := loadTree(t, "slow")
	cfg := localConfig(t, tree, 2, poolDir+"/ccnet_sample.warc.wet")
	cfg.AckWait = 600 * time.Millisecond
	teststeps.CountCalls.Store(0)
	rep := runLocal(t, cfg)
	if rep.Failed != 0 || rep.Records != 3 {
		t.Fatalf("report %+v", rep)
	}
	if rr := readRun(t, cfg.OutputDir); rr.Tasks[0].WallSeconds < 2*cfg.AckWait.Seconds() {
		t.Fatalf("the task took %.2fs, not longer than the ack deadline (%s): nothing tested", rr.Tasks[0].WallSeconds, cfg.AckWait)
	}
	if n := teststeps.CountCalls.Load(); n != 3 {
		t.Errorf("the documents went through the recipe %d times, want 3 (the task was delivered again)", n)
	}
}
