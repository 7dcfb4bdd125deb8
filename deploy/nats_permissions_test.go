package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// inputsBucket is the object store `curator put` fills with input shards
// in the deploy files.
const inputsBucket = "curator_inputs"

// serveConfig runs one node from nats/nats.conf on a loopback port, with
// its accounts, users and permissions; the cluster is left out (its routes
// name hosts that do not exist here).
func serveConfig(t *testing.T) string {
	t.Helper()
	opts := loadConfig(t, "nats/nats.conf")
	opts.Cluster, opts.Routes = server.ClusterOpts{}, nil
	opts.Host, opts.Port = "127.0.0.1", -1
	opts.HTTPHost, opts.HTTPPort = "", 0
	opts.StoreDir = t.TempDir()
	opts.NoLog, opts.NoSigs = true, true
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(srv.Shutdown)
	return srv.ClientURL()
}

// client is a connection as one role, recording the permission
// violations the server reports.
type client struct {
	nc         *nats.Conn
	js         jetstream.JetStream
	violations chan string
}

func connect(t *testing.T, url, role string) *client {
	t.Helper()
	c := &client{violations: make(chan string, 16)}
	nc, err := nats.Connect(url, nats.UserInfo(role, natsEnv["CURATOR_"+strings.ToUpper(role)+"_PASSWORD"]),
		nats.PermissionErrOnSubscribe(true),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			if errors.Is(err, nats.ErrPermissionViolation) || strings.Contains(strings.ToLower(err.Error()), "permissions violation") {
				select {
				case c.violations <- err.Error():
				default:
				}
			}
		}))
	if err != nil {
		t.Fatalf("connect as %s: %v", role, err)
	}
	t.Cleanup(nc.Close)
	c.nc = nc
	c.js, err = jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// must fails the test when a step of a role's work is refused.
func must(t *testing.T, c *client, what string, err error) {
	t.Helper()
	if err != nil {
		select {
		case v := <-c.violations:
			err = fmt.Errorf("%w (%s)", err, v)
		default:
		}
		t.Fatalf("%s: %v", what, err)
	}
}

