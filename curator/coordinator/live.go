package coordinator

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"sync"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"
)

// Live run statuses (Live.Status).
const (
	LiveStarting = "starting"
	LiveRunning  = "running"
	LiveFinished = "finished"
)

// AliveWithin is how recently a worker must have sent its status to count
// as alive.
const AliveWithin = 5 * time.Second

// rateWindow is the span of the recent documents-per-second rate.
const rateWindow = 10 * time.Second

// maxLiveFailures bounds the failed tasks a Live snapshot lists.
const maxLiveFailures = pb.MaxStateFailures

// liveReportFile is the run's HTML report, in the output directory.
const liveReportFile = "report.html"

// Live is a snapshot of a run as it goes, for the dashboard (JSON).
type Live struct {
	RunID string `json:"run_id"`
	// Status is starting (tasks being planned), running or finished.
	Status string `json:"status"`
	// Outcome, once finished: ok, failed_tasks, interrupted, error or detached.
	Outcome   string `json:"outcome,omitempty"`
	OutputDir string `json:"output_dir"`
	// Report is where the run's HTML report is written once it ends.
	Report string `json:"report"`
	// Started is when the tasks were published (RFC 3339), "" before.
	Started        string       `json:"started,omitempty"`
	ElapsedSeconds float64      `json:"elapsed_seconds"`
	Progress       LiveProgress `json:"progress"`
	// DocsPerSec is the documents read over the elapsed time;
	// DocsPerSecRecent over the last ~10 s (between snapshots).
	DocsPerSec       float64 `json:"docs_per_sec"`
	DocsPerSecRecent float64 `json:"docs_per_sec_recent"`
	// ETASeconds is the time left, from the input bytes done so far; null
	// while it cannot be told.
	ETASeconds *float64     `json:"eta_seconds"`
	Workers    []LiveWorker `json:"workers"`
	// Failed lists the failed tasks (the first maxLiveFailures).
	Failed  []LiveFailure `json:"failed"`
	Recipes []LiveRecipe  `json:"recipes"`
	// Now is when the snapshot was taken (Unix seconds).
	Now float64 `json:"now"`
}

// LiveProgress counts tasks, bytes and documents.
type LiveProgress struct {
	TasksDone   int `json:"tasks_done"`
	TasksTotal  int `json:"tasks_total"`
	TasksFailed int `json:"tasks_failed"`
	// TasksRunning counts the tasks live workers have in hand.
	TasksRunning int   `json:"tasks_running"`
	BytesDone    int64 `json:"bytes_done"`
	BytesTotal   int64 `json:"bytes_total"`
	// Fraction is the share of the run done (by bytes, else by tasks), 0 to 1.
	Fraction float64 `json:"fraction"`
	// Records counts the documents read: RecordsDone plus what the tasks in
	// hand have read so far.
	Records     int64 `json:"records"`
	RecordsDone int64 `json:"records_done"`
}

// LiveWorker is what one worker (one task puller) is doing.
type LiveWorker struct {
	// ID is WorkerID, followed by "/slot" for a process's further pullers.
	ID       string `json:"id"`
	WorkerID string `json:"worker_id"`
	Slot     int    `json:"slot"`
	// Alive: its status was heard within AliveWithin and it has not stopped.
	Alive bool `json:"alive"`
	// State is working, idle or stopped.
	State string `json:"state"`
	Task  string `json:"task"`
	Path  string `json:"path"`
	// Records counts what the task in hand has read so far.
	Records        int64   `json:"records"`
	TasksDone      int64   `json:"tasks_done"`
	TaskSeconds    float64 `json:"task_seconds"`
	SeenSecondsAgo float64 `json:"seen_seconds_ago"`
}

// LiveFailure is a failed task.
type LiveFailure struct {
	Task   string `json:"task"`
	Path   string `json:"path"`
	Worker string `json:"worker"`
	Error  string `json:"error"`
}

// LiveRecipe is a recipe's funnel so far, from the results merged.
type LiveRecipe struct {
	Name  string     `json:"name"`
	Steps []LiveStep `json:"steps"`
}

// LiveStep is one step of a recipe's funnel so far.
type LiveStep struct {
	ID           string           `json:"id"`
	Use          string           `json:"use"`
	Node         int              `json:"node"`
	In           int64            `json:"in"`
	Kept         int64            `json:"kept"`
	Removed      map[string]int64 `json:"removed"`
	RemovedTotal int64            `json:"removed_total"`
	Modified     int64            `json:"modified"`
	Errors       int64            `json:"errors"`
}

