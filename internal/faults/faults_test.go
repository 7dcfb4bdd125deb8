package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/testcluster"
	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go/jetstream"
)

// baseline are the recipes of the fault runs: a plain filter, a keep_top
// (a run-wide threshold, so a second phase) and exact and near dedup (a
// run-wide judge), over the pool cut into 16 KiB tasks.
var baseline = []string{"even", "top", "dedup"}

// single starts one JetStream server.
func single(t *testing.T) *testcluster.Server {
	binaries(t)
	return testcluster.StartServer(t, testcluster.ServerConfig{})
}

// checkDone asserts a run ended done with the reference's outputs.
func checkDone(t *testing.T, e *env, run string, recipes ...string) {
	t.Helper()
	code, out := e.wait(run)
	if code != 0 || !strings.Contains(out, "run "+run+": done") {
		t.Fatalf("curator wait %s: exit %d\n%s", run, code, out)
	}
	sameOutputs(t, reference(t, e.bin, recipes...), filepath.Join(e.root, run), recipes...)
}

// TestWorkerKilled kills a worker with SIGKILL at a random moment of each
// run, in many trials, and restarts it: every run ends with the outputs of
// an undisturbed run. The trials share the coordinator (runs one after
// another).
func TestWorkerKilled(t *testing.T) {
	trials := 12
	if testing.Short() {
		trials = 3
	}
	srv := single(t)
	e := newEnv(t, srv.ClientURL(), 1)
	e.startCoordinator()
	e.startWorker("w1")
	e.startWorker("w2")
	killed := append([]string{"slow40"}, baseline...)
	for i := range trials {
		rng := rand.New(rand.NewPCG(uint64(i), 6))
		run := fmt.Sprintf("kill-%d", i)
		// slow40 keeps the workers busy (40 ms a document), so that most
		// kills strike a task in hand.
		e.submit(run, killed, "--max-deliver", "10")
		victim := []string{"w1", "w2"}[rng.IntN(2)]
		delay := time.Duration(rng.IntN(1500)) * time.Millisecond
		time.Sleep(delay)
		t.Logf("trial %d: killing %s after %s", i, victim, delay)
		if err := e.worker(victim).Kill(); err != nil {
			t.Fatal(err)
		}
		e.startWorker(victim)
		checkDone(t, e, run, killed...)
	}
	// The kills must have struck workers at work, not only idle ones.
	if n := e.redelivered(); n == 0 {
		t.Error("no task was redelivered in any trial: no kill struck a task in hand")
	} else {
		t.Logf("%d tasks were redelivered after the kills", n)
	}
}

// TestCoordinatorKilled kills the coordinator with SIGKILL mid-run and
// starts another: it takes the run over from JetStream and finishes it.
func TestCoordinatorKilled(t *testing.T) {
	srv := single(t)
	e := newEnv(t, srv.ClientURL(), 1)
	coord := e.startCoordinator()
	e.startWorker("w1")
	e.startWorker("w2")
	recipes := append([]string{"slow100"}, baseline...)
	e.submit("coord", recipes)
	waitState(t, srv.Connect(t), "coord", time.Minute, func(st *pb.RunState) bool { return st.GetTasksDone() >= 5 })
	if err := coord.Kill(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the workers go on meanwhile
	e.startCoordinator()
	checkDone(t, e, "coord", recipes...)
	if !strings.Contains(e.coord.Stderr(), "takeover=true") {
		t.Error("the second coordinator did not say it took the run over")
	}
}

// TestNATSNodeKilled runs on a three-node JetStream cluster with three
// replicas, kills one node mid-run and restarts it.
func TestNATSNodeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("three-node cluster: in make test-faults")
	}
	binaries(t)
	c := testcluster.StartCluster(t, 3, testcluster.ClusterOptions{})
	e := newEnv(t, c.URLs(), 3)
	e.startCoordinator()
	e.startWorker("w1")
	e.startWorker("w2")
	// slow40 keeps the run going for a few seconds: the node dies mid-run.
	recipes := append([]string{"slow40"}, baseline...)
	e.submit("node", recipes)
	nc := c.Connect(t)
	waitState(t, nc, "node", time.Minute, func(st *pb.RunState) bool { return st.GetTasksDone() >= 3 })
	// Kill the node that leads the run's task stream: the hardest one to lose.
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	victim := 0
	if st, err := js.Stream(t.Context(), pb.TaskStream("node")); err == nil {
		if info, err := st.Info(t.Context()); err == nil && info.Cluster != nil {
			if i := c.NodeIndex(info.Cluster.Leader); i >= 0 {
				victim = i
			}
		}
	}
	t.Logf("killing node %d, the task stream's leader", victim)
	c.KillNode(victim)
	time.Sleep(3 * time.Second)
	c.RestartNode(victim)
	// The restarted node catches up with the run-state bucket (a client
	// connected to it asks it for the run's state).
	c.WaitStreamCurrent(t, "KV_"+pb.RunStateBucket, time.Minute)
	checkDone(t, e, "node", recipes...)
}

