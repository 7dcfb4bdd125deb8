package workers

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"
)

// coreNATS starts an in-process NATS server (no JetStream: statuses are
// core NATS) and connects to it.
func coreNATS(t *testing.T) *nats.Conn {
	t.Helper()
	srv, err := server.NewServer(&server.Options{ServerName: "status-test", DontListen: true, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(srv.Shutdown)
	nc, err := nats.Connect(srv.ClientURL(), nats.InProcessServer(srv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// TestStatus follows a puller's statuses through a real task: idle at the
// start, working with the task's records read, idle with the task counted,
// stopped at the end; two pullers of a worker get two slots.
func TestStatus(t *testing.T) {
	nc := coreNATS(t)
	sub, err := nc.SubscribeSync(pb.StatusSubject("test"))
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	next := func() *pb.WorkerStatus {
		t.Helper()
		m, err := sub.NextMsg(5 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		st := &pb.WorkerStatus{}
		if err := proto.Unmarshal(m.Data, st); err != nil {
			t.Fatal(err)
		}
		if st.GetVersion() != pb.Version || st.GetRunId() != "test" || st.GetWorkerId() != "test" || st.GetUnixNanos() <= 0 {
			t.Fatalf("status %v", st)
		}
		return st
	}

	tree := loadTree(t, "even")
	w := newWorker(t, tree)
	s := w.startStatus(nc, "test")
	if st := next(); st.GetState() != pb.WorkerIdle || st.GetSlot() != 0 || st.GetTask() != "" {
		t.Errorf("first status %v", st)
	}
	path := filepath.Join(poolDir, "ccnet_sample.warc.wet")
	task := newTask(tree, path, t.TempDir(), false)
	s.begin(task)
	if st := next(); st.GetState() != pb.WorkerWorking || st.GetTask() != "7" || st.GetPath() != path ||
		st.GetRecords() != 0 || st.GetTaskStartedUnixNanos() <= 0 {
		t.Errorf("status at the start of a task %v", st)
	}
	// The task's read loop counts into the puller's status.
	res, err := w.ProcessTask(withStatus(context.Background(), s), task)
	if err != nil || res.GetRecords() == 0 {
		t.Fatalf("task: %v %v", res, err)
	}
	if got := s.records.Load().Load(); got != res.GetRecords() {
		t.Errorf("status counts %d records, the task read %d", got, res.GetRecords())
	}
	// The ticker publishes it.
	for st := next(); st.GetRecords() != res.GetRecords(); st = next() {
		if st.GetState() != pb.WorkerWorking {
			t.Fatalf("status while working %v", st)
		}
	}
	s.settled()
	s.end()
	for st := next(); st.GetState() != pb.WorkerIdle; st = next() {
	}
	// A second puller of the same worker takes the next slot.
	s2 := w.startStatus(nc, "test")
	if st := next(); st.GetSlot() != 1 {
		t.Errorf("second puller's status %v", st)
	}
	s2.close(w)
	for st := next(); st.GetSlot() != 1 || st.GetState() != pb.WorkerStopped; st = next() {
	}
	s.close(w)
	var last *pb.WorkerStatus
	for last = next(); last.GetState() != pb.WorkerStopped; last = next() {
	}
	if last.GetSlot() != 0 || last.GetTasksDone() != 1 || last.GetTask() != "" || last.GetRecords() != 0 {
		t.Errorf("last status %v", last)
	}
	if len(w.slots) != 0 {
		t.Errorf("slots still held: %v", w.slots)
	}
	// Without a puller, a task counts into a private counter.
	if c := recordCounter(context.Background()); c == nil || c == s.records.Load() {
		t.Error("recordCounter without a status")
	}
}