// liveState is what the coordinator keeps for Live: the workers' last
// statuses and the samples of the recent rate.
type liveState struct {
	mu      sync.Mutex
	started time.Time
	ended   time.Time
	outcome string
	workers map[workerKey]*seenWorker
	samples []rateSample
	shape   []LiveRecipe // recipes and steps, without counters
}

type workerKey struct {
	id   string
	slot int
}

type seenWorker struct {
	st   *pb.WorkerStatus
	seen time.Time // by the coordinator's clock
}

type rateSample struct {
	t time.Time
	n int64
}

// subscribeLive starts receiving the workers' statuses. Start calls it
// (through subscribe) once c.started is set.
func (c *Coordinator) subscribeLive() error {
	c.live.mu.Lock()
	c.live.started = c.started
	if c.live.workers == nil {
		c.live.workers = map[workerKey]*seenWorker{}
	}
	c.live.mu.Unlock()
	sub, err := c.js.Conn().Subscribe(pb.StatusSubject(c.run), func(m *nats.Msg) {
		st := &pb.WorkerStatus{}
		if err := proto.Unmarshal(m.Data, st); err != nil {
			c.log.Debug("unreadable worker status", "err", err)
			return
		}
		if err := pb.CheckVersion("worker status", st.GetVersion()); err != nil || st.GetRunId() != c.run {
			c.log.Debug("ignoring a worker status", "worker", st.GetWorkerId(), "run", st.GetRunId(), "err", err)
			return
		}
		c.sawWorker(st, time.Now())
	})
	if err != nil {
		return fmt.Errorf("coordinator: worker statuses: %w", err)
	}
	c.unsub = append(c.unsub, func() { _ = sub.Unsubscribe() })
	return nil
}

// sawWorker keeps a worker's status unless it holds a newer one (two
// publishes of one worker may arrive out of order).
func (c *Coordinator) sawWorker(st *pb.WorkerStatus, now time.Time) {
	k := workerKey{st.GetWorkerId(), int(st.GetSlot())}
	c.live.mu.Lock()
	defer c.live.mu.Unlock()
	if c.live.workers == nil {
		c.live.workers = map[workerKey]*seenWorker{}
	}
	if old := c.live.workers[k]; old != nil && old.st.GetUnixNanos() > st.GetUnixNanos() {
		return
	}
	c.live.workers[k] = &seenWorker{st: st, seen: now}
}

// markEnded records that Wait returned; waitErr is what stopped it early.
func (c *Coordinator) markEnded(waitErr error) {
	c.mu.Lock()
	p, n := c.progress, len(c.jobs)
	c.mu.Unlock()
	outcome := "ok"
	select {
	case <-c.detach:
		outcome = "detached"
	default:
		switch {
		case errors.Is(waitErr, ErrInterrupted):
			outcome = "interrupted"
		case waitErr != nil:
			outcome = "error"
		case p.TasksFailed > 0 || p.TasksDone < n:
			outcome = "failed_tasks"
		}
	}
	c.live.mu.Lock()
	c.live.ended, c.live.outcome = time.Now(), outcome
	c.live.mu.Unlock()
}

