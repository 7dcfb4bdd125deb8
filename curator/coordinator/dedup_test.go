package coordinator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	"github.com/curator-dev/curator/filters"
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

// TestDedupGroups: with group_size, each group of tasks is deduplicated
// against itself only (the copy, in a later group, survives exact_dedup),
// by judges that run in parallel; outputs are the same for 1 and 3 workers.
func TestDedupGroups(t *testing.T) {
	var set []filters.Override
	for _, s := range []string{"exact_dedup.group_size=4", "bff_dedup.group_size=4"} {
		o, err := filters.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		set = append(set, o)
	}
	tree, err := filters.LoadTreeWith([]string{filepath.Join(recipeDir, "dedup.yaml")}, set)
	if err != nil {
		t.Fatal(err)
	}
	in := dupInputs(t)
	one, three := localConfig(t, tree, 1, in), localConfig(t, tree, 3, in)
	runLocal(t, one)
	runLocal(t, three)
	a, b := readTree(t, one.OutputDir), readTree(t, three.OutputDir)
	for name, x := range a {
		if strings.HasSuffix(name, ".jsonl.zst") && string(b[name]) != string(x) {
			t.Errorf("%s differs between 1 and 3 workers", name)
		}
	}
	if c1, c3 := counters(t, filepath.Join(one.OutputDir, "dedup", StatsFile)), counters(t, filepath.Join(three.OutputDir, "dedup", StatsFile)); c1 != c3 {
		t.Errorf("counters differ:\n%s\n---\n%s", c1, c3)
	}
	whole := localConfig(t, loadTree(t, "dedup"), 2, in)
	runLocal(t, whole)
	g := stepOf(t, readStats(t, filepath.Join(one.OutputDir, "dedup", StatsFile)), "exact_dedup")
	w := stepOf(t, readStats(t, filepath.Join(whole.OutputDir, "dedup", StatsFile)), "exact_dedup")
	if g.Dedup == nil || g.Dedup.Groups < 3 || g.Dedup.GroupSize != 4 || g.Removed["exact_duplicate"] >= w.Removed["exact_duplicate"] {
		t.Errorf("groups: %+v removed %v; whole run removed %v", g.Dedup, g.Removed, w.Removed)
	}
	if rr := readRun(t, one.OutputDir); len(rr.Dedups) != 2 || rr.Dedups[1].Filter != "" {
		t.Errorf("run.json dedups %+v (no filter is saved for groups)", rr.Dedups)
	}
}
