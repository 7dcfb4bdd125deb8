package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// retryDelay is how long a task that could not be run waits before it is
// delivered again.
const retryDelay = time.Second

// publishPatience is how long a worker retries publishing a result before
// it hands the task back.
const publishPatience = 2 * time.Minute

// pollWait bounds one pull request, so that a drain is noticed quickly.
const pollWait = 2 * time.Second

// Run pulls the tasks of run from its work-queue stream and runs them until
// drain is closed (the task in hand is finished first) or ctx is done (the
// task in hand is abandoned and will be delivered again).
//
// For each task Run sends InProgress heartbeats while it works, publishes
// the Result and only then acknowledges the task. A task that could not be
// run here (ProcessTask returned an error) is handed back with a delay; a
// message that is not a task at all is terminated.
func (w *Worker) Run(ctx context.Context, js jetstream.JetStream, run string, drain <-chan struct{}) error {
	cons, err := js.Consumer(ctx, pb.TaskStream(run), pb.WorkersConsumer)
	if err != nil {
		return fmt.Errorf("worker %s: tasks of run %s: %w", w.cfg.ID, run, err)
	}
	ackWait := cons.CachedInfo().Config.AckWait
	st := w.startStatus(js.Conn(), run)
	defer st.close(w)
	objects := w.cfg.Objects
	if objects == nil {
		objects = objectStoreLoader(js)
	}
	// fetchCtx ends when either ctx ends or drain is closed.
	fetchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-drain:
			cancel()
		case <-fetchCtx.Done():
		}
	}()
	for fetchCtx.Err() == nil {
		if w.cfg.Slots != nil {
			select {
			case w.cfg.Slots <- struct{}{}:
			case <-fetchCtx.Done():
				continue
			}
		}
		pctx, pcancel := context.WithTimeout(fetchCtx, pollWait)
		msg, err := cons.Next(jetstream.FetchContext(pctx))
		pcancel()
		if err != nil {
			w.release()
			if fetchCtx.Err() != nil {
				break
			}
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoMessages) || isTimeout(err) {
				continue
			}
			if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
				errors.Is(err, jetstream.ErrStreamNotFound) {
				w.log.Info("the run's task queue is gone; stopping", "run", run)
				return nil
			}
			if _, serr := js.Stream(fetchCtx, pb.TaskStream(run)); errors.Is(serr, jetstream.ErrStreamNotFound) {
				// In a cluster a deleted queue may answer "no responders".
				w.log.Info("the run's task queue is gone; stopping", "run", run)
				return nil
			}
			w.log.Warn("pulling a task failed", "run", run, "err", err)
			select {
			case <-time.After(retryDelay):
			case <-fetchCtx.Done():
			}
			continue
		}
		w.handle(withStatus(ctx, st), js, msg, ackWait, objects)
		w.release()
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// release gives back the slot taken before a pull.
func (w *Worker) release() {
	if w.cfg.Slots != nil {
		<-w.cfg.Slots
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, nats.ErrTimeout) || errors.As(err, &t) && t.Timeout()
}

// handle runs one task message to its end: result published, then acked.
func (w *Worker) handle(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, ackWait time.Duration, objects ObjectLoader) {
	t := &pb.Task{}
	if err := proto.Unmarshal(msg.Data(), t); err != nil {
		w.log.Error("dropping a message that is not a task", "subject", msg.Subject(), "err", err)
		_ = msg.TermWithReason("not a curator task: " + err.Error())
		return
	}
	statusOf(ctx).begin(t)
	defer statusOf(ctx).end()
	name := pb.JobName(t.GetIndex(), t.GetResume())
	log := w.log.With("run", t.GetRunId(), "task", name)
	var delivery uint64 = 1
	if md, err := msg.Metadata(); err == nil {
		delivery = md.NumDelivered
	}
	if delivery > 1 {
		log = log.With("delivery", delivery)
		if m := w.cfg.Metrics; m != nil {
			m.redeliveries.Inc()
		}
	}
	if m := w.cfg.Metrics; m != nil {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
	}
	maxDeliver := uint64(max(t.GetOptions().GetMaxDeliver(), 0))
	if maxDeliver > 0 && delivery > maxDeliver {
		// Every earlier delivery ended without a result: the workers that
		// had it crashed, hung or timed out. Fail it without reading it.
		err := fmt.Errorf("task %s: delivered %d times without a result (workers crashed, hung or timed out on it)", name, maxDeliver)
		log.Error("failing a task that no worker could finish", "err", err)
		w.publish(ctx, js, msg, t, failedResult(t, w.cfg.ID, err, time.Now()), log)
		return
	}
	tctx, cancel := ctx, context.CancelFunc(func() {})
	if w.cfg.TaskTimeout > 0 {
		tctx, cancel = context.WithTimeout(ctx, w.cfg.TaskTimeout)
	}
	stop := heartbeat(ctx, msg, ackWait)
	res, err := w.processWatched(tctx, t, objects, log)
	stop()
	timedOut := ctx.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded)
	cancel()
	if err != nil {
		switch {
		case ctx.Err() != nil:
			log.Info("task abandoned", "err", err)
			w.cfg.Metrics.handedBack("abandoned")
			_ = msg.Nak()
		case timedOut && maxDeliver > 0 && delivery >= maxDeliver:
			err := fmt.Errorf("task %s: timed out after %s on delivery %d of %d", name, w.cfg.TaskTimeout, delivery, maxDeliver)
			log.Error("task failed", "err", err)
			w.publish(ctx, js, msg, t, failedResult(t, w.cfg.ID, err, time.Now()), log)
		case timedOut:
			log.Error("task timed out; handing it back", "timeout", w.cfg.TaskTimeout)
			w.cfg.Metrics.handedBack("timeout")
			_ = msg.NakWithDelay(retryDelay)
		default:
			log.Error("task could not be run; handing it back", "err", err)
			w.cfg.Metrics.handedBack("not_run")
			_ = msg.NakWithDelay(retryDelay)
		}
		return
	}
	w.publish(ctx, js, msg, t, res, log)
}

