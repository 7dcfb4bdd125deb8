package coordinator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	_ "github.com/curator-dev/curator/filters/dedup"
	_ "github.com/curator-dev/curator/filters/extract"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
)

// dupInputs is the run pool plus a copy of one of its shards under another
// name: every document of that shard comes twice, in tasks far apart.
func dupInputs(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(tempDir(t), "in")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(poolDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(poolDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		names := []string{e.Name()}
		if e.Name() == "dolma_cc_en_head-0174.jsonl.gz" {
			names = append(names, "zz_copy.jsonl.gz")
		}
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestDedupWorkerStopped: a worker takes first-phase tasks of a dedup run
// and stops: one after publishing its result without acking it, one in the
// middle of the task (no result). The tasks are delivered again and the
// run's outputs and counters are those of an undisturbed one-worker run.
func TestDedupWorkerStopped(t *testing.T) {
	tree := loadTree(t, "dedup")
	in := dupInputs(t)
	ref := localConfig(t, tree, 1, in)
	runLocal(t, ref)

	cfg := localConfig(t, tree, 2, in).Config
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
	for i := range 2 {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			break // taken, never finished
		}
		task := &pb.Task{}
		if err := proto.Unmarshal(msg.Data(), task); err != nil {
			t.Fatal(err)
		}
		res, err := dying.ProcessTask(t.Context(), task)
		if err != nil || res.GetStatus() != pb.Status_STATUS_OK {
			t.Fatalf("task %d: %v %v", task.GetIndex(), res, err)
		}
		data, _ := proto.Marshal(res)
		if _, err := js.Publish(t.Context(), pb.ResultSubject(c.RunID()), data); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(cfg.AckWait + cfg.AckWait/2)
	rep, err := runWorkers(t, c, js, tree, 2)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.NotRun != 0 {
		t.Fatalf("report %+v", rep)
	}
	want, got := readTree(t, ref.OutputDir), readTree(t, cfg.OutputDir)
	n := 0
	for name, b := range want {
		if strings.HasSuffix(name, ".jsonl.zst") {
			n++
			if string(got[name]) != string(b) {
				t.Errorf("%s differs from an undisturbed run", name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no outputs")
	}
	if a, b := counters(t, filepath.Join(ref.OutputDir, "dedup", StatsFile)), counters(t, filepath.Join(cfg.OutputDir, "dedup", StatsFile)); a != b {
		t.Errorf("counters differ from an undisturbed run:\n%s\n---\n%s", a, b)
	}
	st := readStats(t, filepath.Join(cfg.OutputDir, "dedup", StatsFile))
	if ex := stepOf(t, st, "exact_dedup"); ex.Removed["exact_duplicate"] < 20 || ex.Dedup == nil || ex.Dedup.Docs != ex.In {
		t.Errorf("exact_dedup %+v", ex)
	}
}