// TestNATSPermissions runs each role's work against a server configured
// by nats/ (coordinator: create the run's streams, consumers and buckets,
// publish tasks, read results and advisories; submitter: put a spec and
// an input shard, read and watch run state; worker: take, extend, ack and
// terminate tasks, post a result, read both KV buckets and both object
// stores), then checks that what a role must not do is refused by the
// server for want of permission.
func TestNATSPermissions(t *testing.T) {
	url := serveConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	const run = "r1"
	coord, sub, work := connect(t, url, "coordinator"), connect(t, url, "submitter"), connect(t, url, "worker")

	// The coordinator sets up the run.
	runs, err := coord.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: pb.RunStateBucket})
	must(t, coord, "coordinator creates KV "+pb.RunStateBucket, err)
	_, err = coord.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: pb.SpecBucket})
	must(t, coord, "coordinator creates KV "+pb.SpecBucket, err)
	objs, err := coord.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: pb.ObjectStoreName})
	must(t, coord, "coordinator creates object store "+pb.ObjectStoreName, err)
	_, err = coord.js.CreateStream(ctx, jetstream.StreamConfig{Name: pb.TaskStream(run), Subjects: []string{pb.TaskSubject(run)},
		Retention: jetstream.WorkQueuePolicy})
	must(t, coord, "coordinator creates the task stream", err)
	_, err = coord.js.CreateStream(ctx, jetstream.StreamConfig{Name: pb.ResultStream(run), Subjects: []string{pb.ResultSubject(run)},
		Duplicates: time.Hour})
	must(t, coord, "coordinator creates the result stream", err)
	_, err = coord.js.CreateOrUpdateConsumer(ctx, pb.TaskStream(run), jetstream.ConsumerConfig{Durable: pb.WorkersConsumer,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute, MaxDeliver: 3})
	must(t, coord, "coordinator creates the workers' consumer", err)
	results, err := coord.js.CreateOrUpdateConsumer(ctx, pb.ResultStream(run), jetstream.ConsumerConfig{Durable: pb.CoordinatorConsumer,
		AckPolicy: jetstream.AckExplicitPolicy})
	must(t, coord, "coordinator creates its result consumer", err)
	advisories, err := coord.nc.SubscribeSync(pb.TerminatedAdvisory(run))
	must(t, coord, "coordinator subscribes to advisories", err)
	model := bytes.Repeat([]byte("a model of 300 KB, several object chunks. "), 7500)
	_, err = objs.PutBytes(ctx, pb.FileObject("abc"), model)
	must(t, coord, "coordinator puts a file in the object store", err)
	for i := range 2 {
		_, err = coord.js.Publish(ctx, pb.TaskSubject(run), []byte{byte(i)}, jetstream.WithMsgID(pb.TaskMsgID(run, fmt.Sprint(i))))
		must(t, coord, "coordinator publishes a task", err)
	}

	// A submitter puts a spec and a shard, and follows the run (as
	// coordinator.Submit, CancelRun and WaitRun do).
	specs, err := sub.js.KeyValue(ctx, pb.SpecBucket)
	must(t, sub, "submitter binds KV "+pb.SpecBucket, err)
	_, err = specs.Create(ctx, run, []byte("spec"))
	must(t, sub, "submitter puts a run spec", err)
	keys, err := specs.Keys(ctx)
	must(t, sub, "submitter lists the runs", err)
	if len(keys) == 0 {
		t.Error("submitter lists no runs")
	}
	_, err = specs.Put(ctx, pb.CancelKey(run), []byte("now"))
	must(t, sub, "submitter asks to cancel", err)
	_, err = runs.Put(ctx, run, []byte("planned"))
	must(t, coord, "coordinator writes run state", err)
	inputs, err := sub.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: inputsBucket})
	must(t, sub, "submitter creates object store "+inputsBucket, err)
	_, err = inputs.PutBytes(ctx, "shard-0.warc.gz", []byte("a shard"))
	must(t, sub, "submitter puts an input shard", err)
	_, err = inputs.PutBytes(ctx, "shard-0.warc.gz", []byte("a shard, put again"))
	must(t, sub, "submitter replaces an input shard", err)
	list, err := inputs.List(ctx)
	must(t, sub, "submitter lists input shards", err)
	if len(list) != 1 {
		t.Errorf("submitter lists %d input shards, want 1", len(list))
	}
	readRunState(ctx, t, sub, run)
	sobjs, err := sub.js.ObjectStore(ctx, pb.ObjectStoreName)
	must(t, sub, "submitter binds object store "+pb.ObjectStoreName, err)
	_, err = sobjs.PutBytes(ctx, pb.FileObject("def"), []byte("a banlist"))
	must(t, sub, "submitter puts a recipe's file", err)

	// A worker takes the tasks, posts a result and reads what it needs.
	cons, err := work.js.Consumer(ctx, pb.TaskStream(run), pb.WorkersConsumer)
	must(t, work, "worker binds the workers' consumer", err)
	if cons.CachedInfo().Config.AckWait != time.Minute {
		t.Errorf("worker reads ack wait %v", cons.CachedInfo().Config.AckWait)
	}
	msg, err := cons.Next(jetstream.FetchContext(ctx))
	must(t, work, "worker pulls a task", err)
	must(t, work, "worker extends a task", msg.InProgress())
	_, err = work.js.Publish(ctx, pb.ResultSubject(run), []byte("result"), jetstream.WithMsgID(pb.ResultMsgID(run, "0")))
	must(t, work, "worker posts a result", err)
	statuses, err := coord.nc.SubscribeSync(pb.StatusSubject(run))
	must(t, coord, "coordinator subscribes to the workers' statuses", err)
	must(t, coord, "coordinator flushes", coord.nc.FlushWithContext(ctx))
	must(t, work, "worker publishes its status", work.nc.Publish(pb.StatusSubject(run), []byte("status")))
	must(t, work, "worker flushes", work.nc.FlushWithContext(ctx))
	_, err = statuses.NextMsgWithContext(ctx)
	must(t, coord, "coordinator receives a worker's status", err)
	must(t, work, "worker acks a task", msg.DoubleAck(ctx))
	msg, err = cons.Next(jetstream.FetchContext(ctx))
	must(t, work, "worker pulls the second task", err)
	must(t, work, "worker terminates a task", msg.Term())
	wruns := readRunState(ctx, t, work, run)
	wspecs, err := work.js.KeyValue(ctx, pb.SpecBucket)
	must(t, work, "worker binds KV "+pb.SpecBucket, err)
	_, err = wspecs.Get(ctx, run)
	must(t, work, "worker reads a run spec", err)
	all, err := wruns.WatchAll(ctx)
	must(t, work, "worker watches every run", err)
	if e := <-all.Updates(); e == nil || e.Key() != run {
		t.Errorf("worker's watch of every run gives %v first", e)
	}
	_ = all.Stop()
	readChunks(ctx, t, work, inputsBucket, "shard-0.warc.gz")
	for bucket, name := range map[string]string{pb.ObjectStoreName: pb.FileObject("abc"), inputsBucket: "shard-0.warc.gz"} {
		o, err := work.js.ObjectStore(ctx, bucket)
		must(t, work, "worker binds object store "+bucket, err)
		data, err := o.GetBytes(ctx, name)
		must(t, work, "worker reads "+bucket+"/"+name, err)
		if len(data) == 0 {
			t.Errorf("worker reads %s/%s empty", bucket, name)
		}
	}

	// The coordinator reads the result and the termination advisory.
	rm, err := results.Next(jetstream.FetchContext(ctx))
	must(t, coord, "coordinator pulls a result", err)
	if string(rm.Data()) != "result" {
		t.Errorf("coordinator reads result %q", rm.Data())
	}
	must(t, coord, "coordinator acks a result", rm.DoubleAck(ctx))
	_, err = advisories.NextMsg(10 * time.Second)
	must(t, coord, "coordinator receives the termination advisory", err)

	checkRefused(t, url, run)
}

