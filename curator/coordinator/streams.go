package coordinator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/curator-dev/curator/internal/natsconn"
	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// ensureBuckets creates the buckets every run uses, if they are missing.
func (c *Coordinator) ensureBuckets(ctx context.Context) error {
	return EnsureBuckets(ctx, c.js, c.cfg.Replicas)
}

// EnsureBuckets creates the run-state and spec buckets and the object store
// with the given replica count, if they are missing.
func EnsureBuckets(ctx context.Context, js jetstream.JetStream, replicas int) error {
	replicas = max(replicas, 1)
	// The spec bucket last: submitters take it as the sign that all is ready.
	if _, err := js.ObjectStore(ctx, pb.ObjectStoreName); err != nil {
		if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
			_, err := js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: pb.ObjectStoreName,
				Description: "curator: what every worker must see byte for byte", Replicas: replicas})
			return err
		}); err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
			return fmt.Errorf("object store %s: %w", pb.ObjectStoreName, err)
		}
	}
	for _, b := range []jetstream.KeyValueConfig{
		{Bucket: pb.RunStateBucket, Description: "curator: state of every run", Replicas: replicas},
		{Bucket: pb.SpecBucket, Description: "curator: spec of every submitted run, and cancel requests", Replicas: replicas},
	} {
		if _, err := js.KeyValue(ctx, b.Bucket); err == nil {
			continue
		}
		if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
			_, err := js.CreateKeyValue(ctx, b)
			return err
		}); err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
			return fmt.Errorf("bucket %s: %w", b.Bucket, err)
		}
	}
	return nil
}

// createStreams creates (or, on a takeover, keeps) the run's task and
// result streams and their consumers.
func (c *Coordinator) createStreams(ctx context.Context) error {
	r := c.cfg.Replicas
	if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
		_, err := c.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:        pb.TaskStream(c.run),
			Description: "curator: tasks of run " + c.run,
			Subjects:    []string{pb.TaskSubject(c.run)},
			Retention:   jetstream.WorkQueuePolicy,
			Storage:     jetstream.FileStorage,
			Replicas:    r,
		})
		return err
	}); err != nil {
		return fmt.Errorf("coordinator: task stream: %w", err)
	}
	if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
		_, err := c.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:        pb.ResultStream(c.run),
			Description: "curator: results of run " + c.run,
			Subjects:    []string{pb.ResultSubject(c.run)},
			Storage:     jetstream.FileStorage,
			Duplicates:  10 * time.Minute,
			Replicas:    r,
		})
		return err
	}); err != nil {
		return fmt.Errorf("coordinator: result stream: %w", err)
	}
	// One delivery more than the run allows: the worker that gets it fails
	// the task in the result stream (see TaskOptions.max_deliver). The
	// server's own give-up is the backstop.
	if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
		_, err := c.js.CreateOrUpdateConsumer(ctx, pb.TaskStream(c.run), jetstream.ConsumerConfig{
			Durable:     pb.WorkersConsumer,
			Description: "curator workers",
			AckPolicy:   jetstream.AckExplicitPolicy,
			AckWait:     c.cfg.AckWait,
			MaxDeliver:  c.cfg.MaxDeliver + 1,
			Replicas:    r,
		})
		return err
	}); err != nil {
		return fmt.Errorf("coordinator: workers' consumer: %w", err)
	}
	if c.cfg.Takeover {
		// Read every result again, from the first: the coordinator that
		// stopped took the merged ones with it.
		if err := c.js.DeleteConsumer(ctx, pb.ResultStream(c.run), pb.CoordinatorConsumer); err != nil &&
			!errors.Is(err, jetstream.ErrConsumerNotFound) {
			return fmt.Errorf("coordinator: resetting the results consumer: %w", err)
		}
	}
	if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
		_, err := c.js.CreateOrUpdateConsumer(ctx, pb.ResultStream(c.run), jetstream.ConsumerConfig{
			Durable:     pb.CoordinatorConsumer,
			Description: "curator coordinator",
			AckPolicy:   jetstream.AckExplicitPolicy,
			Replicas:    r,
		})
		return err
	}); err != nil {
		return fmt.Errorf("coordinator: results consumer: %w", err)
	}
	return nil
}

