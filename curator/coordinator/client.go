package coordinator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// ErrNoRun is returned for a run id that no one submitted.
var ErrNoRun = errors.New("no such run")

// errNoBuckets explains a NATS account without curator's buckets.
var errNoBuckets = errors.New("curator's buckets are missing on this NATS: start `curator coordinator` against it first")

// GetState reads a run's state. A run submitted but not yet seen by a
// coordinator is "submitted". The read goes to the bucket stream's leader,
// not to any replica (a key-value get may be answered by a replica that
// rejoined after a node loss and has not caught up).
func GetState(ctx context.Context, js jetstream.JetStream, run string) (*pb.RunState, error) {
	st, err := js.Stream(ctx, "KV_"+pb.RunStateBucket)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, errNoBuckets
	}
	if err != nil {
		return nil, fmt.Errorf("run state: %w", err)
	}
	m, err := st.GetLastMsgForSubject(ctx, "$KV."+pb.RunStateBucket+"."+run)
	if err == nil && m.Header.Get("KV-Operation") != "" {
		err = jetstream.ErrMsgNotFound // deleted or purged
	}
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		if specs, serr := js.KeyValue(ctx, pb.SpecBucket); serr == nil {
			if _, serr := specs.Get(ctx, run); serr == nil {
				return &pb.RunState{Version: pb.Version, RunId: run, Status: pb.StatusSubmitted}, nil
			}
		}
		return nil, fmt.Errorf("run %s: %w", run, ErrNoRun)
	}
	if err != nil {
		return nil, fmt.Errorf("run %s: state: %w", run, err)
	}
	return decodeState(run, m.Data)
}

func decodeState(run string, b []byte) (*pb.RunState, error) {
	st := &pb.RunState{}
	if err := proto.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("run %s: unreadable state: %w", run, err)
	}
	if err := pb.CheckVersion("run state", st.GetVersion()); err != nil {
		return nil, fmt.Errorf("run %s: %w", run, err)
	}
	return st, nil
}

func putRunState(ctx context.Context, js jetstream.JetStream, st *pb.RunState) error {
	kv, err := js.KeyValue(ctx, pb.RunStateBucket)
	if err != nil {
		return err
	}
	b, err := proto.Marshal(st)
	if err != nil {
		return err
	}
	_, err = kv.Put(ctx, st.GetRunId(), b)
	return err
}

// ListRuns returns the state of every run, by run id.
func ListRuns(ctx context.Context, js jetstream.JetStream) ([]*pb.RunState, error) {
	kv, err := js.KeyValue(ctx, pb.SpecBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, errNoBuckets
	}
	if err != nil {
		return nil, err
	}
	keys, err := kv.Keys(ctx)
	if errors.Is(err, jetstream.ErrNoKeysFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sort.Strings(keys)
	var out []*pb.RunState
	for _, k := range keys {
		if !pb.ValidRunID(k) {
			continue // a cancel request
		}
		if st, err := GetState(ctx, js, k); err == nil {
			out = append(out, st)
		}
	}
	return out, nil
}

// Submit puts a run in the spec bucket for the coordinator to start: the
// files its recipes read go to the object store first, then its spec.
// dictPath, if set, is a zstd dictionary to publish with it. A run id
// already used is an error. (The coordinator writes the run's state: a
// submitter needs no write access to the run-state bucket.)
func Submit(ctx context.Context, js jetstream.JetStream, spec *pb.RunSpec, recipes []*filters.Recipe, dictPath string) error {
	if !pb.ValidRunID(spec.GetRunId()) {
		return fmt.Errorf("run id %q: use up to 64 letters, digits, '_' or '-'", spec.GetRunId())
	}
	if _, err := ConfinedOutput("/", spec.GetOutput(), spec.GetRunId()); err != nil {
		return err
	}
	specs, err := js.KeyValue(ctx, pb.SpecBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return errNoBuckets
	}
	if err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	if _, err := specs.Get(ctx, spec.GetRunId()); err == nil {
		return fmt.Errorf("submit: run %s exists already; choose another --run-id", spec.GetRunId())
	}
	obs, err := js.ObjectStore(ctx, pb.ObjectStoreName)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return errNoBuckets
	}
	if err != nil {
		return fmt.Errorf("submit: object store %s: %w", pb.ObjectStoreName, err)
	}
	if err := PublishFiles(ctx, obs, recipes, nil); err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	if dictPath != "" {
		b, err := os.ReadFile(dictPath)
		if err != nil {
			return fmt.Errorf("submit: zstd dictionary: %w", err)
		}
		if _, err := obs.PutBytes(ctx, pb.ZstdDictObject(spec.GetZstdDictSha256()), b); err != nil {
			return fmt.Errorf("submit: zstd dictionary: %w", err)
		}
	}
	b, err := proto.Marshal(spec)
	if err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	if _, err := specs.Create(ctx, spec.GetRunId(), b); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return fmt.Errorf("submit: run %s exists already; choose another --run-id", spec.GetRunId())
		}
		return fmt.Errorf("submit: %w", err)
	}
	return nil
}

