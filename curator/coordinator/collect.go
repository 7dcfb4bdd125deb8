package coordinator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

func marshal(m proto.Message) ([]byte, error) {
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("coordinator: encoding %T: %w", m, err)
	}
	return b, nil
}

// stateEvery is how often the run state is written while the run goes.
const stateEvery = time.Second

// ErrDetached is returned by Wait when the run was left to another
// coordinator (Detach): nothing was written, the streams stay.
var ErrDetached = errors.New("run left to another coordinator")

// Detached is closed once Detach has been called.
func (c *Coordinator) Detached() <-chan struct{} { return c.detach }

// Detach makes Wait return ErrDetached at once, leaving the run as it is
// for the coordinator that takes it over. Safe to call more than once.
func (c *Coordinator) Detach() { c.detachOnce.Do(func() { close(c.detach) }) }

// ErrInterrupted is returned by Wait and RunLocal when the run stopped
// before every task had an outcome.
var ErrInterrupted = errors.New("run interrupted before every task was done")

// advisoryMsg is a server advisory about one task message.
type advisoryMsg struct {
	Type       string `json:"type"`
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries uint64 `json:"deliveries"`
	Reason     string `json:"reason"`
}

// subscribe starts receiving results and the advisories about tasks that
// will never get one.
func (c *Coordinator) subscribe(ctx context.Context) error {
	c.results = make(chan jetstream.Msg, 64)
	c.advisory = make(chan advisoryMsg, 16)
	nc := c.js.Conn()
	for _, subj := range []string{pb.MaxDeliveriesAdvisory(c.run), pb.TerminatedAdvisory(c.run)} {
		sub, err := nc.Subscribe(subj, func(m *nats.Msg) {
			var a advisoryMsg
			if err := json.Unmarshal(m.Data, &a); err != nil {
				c.log.Warn("unreadable advisory", "subject", m.Subject, "err", err)
				return
			}
			select {
			case c.advisory <- a:
			case <-c.quit:
			}
		})
		if err != nil {
			return fmt.Errorf("coordinator: advisories: %w", err)
		}
		c.unsub = append(c.unsub, func() { _ = sub.Unsubscribe() })
	}
	cons, err := c.js.Consumer(ctx, pb.ResultStream(c.run), pb.CoordinatorConsumer)
	if err != nil {
		return fmt.Errorf("coordinator: results: %w", err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case c.results <- m:
		case <-c.quit:
		}
	})
	if err != nil {
		return fmt.Errorf("coordinator: results: %w", err)
	}
	c.unsub = append(c.unsub, cc.Stop)
	return c.subscribeLive()
}

func (c *Coordinator) stopSubscriptions() {
	c.quitOnce.Do(func() {
		close(c.quit)
		for _, f := range c.unsub {
			f()
		}
	})
}

// Wait collects results until every task has an outcome, or until ctx is
// done (after what was already published has been collected). It then
// writes every recipe's stats.json and run.json. The report is returned even when Wait returns an error.
func (c *Coordinator) Wait(ctx context.Context) (*Report, error) {
	defer c.stopSubscriptions()
	var waitErr error
	defer func() { c.markEnded(waitErr) }()
loop:
	for {
		select {
		case <-c.detach:
			c.stopSubscriptions()
			return nil, fmt.Errorf("run %s: %w", c.run, ErrDetached)
		default:
		}
		if c.finished() {
			// Every task so far has an outcome: fix the next keep_top
			// thresholds and start the tasks that apply them, if any.
			more, err := c.nextPhase(ctx)
			if err != nil {
				waitErr = err
				break loop
			}
			if !more {
				break loop
			}
			continue
		}
		select {
		case m := <-c.results:
			c.onResult(m)
		case a := <-c.advisory:
			c.onAdvisory(a)
		case <-c.detach:
			c.stopSubscriptions()
			return nil, fmt.Errorf("run %s: %w", c.run, ErrDetached)
		case <-ctx.Done():
			c.log.Info("run interrupted; collecting results already published")
			c.drainResults()
			if !c.finished() {
				waitErr = fmt.Errorf("run %s: %w", c.run, ErrInterrupted)
			}
			break loop
		}
	}
	c.stopSubscriptions()
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	rep, err := c.finish(fctx, waitErr != nil)
	return rep, errors.Join(waitErr, err)
}