// waitingTasks reads the tasks waiting in the run's task stream (not yet
// acknowledged), by job name, and maps their sequences for the advisories.
func (c *Coordinator) waitingTasks(ctx context.Context) (map[string]bool, error) {
	st, err := c.js.Stream(ctx, pb.TaskStream(c.run))
	if err != nil {
		return nil, fmt.Errorf("coordinator: task stream: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("coordinator: task stream: %w", err)
	}
	present := map[string]bool{}
	if info.State.Msgs == 0 {
		return present, nil
	}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && uint64(len(present)) < info.State.Msgs; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("coordinator: task stream at %d: %w", seq, err)
		}
		t := &pb.Task{}
		if err := proto.Unmarshal(m.Data, t); err != nil {
			c.log.Warn("a message in the task stream is not a task", "seq", seq, "err", err)
			continue
		}
		name := pb.JobName(t.GetIndex(), t.GetResume())
		present[name] = true
		c.mu.Lock()
		if i, ok := c.byName[name]; ok {
			c.seqs[seq] = i
		} else {
			c.lateSeqs[name] = seq
		}
		c.mu.Unlock()
	}
	return present, nil
}

// putState writes the run's state to the run-state bucket. A final state
// is retried for a while: a run whose end is not recorded looks running
// for ever.
func (c *Coordinator) putState(ctx context.Context, status string) {
	st := c.State(status)
	b, err := proto.Marshal(st)
	if err != nil {
		c.log.Warn("run state", "err", err)
		return
	}
	attempts := 1
	if pb.Final(status) {
		attempts = 10
	}
	for i := range attempts {
		err = putBytes(ctx, c.js, c.run, b)
		if err == nil {
			break
		}
		c.log.Warn("writing the run state", "status", status, "attempt", i+1, "err", err)
		if i+1 < attempts && !sleep(ctx, time.Duration(i+1)*500*time.Millisecond) {
			break
		}
	}
	if err != nil {
		return
	}
	c.log.Debug("run state written", "status", status, "done", st.GetTasksDone(), "tasks", st.GetTasks())
	c.mu.Lock()
	c.statePut = time.Now()
	c.mu.Unlock()
}

func putBytes(ctx context.Context, js jetstream.JetStream, run string, b []byte) error {
	kv, err := js.KeyValue(ctx, pb.RunStateBucket)
	if err != nil {
		return err
	}
	_, err = kv.Put(ctx, run, b)
	return err
}

// State returns the run's state with the given status.
func (c *Coordinator) State(status string) *pb.RunState {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.cfg.OutputDir
	if c.cfg.OutputObject != "" {
		out = c.cfg.OutputObject
	}
	st := &pb.RunState{Version: pb.Version, RunId: c.run, Status: status, OutputDir: out,
		Tasks: int64(len(c.jobs)), TasksDone: int64(c.progress.TasksDone), TasksFailed: int64(c.progress.TasksFailed),
		Records: c.progress.Records, BytesDone: c.progress.BytesDone, BytesTotal: c.progress.BytesTotal,
		Coordinator: c.cfg.Name, UpdatedUnixNanos: time.Now().UnixNano()}
	for _, j := range c.jobs {
		if o := j.out; o != nil && o.res.GetStatus() != pb.Status_STATUS_OK && len(st.Failures) < pb.MaxStateFailures {
			path := j.task.GetRange().GetPath()
			if rs := j.task.GetResume(); rs != nil {
				path = rs.GetStaged()
			}
			st.Failures = append(st.Failures, &pb.FailedTask{Task: pb.JobName(j.task.GetIndex(), j.task.GetResume()),
				Path: path, Error: o.res.GetError()})
		}
	}
	return st
}