// processWatched runs a task; with a task timeout it gives up waiting when
// the timeout passes even if the task does not return (a step caught in an
// endless loop ignores its context): the task is handed back, its
// goroutine is left behind and logged.
func (w *Worker) processWatched(ctx context.Context, t *pb.Task, objects ObjectLoader, log *slog.Logger) (*pb.Result, error) {
	if w.cfg.TaskTimeout <= 0 {
		return w.processTask(ctx, t, objects)
	}
	type outcome struct {
		res *pb.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := w.processTask(ctx, t, objects)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
	}
	// The reader and the steps check the context often; give them a moment.
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(time.Second):
		log.Error("the task does not stop after its timeout; leaving its goroutine behind (restart this worker if it happens often)")
		return nil, ctx.Err()
	}
}

// publish publishes a task's result and then acknowledges the task.
func (w *Worker) publish(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, t *pb.Task, res *pb.Result, log *slog.Logger) {
	data, err := proto.Marshal(res)
	if err != nil {
		log.Error("encoding the result failed", "err", err)
		_ = msg.NakWithDelay(retryDelay)
		return
	}
	// Publish before acking: if the worker dies in between, the task is
	// delivered again and the stream drops the second result by its id.
	// While NATS does not answer (a node lost, a leader being elected) the
	// publish is retried, the task kept with heartbeats: handing it back
	// would spend one of its deliveries on a fault that is not its own.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishPatience)
	defer cancel()
	msgID := pb.ResultMsgID(t.GetRunId(), pb.JobName(t.GetIndex(), t.GetResume()))
	wait := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		actx, acancel := context.WithTimeout(pctx, 10*time.Second)
		_, err := js.Publish(actx, pb.ResultSubject(t.GetRunId()), data, jetstream.WithMsgID(msgID))
		acancel()
		if err == nil {
			break
		}
		if pctx.Err() != nil {
			log.Error("publishing the result failed; handing the task back", "attempts", attempt, "err", err)
			w.cfg.Metrics.handedBack("publish")
			_ = msg.NakWithDelay(retryDelay)
			return
		}
		log.Warn("publishing the result failed; retrying", "attempt", attempt, "err", err)
		_ = msg.InProgress()
		select {
		case <-time.After(wait):
		case <-pctx.Done():
		}
		wait = min(2*wait, 5*time.Second)
	}
	w.cfg.Metrics.result(res)
	statusOf(ctx).settled()
	if err := msg.DoubleAck(pctx); err != nil {
		log.Warn("acking the task failed; it may run again", "err", err)
	}
	if res.GetStatus() == pb.Status_STATUS_OK {
		log.Debug("task done", "records", res.GetRecords(), "seconds", float64(res.GetWallNanos())/1e9)
	} else {
		log.Debug("task failed; result published", "err", res.GetError())
	}
}

// heartbeat tells the server the task is still being worked on, every
// third of the ack deadline, until the returned stop is called.
func heartbeat(ctx context.Context, msg jetstream.Msg, ackWait time.Duration) (stop func()) {
	every := ackWait / 3
	if every <= 0 {
		every = 10 * time.Second
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = msg.InProgress()
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// objectStoreLoader fetches objects from the run's object store.
func objectStoreLoader(js jetstream.JetStream) ObjectLoader {
	return func(ctx context.Context, name string) ([]byte, error) {
		os, err := js.ObjectStore(ctx, pb.ObjectStoreName)
		if err != nil {
			return nil, fmt.Errorf("object store %s: %w", pb.ObjectStoreName, err)
		}
		return os.GetBytes(ctx, name)
	}
}