// readRunState reads and watches run state as c.
func readRunState(ctx context.Context, t *testing.T, c *client, run string) jetstream.KeyValue {
	t.Helper()
	kv, err := c.js.KeyValue(ctx, pb.RunStateBucket)
	must(t, c, "bind KV "+pb.RunStateBucket, err)
	e, err := kv.Get(ctx, run)
	must(t, c, "read run state", err)
	if string(e.Value()) != "planned" {
		t.Errorf("run state %q", e.Value())
	}
	w, err := kv.Watch(ctx, run)
	must(t, c, "watch run state", err)
	defer func() { _ = w.Stop() }()
	select {
	case e := <-w.Updates():
		if e == nil || string(e.Value()) != "planned" {
			t.Errorf("watch gives %v first, want the run state", e)
		}
	case <-time.After(10 * time.Second):
		must(t, c, "watch run state", errors.New("no update within 10s"))
	}
	return kv
}

// readChunks reads an object's chunks as workers/objstore does for a byte
// range: their headers through an ordered consumer, then one chunk by its
// stream sequence.
func readChunks(ctx context.Context, t *testing.T, c *client, bucket, name string) {
	t.Helper()
	o, err := c.js.ObjectStore(ctx, bucket)
	must(t, c, "bind object store "+bucket, err)
	info, err := o.GetInfo(ctx, name)
	must(t, c, "object info "+name, err)
	stream, err := c.js.Stream(ctx, "OBJ_"+bucket)
	must(t, c, "bind stream OBJ_"+bucket, err)
	cons, err := c.js.OrderedConsumer(ctx, "OBJ_"+bucket, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"$O." + bucket + ".C." + info.NUID}, HeadersOnly: true})
	must(t, c, "ordered consumer on OBJ_"+bucket, err)
	it, err := cons.Messages()
	must(t, c, "ordered consumer on OBJ_"+bucket, err)
	defer it.Stop()
	m, err := it.Next(jetstream.NextContext(ctx))
	must(t, c, "chunk headers of "+name, err)
	md, err := m.Metadata()
	must(t, c, "chunk metadata", err)
	raw, err := stream.GetMsg(ctx, md.Sequence.Stream)
	must(t, c, "read a chunk of "+name, err)
	if len(raw.Data) == 0 {
		t.Errorf("chunk of %s is empty", name)
	}
}