// TestNATSDown stops the only NATS server for ten seconds mid-run: the
// coordinator and workers reconnect and the run finishes.
func TestNATSDown(t *testing.T) {
	srv := single(t)
	e := newEnv(t, srv.ClientURL(), 1)
	e.startCoordinator()
	e.startWorker("w1")
	e.startWorker("w2")
	e.submit("down", baseline)
	waitState(t, srv.Connect(t), "down", time.Minute, func(st *pb.RunState) bool { return st.GetTasksDone() >= 3 })
	srv.Kill()
	time.Sleep(10 * time.Second)
	srv.Restart()
	checkDone(t, e, "down", baseline...)
}

// TestPoisonTask runs a shard that kills every worker that reads it (the
// test restarts them, as systemd or Kubernetes would): after the allowed
// deliveries the task is failed with its reason, the run finishes, and
// run.json and `curator status` say so. A shard on which a step hangs is
// failed the same way through the workers' task timeout.
func TestPoisonTask(t *testing.T) {
	for _, kind := range []string{"crash", "hang"} {
		t.Run(kind, func(t *testing.T) {
			srv := single(t)
			e := newEnv(t, srv.ClientURL(), 1)
			e.startCoordinator()
			var extra []string
			if kind == "hang" {
				extra = []string{"--task-timeout", "1s"}
			}
			stop := make(chan struct{})
			defer close(stop)
			for _, name := range []string{"w1", "w2"} {
				e.startWorker(name, extra...)
				go func() { // a supervisor: restart the worker when it dies
					for {
						select {
						case <-stop:
							return
						case <-e.worker(name).Done():
						}
						select {
						case <-stop:
							return
						default:
						}
						e.startWorker(name, extra...)
					}
				}()
			}
			run := "poison-" + kind
			e.submit(run, []string{kind}, "--max-deliver", "2")
			code, out := e.wait(run)
			if code == 0 || !strings.Contains(out, "failed_tasks") || !strings.Contains(out, "ccnet_sample") {
				t.Fatalf("curator wait: exit %d, want failed tasks naming the shard:\n%s", code, out)
			}
			want := "delivered 2 times without a result"
			if kind == "hang" {
				want = "timed out after 1s on delivery 2 of 2"
			}
			_, status, _ := e.curator("status", "--nats", e.urls, run)
			if !strings.Contains(status, "1 failed") || !strings.Contains(status, want) {
				t.Errorf("curator status does not show the failed task (%q):\n%s", want, status)
			}
			var rr struct {
				Status string `json:"status"`
				Tasks  []struct {
					Path, Status, Error string
				} `json:"tasks"`
			}
			b, err := os.ReadFile(filepath.Join(e.root, run, "run.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &rr); err != nil {
				t.Fatal(err)
			}
			failed := 0
			for _, tr := range rr.Tasks {
				if tr.Status == "failed" {
					failed++
					if !strings.Contains(tr.Path, "ccnet_sample") || !strings.Contains(tr.Error, want) {
						t.Errorf("run.json: failed task %+v", tr)
					}
				} else if tr.Status != "ok" {
					t.Errorf("run.json: task %+v", tr)
				}
			}
			if rr.Status != "failed_tasks" || failed != 1 {
				t.Errorf("run.json: status %q with %d failed tasks, want failed_tasks and 1", rr.Status, failed)
			}
		})
	}
}

// TestHungWorker stops a worker with SIGSTOP while it holds a task: its
// heartbeats stop, the task goes to the other worker after the ack wait,
// and the run finishes with the reference's outputs before the hung worker
// wakes up.
func TestHungWorker(t *testing.T) {
	srv := single(t)
	e := newEnv(t, srv.ClientURL(), 1)
	e.startCoordinator()
	w1 := e.startWorker("w1")
	e.submit("hung", []string{"slow40"})
	// w1 is alone: whatever it pulled first, it holds.
	waitState(t, srv.Connect(t), "hung", time.Minute, func(st *pb.RunState) bool { return st.GetTasksDone() >= 2 })
	if err := w1.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w1.Signal(syscall.SIGCONT) }()
	w2 := e.startWorker("w2")
	checkDone(t, e, "hung", "slow40")
	if !strings.Contains(w2.Stderr(), "delivery=2") {
		t.Errorf("w2 ran no redelivered task: the hung worker's task was not taken over\n%s", w2.Stderr())
	}
}

