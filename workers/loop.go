package workers

import (
	"context"
	"errors"
	"fmt"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// retryDelay is how long a task that could not be run waits before it is
// delivered again.
const retryDelay = time.Second

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
		pctx, pcancel := context.WithTimeout(fetchCtx, pollWait)
		msg, err := cons.Next(jetstream.FetchContext(pctx))
		pcancel()
		if err != nil {
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
			w.log.Warn("pulling a task failed", "run", run, "err", err)
			select {
			case <-time.After(retryDelay):
			case <-fetchCtx.Done():
			}
			continue
		}
		w.handle(ctx, js, msg, ackWait, objects)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
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
	log := w.log.With("run", t.GetRunId(), "task", pb.JobName(t.GetIndex(), t.GetResume()))
	if md, err := msg.Metadata(); err == nil && md.NumDelivered > 1 {
		log = log.With("delivery", md.NumDelivered)
	}
	stop := heartbeat(ctx, msg, ackWait)
	res, err := w.processTask(ctx, t, objects)
	stop()
	if err != nil {
		if ctx.Err() != nil {
			log.Info("task abandoned", "err", err)
			_ = msg.Nak()
			return
		}
		log.Error("task could not be run; handing it back", "err", err)
		_ = msg.NakWithDelay(retryDelay)
		return
	}
	data, err := proto.Marshal(res)
	if err != nil {
		log.Error("encoding the result failed", "err", err)
		_ = msg.NakWithDelay(retryDelay)
		return
	}
	// Publish before acking: if the worker dies in between, the task is
	// delivered again and the stream drops the second result by its id.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := js.Publish(pctx, pb.ResultSubject(t.GetRunId()), data,
		jetstream.WithMsgID(pb.ResultMsgID(t.GetRunId(), pb.JobName(t.GetIndex(), t.GetResume())))); err != nil {
		log.Error("publishing the result failed; handing the task back", "err", err)
		_ = msg.NakWithDelay(retryDelay)
		return
	}
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