// drainResults takes in what the results consumer still holds.
func (c *Coordinator) drainResults() {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !c.finished() {
		select {
		case m := <-c.results:
			c.onResult(m)
			continue
		case <-time.After(50 * time.Millisecond):
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		info, err := c.js.Consumer(ctx, pb.ResultStream(c.run), pb.CoordinatorConsumer)
		var pending uint64 = 1
		if err == nil {
			if ci, err := info.Info(ctx); err == nil {
				pending = ci.NumPending + uint64(ci.NumAckPending)
			}
		}
		cancel()
		if pending == 0 {
			return
		}
	}
}

func (c *Coordinator) finished() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.progress.TasksDone == len(c.jobs)
}

// onResult merges one worker result, once per task.
func (c *Coordinator) onResult(m jetstream.Msg) {
	defer func() { _ = m.Ack() }()
	res := &pb.Result{}
	if err := proto.Unmarshal(m.Data(), res); err != nil {
		c.log.Error("dropping an unreadable result", "err", err)
		return
	}
	if err := c.checkResult(res); err != nil {
		c.log.Error("dropping a result", "task", res.GetTaskIndex(), "worker", res.GetWorkerId(), "err", err)
		c.refused(pb.JobName(res.GetTaskIndex(), res.GetResume()), res.GetWorkerId(), err)
		return
	}
	c.merge(res)
}

