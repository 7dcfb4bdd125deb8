package workers

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"
)

// StatusEvery is how often a task puller publishes its WorkerStatus, on
// top of one at every start and end of a task.
const StatusEvery = time.Second

// status publishes what one task puller (one call of Run) is doing, on
// the run's core NATS status subject. It is best effort: a status that
// cannot be published is logged at debug level and dropped.
type status struct {
	nc   *nats.Conn
	subj string
	log  *slog.Logger
	run  string
	id   string
	slot int

	// records counts the records the task in hand has read; its read loop
	// adds to it (taskRun.seen). Each task gets its own counter, so that a
	// task left behind after its timeout cannot count into the next one.
	records atomic.Pointer[atomic.Int64]

	mu      sync.Mutex
	state   string
	task    string
	path    string
	started time.Time
	done    int64

	stop     chan struct{}
	finished chan struct{}
}

// startStatus starts publishing the status of one task puller of run:
// at once, then every StatusEvery until close.
func (w *Worker) startStatus(nc *nats.Conn, run string) *status {
	s := &status{nc: nc, subj: pb.StatusSubject(run), log: w.log, run: run, id: w.cfg.ID,
		slot: w.takeSlot(), state: pb.WorkerIdle, stop: make(chan struct{}), finished: make(chan struct{})}
	s.records.Store(new(atomic.Int64))
	s.publish()
	go func() {
		defer close(s.finished)
		t := time.NewTicker(StatusEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.publish()
			case <-s.stop:
				return
			}
		}
	}()
	return s
}

// takeSlot returns the lowest slot number no running puller of w holds.
func (w *Worker) takeSlot() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.slots == nil {
		w.slots = map[int]bool{}
	}
	n := 0
	for w.slots[n] {
		n++
	}
	w.slots[n] = true
	return n
}

// close publishes a last "stopped" status and stops the ticker.
func (s *status) close(w *Worker) {
	close(s.stop)
	<-s.finished
	s.mu.Lock()
	s.state, s.task, s.path = pb.WorkerStopped, "", ""
	s.mu.Unlock()
	s.publish()
	w.mu.Lock()
	delete(w.slots, s.slot)
	w.mu.Unlock()
}

// begin records that the puller started t.
func (s *status) begin(t *pb.Task) {
	if s == nil {
		return
	}
	path := t.GetRange().GetPath()
	if rs := t.GetResume(); rs != nil {
		path = rs.GetStaged()
	}
	s.records.Store(new(atomic.Int64))
	s.mu.Lock()
	s.state, s.task, s.path, s.started = pb.WorkerWorking, pb.JobName(t.GetIndex(), t.GetResume()), path, time.Now()
	s.mu.Unlock()
	s.publish()
}

// settled counts a task whose result was published.
func (s *status) settled() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.done++
	s.mu.Unlock()
}

// end records that the puller is done with its task and idle again.
func (s *status) end() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.state, s.task, s.path, s.started = pb.WorkerIdle, "", "", time.Time{}
	s.mu.Unlock()
	s.records.Store(new(atomic.Int64))
	s.publish()
}

// publish sends the current status.
func (s *status) publish() {
	s.mu.Lock()
	m := &pb.WorkerStatus{Version: pb.Version, RunId: s.run, WorkerId: s.id, Slot: int32(s.slot), State: s.state,
		Task: s.task, Path: s.path, Records: s.records.Load().Load(), TasksDone: s.done, UnixNanos: time.Now().UnixNano()}
	if !s.started.IsZero() {
		m.TaskStartedUnixNanos = s.started.UnixNano()
	}
	s.mu.Unlock()
	data, err := proto.Marshal(m)
	if err == nil {
		err = s.nc.Publish(s.subj, data)
	}
	if err != nil {
		s.log.Debug("publishing the worker status failed", "run", s.run, "err", err)
	}
}

// statusKey carries a task's status through its context.
type statusKey struct{}

// withStatus returns ctx carrying s.
func withStatus(ctx context.Context, s *status) context.Context {
	if s == nil {
		return ctx
	}
	return context.WithValue(ctx, statusKey{}, s)
}

// statusOf returns the status ctx carries, or nil.
func statusOf(ctx context.Context) *status {
	s, _ := ctx.Value(statusKey{}).(*status)
	return s
}

// recordCounter returns the counter a task's read loop adds its records
// to: its puller's for the task in hand, or a private one when it has
// none (ProcessTask called directly).
func recordCounter(ctx context.Context) *atomic.Int64 {
	if s := statusOf(ctx); s != nil {
		return s.records.Load()
	}
	return new(atomic.Int64)
}