// CancelRun asks the coordinator to cancel a run: the tasks in hand finish,
// no more start, and the run ends as canceled.
func CancelRun(ctx context.Context, js jetstream.JetStream, run string) error {
	st, err := GetState(ctx, js, run)
	if err != nil {
		return err
	}
	if pb.Final(st.GetStatus()) {
		return fmt.Errorf("run %s has ended (%s): nothing to cancel", run, st.GetStatus())
	}
	kv, err := js.KeyValue(ctx, pb.SpecBucket)
	if err != nil {
		return fmt.Errorf("cancel: %w", err)
	}
	if _, err := kv.Put(ctx, pb.CancelKey(run), []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("cancel: %w", err)
	}
	return nil
}

// WaitRun waits until a run has ended and returns its final state. update,
// if set, sees every state on the way.
func WaitRun(ctx context.Context, js jetstream.JetStream, run string, update func(*pb.RunState)) (*pb.RunState, error) {
	if _, err := GetState(ctx, js, run); err != nil {
		return nil, err
	}
	kv, err := js.KeyValue(ctx, pb.RunStateBucket)
	if err != nil {
		return nil, err
	}
	for {
		w, err := kv.Watch(ctx, run)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !sleep(ctx, time.Second) {
				return nil, ctx.Err()
			}
			continue
		}
		st, err := waitFinal(ctx, js, run, w, update)
		_ = w.Stop()
		if st != nil || err != nil || ctx.Err() != nil {
			return st, err
		}
	}
}

func waitFinal(ctx context.Context, js jetstream.JetStream, run string, w jetstream.KeyWatcher, update func(*pb.RunState)) (*pb.RunState, error) {
	// The watch is the fast path; a read every few seconds covers a watch
	// that stalls while the NATS cluster changes leaders.
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	var last error // of the last read, said if the wait ends without an answer
	for {
		select {
		case <-ctx.Done():
			if last != nil {
				return nil, fmt.Errorf("%w (last read of the run state: %v)", ctx.Err(), last)
			}
			return nil, ctx.Err()
		case <-tick.C:
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			st, err := GetState(rctx, js, run)
			cancel()
			last = err
			if err == nil && pb.Final(st.GetStatus()) {
				if update != nil {
					update(st)
				}
				return st, nil
			}
		case e, ok := <-w.Updates():
			if !ok {
				return nil, nil
			}
			if e == nil || e.Operation() != jetstream.KeyValuePut {
				continue
			}
			st, err := decodeState(run, e.Value())
			if err != nil {
				return nil, err
			}
			if update != nil {
				update(st)
			}
			if pb.Final(st.GetStatus()) {
				return st, nil
			}
		}
	}
}