// Live returns a snapshot of the run as it goes: progress, rates, ETA,
// workers, failures and the funnel of every recipe so far. It may be
// called from any goroutine at any time, also after the run ended.
func (c *Coordinator) Live() Live {
	now := time.Now()
	l := Live{RunID: c.run, Status: LiveStarting, OutputDir: c.cfg.OutputDir,
		Report: filepath.Join(c.cfg.OutputDir, liveReportFile), Now: float64(now.UnixNano()) / 1e9,
		Workers: []LiveWorker{}, Failed: []LiveFailure{}}

	c.live.mu.Lock()
	started, ended := c.live.started, c.live.ended
	l.Outcome = c.live.outcome
	seen := make([]seenWorker, 0, len(c.live.workers))
	for _, w := range c.live.workers {
		seen = append(seen, *w)
	}
	if c.live.shape == nil {
		c.live.shape = c.funnelShape()
	}
	shape := c.live.shape
	c.live.mu.Unlock()

	// What the workers hold, by task name, and the merged counters.
	c.mu.Lock()
	p := c.progress
	open := map[string]bool{}
	for _, w := range seen {
		if i, ok := c.byName[w.st.GetTask()]; ok && c.jobs[i].out == nil {
			open[w.st.GetTask()] = true
		}
	}
	if p.TasksFailed > 0 {
		l.Failed = c.failures(maxLiveFailures)
	}
	l.Recipes = c.funnel(shape)
	c.mu.Unlock()

	switch {
	case !ended.IsZero():
		l.Status = LiveFinished
		p.Elapsed = ended.Sub(started)
	case !started.IsZero():
		l.Status = LiveRunning
		p.Elapsed = now.Sub(started)
	}
	if !started.IsZero() {
		l.Started = started.UTC().Format(time.RFC3339)
	}
	l.Workers = liveWorkers(seen, now, l.Status == LiveFinished)
	inHand := int64(0)
	for i, w := range l.Workers {
		switch {
		case w.Alive && w.State == pb.WorkerWorking && open[w.Task]:
			l.Progress.TasksRunning++
			inHand += w.Records
		case l.Status == LiveFinished && w.State == pb.WorkerWorking && !open[w.Task]:
			// The worker's last status before the run stopped listening
			// predates its end of the task, which has its outcome.
			l.Workers[i] = LiveWorker{ID: w.ID, WorkerID: w.WorkerID, Slot: w.Slot, State: pb.WorkerIdle,
				TasksDone: w.TasksDone, SeenSecondsAgo: w.SeenSecondsAgo}
		}
	}
	frac, eta, ok := Estimate(p)
	l.ElapsedSeconds = p.Elapsed.Seconds()
	l.Progress = LiveProgress{TasksDone: p.TasksDone, TasksTotal: p.TasksTotal, TasksFailed: p.TasksFailed,
		TasksRunning: l.Progress.TasksRunning, BytesDone: p.BytesDone, BytesTotal: p.BytesTotal, Fraction: frac,
		Records: p.Records + inHand, RecordsDone: p.Records}
	if l.ElapsedSeconds > 0 {
		l.DocsPerSec = float64(l.Progress.Records) / l.ElapsedSeconds
	}
	switch {
	case l.Status == LiveFinished:
		zero := 0.0
		l.ETASeconds = &zero
	case l.Status == LiveRunning:
		l.DocsPerSecRecent = c.recentRate(now, l.Progress.Records, l.DocsPerSec)
		if ok {
			s := eta.Seconds()
			l.ETASeconds = &s
		}
	}
	return l
}

// funnelShape lists the recipes and their steps, without counters.
func (c *Coordinator) funnelShape() []LiveRecipe {
	nodes := c.cfg.Tree.Nodes()
	var out []LiveRecipe
	for ri, r := range c.cfg.Tree.Recipes() {
		lr := LiveRecipe{Name: r.Name, Steps: []LiveStep{}}
		for si, ni := range c.cfg.Tree.RecipeNodes(ri) {
			lr.Steps = append(lr.Steps, LiveStep{ID: r.Steps[si].ID, Use: nodes[ni].Use, Node: ni})
		}
		out = append(out, lr)
	}
	return out
}

// funnel fills shape's counters from the merged stats. The caller holds c.mu.
func (c *Coordinator) funnel(shape []LiveRecipe) []LiveRecipe {
	out := make([]LiveRecipe, len(shape))
	for ri, r := range shape {
		out[ri] = LiveRecipe{Name: r.Name, Steps: make([]LiveStep, len(r.Steps))}
		for si, s := range r.Steps {
			if s.Node < len(c.stats.Nodes) {
				ns := &c.stats.Nodes[s.Node]
				s.In, s.Kept, s.Modified, s.Errors = ns.In, ns.Kept, ns.Modified, ns.Errors
				s.Removed = maps.Clone(ns.Removed)
			}
			if s.Removed == nil {
				s.Removed = map[string]int64{}
			}
			for _, n := range s.Removed {
				s.RemovedTotal += n
			}
			out[ri].Steps[si] = s
		}
	}
	return out
}

// failures lists up to limit failed tasks, in task order. The caller
// holds c.mu.
func (c *Coordinator) failures(limit int) []LiveFailure {
	out := []LiveFailure{}
	for _, j := range c.jobs {
		if len(out) == limit {
			break
		}
		if j.out == nil || j.out.res.GetStatus() == pb.Status_STATUS_OK {
			continue
		}
		path := j.task.GetRange().GetPath()
		if rs := j.task.GetResume(); rs != nil {
			path = rs.GetStaged()
		}
		out = append(out, LiveFailure{Task: pb.JobName(j.task.GetIndex(), j.task.GetResume()), Path: path,
			Worker: j.out.res.GetWorkerId(), Error: j.out.res.GetError()})
	}
	return out
}