// TestBadCredentials: a worker with a wrong password, or none, is refused
// with a clear error that does not hold the password.
func TestBadCredentials(t *testing.T) {
	binaries(t)
	srv := testcluster.StartServer(t, testcluster.ServerConfig{Users: []testcluster.User{{Name: "worker", Password: "right-secret"}}})
	e := newEnv(t, srv.ClientURL(), 1)
	for _, c := range []struct{ name, password string }{{"wrong", "wrong-secret"}, {"missing", ""}} {
		args := []string{"status", "--nats", e.urls}
		if c.password != "" {
			args = append(args, "--nats-user", "worker", "--nats-password", c.password)
		}
		code, out, errs := e.curator(args...)
		if code == 0 || !strings.Contains(errs, "refused") {
			t.Errorf("%s password: exit %d, want a refusal\n%s%s", c.name, code, out, errs)
		}
		if strings.Contains(errs, "secret") {
			t.Errorf("%s password: the error shows the password: %s", c.name, errs)
		}
	}
	code, _, errs := e.curator("status", "--nats", e.urls, "--nats-user", "worker", "--nats-password", "right-secret")
	if code == 0 || !strings.Contains(errs, "buckets are missing") {
		t.Errorf("right password: exit %d, want it past NATS (no buckets yet): %s", code, errs)
	}
}

// TestWorkerSIGTERM stops a busy worker with SIGTERM: it finishes the task
// in hand, reports it and exits 0; another worker runs the rest, and no
// task had to be delivered twice.
func TestWorkerSIGTERM(t *testing.T) {
	srv := single(t)
	e := newEnv(t, srv.ClientURL(), 1)
	e.startCoordinator()
	w1 := e.startWorker("w1")
	e.submit("term", []string{"slow40"})
	waitState(t, srv.Connect(t), "term", time.Minute, func(st *pb.RunState) bool { return st.GetTasksDone() >= 1 })
	if err := w1.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if code, err := w1.Wait(ctx); code != 0 || err != nil {
		t.Fatalf("worker after SIGTERM: exit %d, %v", code, err)
	}
	e.startWorker("w2")
	checkDone(t, e, "term", "slow40")
	if n := e.redelivered(); n != 0 {
		t.Errorf("%d tasks were delivered again: the stopped worker did not finish its task", n)
	}
	if !strings.Contains(w1.Stderr(), "finishing the tasks in hand") {
		t.Errorf("the worker did not say it drained:\n%s", w1.Stderr())
	}
}