// checkRefused runs what each role must not do, each on its own
// connection and all at once, and wants every one refused by the server
// for want of permission.
func checkRefused(t *testing.T, url, run string) {
	type refusal struct {
		role, what string
		do         func(ctx context.Context, c *client) error
	}
	createStream := func(ctx context.Context, c *client) error {
		_, err := c.js.CreateStream(ctx, jetstream.StreamConfig{Name: "ROGUE", Subjects: []string{"rogue"}})
		return err
	}
	publishTask := func(ctx context.Context, c *client) error {
		_, err := c.js.Publish(ctx, pb.TaskSubject(run), []byte("rogue task"))
		return err
	}
	writeRunState := func(ctx context.Context, c *client) error {
		kv, err := c.js.KeyValue(ctx, pb.RunStateBucket)
		if err == nil {
			_, err = kv.Put(ctx, run, []byte("done"))
		}
		return err
	}
	snoopResults := func(ctx context.Context, c *client) error {
		s, err := c.nc.SubscribeSync(pb.ResultSubject(run))
		if err == nil {
			_ = c.nc.FlushWithContext(ctx)
			_, err = s.NextMsgWithContext(ctx)
		}
		return err
	}
	refusals := []refusal{
		{"worker", "create a stream", createStream},
		{"worker", "delete the task stream", func(ctx context.Context, c *client) error { return c.js.DeleteStream(ctx, pb.TaskStream(run)) }},
		{"worker", "delete the workers' consumer", func(ctx context.Context, c *client) error {
			return c.js.DeleteConsumer(ctx, pb.TaskStream(run), pb.WorkersConsumer)
		}},
		{"worker", "create a consumer on the task stream", func(ctx context.Context, c *client) error {
			_, err := c.js.CreateConsumer(ctx, pb.TaskStream(run), jetstream.ConsumerConfig{Durable: "rogue", AckPolicy: jetstream.AckExplicitPolicy})
			return err
		}},
		{"worker", "read the coordinator's result consumer", func(ctx context.Context, c *client) error {
			_, err := c.js.Consumer(ctx, pb.ResultStream(run), pb.CoordinatorConsumer)
			return err
		}},
		{"worker", "publish a task", publishTask},
		{"worker", "write run state", writeRunState},
		{"worker", "put a run spec", func(ctx context.Context, c *client) error {
			_, err := c.js.Publish(ctx, "$KV."+pb.SpecBucket+"."+run, []byte("rogue spec"))
			return err
		}},
		{"worker", "put a file in the object store", func(ctx context.Context, c *client) error {
			o, err := c.js.ObjectStore(ctx, pb.ObjectStoreName)
			if err == nil {
				_, err = o.PutBytes(ctx, "rogue", []byte("x"))
			}
			return err
		}},
		{"worker", "snoop on results", snoopResults},
		{"submitter", "create a stream", createStream},
		{"submitter", "publish a task", publishTask},
		{"submitter", "snoop on results", snoopResults},
		{"submitter", "post a result", func(ctx context.Context, c *client) error {
			_, err := c.js.Publish(ctx, pb.ResultSubject(run), []byte("rogue result"))
			return err
		}},
		{"submitter", "write a run state", func(ctx context.Context, c *client) error {
			kv, err := c.js.KeyValue(ctx, pb.RunStateBucket)
			if err != nil {
				return err
			}
			_, err = kv.Put(ctx, run, []byte("forged"))
			return err
		}},
		{"submitter", "take a task", func(ctx context.Context, c *client) error {
			_, err := c.nc.RequestWithContext(ctx, "$JS.API.CONSUMER.MSG.NEXT."+pb.TaskStream(run)+"."+pb.WorkersConsumer, []byte(`{"batch":1}`))
			return err
		}},
		{"submitter", "delete the spec bucket", func(ctx context.Context, c *client) error { return c.js.DeleteKeyValue(ctx, pb.SpecBucket) }},
	}
	var wg sync.WaitGroup
	for _, r := range refusals {
		c := connect(t, url, r.role)
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			err := r.do(ctx, c)
			if err == nil {
				t.Errorf("%s may %s; it must not", r.role, r.what)
				return
			}
			select {
			case <-c.violations:
			case <-time.After(2 * time.Second):
				t.Errorf("%s: %s fails (%v), but the server reported no permission violation", r.role, r.what, err)
			}
		})
	}
	wg.Wait()
}