// merge applies a checked result to the run, once per task.
func (c *Coordinator) merge(res *pb.Result) {
	st, err := workers.NodeStatsFromPB(res.GetNodes(), len(c.stats.Nodes))
	if err != nil {
		c.log.Error("dropping a result", "task", res.GetTaskIndex(), "err", err)
		return
	}
	name := pb.JobName(res.GetTaskIndex(), res.GetResume())
	c.mu.Lock()
	i, known := c.byName[name]
	if !known {
		if res.GetResume() != nil {
			// A second-phase task's result read back by a coordinator that
			// took the run over, before it resolved that phase again.
			if _, dup := c.early[name]; !dup {
				c.early[name] = res
			}
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.log.Error("dropping a result of a task this run does not have", "task", name, "worker", res.GetWorkerId())
		return
	}
	j := c.jobs[i]
	if o := j.out; o != nil && !o.advisory {
		c.dups++
		c.mu.Unlock()
		c.log.Debug("duplicate result ignored", "task", name, "worker", res.GetWorkerId())
		return
	}
	first := j.out == nil
	j.out = &outcome{res: res}
	c.stats.Merge(st)
	if first {
		c.progress.TasksDone++
		c.progress.BytesDone += j.size
	}
	if res.GetStatus() != pb.Status_STATUS_OK && first {
		c.progress.TasksFailed++
	} else if res.GetStatus() == pb.Status_STATUS_OK && !first {
		c.progress.TasksFailed--
	}
	c.progress.Records += res.GetRecords()
	c.mu.Unlock()
	if !first && len(res.GetStaged()) > 0 && c.ranks.depth > 0 {
		// A task given up for lost came back after a keep_top threshold was
		// fixed (or a dedup judged) without it: its staged documents get no
		// second phase.
		c.log.Error("a late result staged documents after the run-wide phase (keep_top threshold or dedup) was resolved; they are not in the outputs",
			"task", name, "staged", res.GetStaged())
	}
	where := j.task.GetRange().GetPath()
	if rs := res.GetResume(); rs != nil {
		where = rs.GetStaged()
	}
	if res.GetStatus() != pb.Status_STATUS_OK {
		c.log.Warn("task failed", "task", name, "path", where, "err", res.GetError())
	} else {
		if res.GetReadErrors() > 0 {
			c.log.Warn("records could not be read", "task", name, "path", where,
				"count", res.GetReadErrors(), "errors", res.GetRecordErrors())
		}
		c.log.Info("task done", "task", name, "path", where, "records", res.GetRecords(),
			"worker", res.GetWorkerId(), "seconds", float64(res.GetWallNanos())/1e9)
	}
	c.report()
}

// checkResult refuses results this run cannot use.
func (c *Coordinator) checkResult(res *pb.Result) error {
	if err := pb.CheckVersion("result", res.GetVersion()); err != nil {
		return err
	}
	if res.GetRunId() != c.run {
		return fmt.Errorf("result of run %q in run %q", res.GetRunId(), c.run)
	}
	if i := res.GetTaskIndex(); i < 0 || i >= int64(len(c.tasks)) {
		return fmt.Errorf("task index %d out of range (%d tasks)", i, len(c.tasks))
	}
	if rs := res.GetResume(); rs != nil {
		if err := pb.CheckVersion("resume", rs.GetVersion()); err != nil {
			return err
		}
	}
	for _, sg := range res.GetStaged() {
		if err := pb.CheckVersion("staged", sg.GetVersion()); err != nil {
			return err
		}
		n := int(sg.GetNode())
		if n < 0 || n >= len(c.stats.Nodes) || (c.cfg.Tree.KeepTop(n) == 0 && c.cfg.Tree.Deduper(n) == nil) {
			return fmt.Errorf("documents staged at node %d, which is not a keep_top or dedup step", n)
		}
		if dedup := c.cfg.Tree.Deduper(n) != nil; dedup != (sg.GetPrints() != "") {
			return fmt.Errorf("documents staged at node %d: fingerprints %q for a dedup step %v", n, sg.GetPrints(), dedup)
		}
	}
	for _, ns := range res.GetNodes() {
		if err := c.checkObservations(ns); err != nil {
			return err
		}
	}
	for _, o := range res.GetOutputs() {
		if err := pb.CheckVersion("recipe outputs", o.GetVersion()); err != nil {
			return err
		}
		if r := o.GetRecipe(); r < 0 || int(r) >= len(c.cfg.Tree.Recipes()) {
			return fmt.Errorf("outputs of recipe %d (%d recipes)", r, len(c.cfg.Tree.Recipes()))
		}
	}
	return nil
}

// onAdvisory records a task that will get no result from a worker.
func (c *Coordinator) onAdvisory(a advisoryMsg) {
	c.mu.Lock()
	i, ok := c.seqs[a.StreamSeq]
	if !ok || c.jobs[i].out != nil {
		c.mu.Unlock()
		return
	}
	j := c.jobs[i]
	name := pb.JobName(j.task.GetIndex(), j.task.GetResume())
	why := fmt.Sprintf("task %s: delivered %d times without a result (workers died or timed out)", name, a.Deliveries)
	if strings.HasSuffix(a.Type, "terminated") {
		why = fmt.Sprintf("task %s: terminated by a worker: %s", name, a.Reason)
	}
	j.out = &outcome{advisory: true, res: &pb.Result{Version: pb.Version, RunId: c.run, TaskIndex: j.task.GetIndex(),
		Resume: j.task.GetResume(), Status: pb.Status_STATUS_FAILED, Error: why}}
	c.progress.TasksDone++
	c.progress.TasksFailed++
	c.progress.BytesDone += j.size
	c.mu.Unlock()
	c.log.Error("task failed", "task", name, "err", why)
	c.report()
}

// refused fails the task a refused result was for (unless it has an
// outcome), so that the run ends and says why instead of waiting for it.
func (c *Coordinator) refused(name, worker string, err error) {
	c.mu.Lock()
	i, ok := c.byName[name]
	if !ok || c.jobs[i].out != nil {
		c.mu.Unlock()
		return
	}
	j := c.jobs[i]
	why := fmt.Sprintf("task %s: the result of worker %s was refused: %v", name, worker, err)
	j.out = &outcome{advisory: true, res: &pb.Result{Version: pb.Version, RunId: c.run, TaskIndex: j.task.GetIndex(),
		Resume: j.task.GetResume(), Status: pb.Status_STATUS_FAILED, Error: why}}
	c.progress.TasksDone++
	c.progress.TasksFailed++
	c.progress.BytesDone += j.size
	c.mu.Unlock()
	c.report()
}

func (c *Coordinator) report() {
	c.mu.Lock()
	p := c.progress
	stale := time.Since(c.statePut) > stateEvery
	c.mu.Unlock()
	if stale && c.js != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c.putState(ctx, pb.StatusRunning)
		cancel()
	}
	if c.cfg.Progress == nil {
		return
	}
	p.Elapsed = time.Since(c.started)
	c.cfg.Progress(p)
}
