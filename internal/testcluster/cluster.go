package testcluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ClusterOptions describe a cluster of nats-servers.
type ClusterOptions struct {
	// Name is the cluster name; default "testcluster".
	Name string
	// Server is the configuration every node starts from (authentication,
	// JetStream limits, Debug, Extra, ReadyTimeout, Binary). Its Name,
	// ports and StoreDir are ignored: node i (from 0) is named n<i+1> and
	// gets its own free ports and store directory.
	Server ServerConfig
	// ReadyTimeout bounds the wait for the whole cluster to be ready;
	// default 60 s.
	ReadyTimeout time.Duration
}

// Cluster is n nats-servers routed to each other on 127.0.0.1, with
// clustered JetStream.
type Cluster struct {
	t     testing.TB
	name  string
	nodes []*Server
}

// probeStream is the stream StartCluster creates (and deletes) to know
// that the JetStream meta group can place a stream on every node.
const probeStream = "TESTCLUSTER_READY"

// StartCluster starts n nats-servers in one cluster and waits until it is
// ready: every node serves the JetStream account info, and a stream with
// n replicas can be created (then it is deleted). The test's cleanup kills
// every node.
func StartCluster(t testing.TB, n int, opts ClusterOptions) *Cluster {
	t.Helper()
	if n < 1 {
		t.Fatalf("testcluster: a cluster of %d nodes", n)
	}
	if opts.Name == "" {
		opts.Name = "testcluster"
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 60 * time.Second
	}
	ports := FreePorts(t, 3*n)
	clientPort := func(i int) int { return ports[3*i] }
	monitorPort := func(i int) int { return ports[3*i+1] }
	routePort := func(i int) int { return ports[3*i+2] }
	c := &Cluster{t: t, name: opts.Name}
	for i := range n {
		cfg := opts.Server
		cfg.Name = fmt.Sprintf("n%d", i+1)
		cfg.Port, cfg.MonitorPort, cfg.StoreDir = clientPort(i), monitorPort(i), ""
		cl := &clusterConf{name: opts.Name, port: routePort(i)}
		for j := range n {
			if j != i {
				cl.routes = append(cl.routes, routePort(j))
			}
		}
		s, err := newServer(t, cfg, cl)
		if err != nil {
			t.Fatalf("testcluster: %v", err)
		}
		c.nodes = append(c.nodes, s)
	}
	for _, s := range c.nodes {
		if err := s.start(); err != nil {
			t.Fatalf("testcluster: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.ReadyTimeout)
	defer cancel()
	for _, s := range c.nodes {
		if err := s.waitReady(); err != nil {
			t.Fatalf("testcluster: cluster %s: %v", c.name, err)
		}
	}
	if err := c.waitPlacement(ctx); err != nil {
		t.Fatalf("testcluster: cluster %s: %v", c.name, err)
	}
	return c
}

// waitPlacement waits until a stream with one replica per node can be
// created, and deletes it.
func (c *Cluster) waitPlacement(ctx context.Context) error {
	opts := append(c.nodes[0].ConnectOptions(), nats.Timeout(time.Second),
		nats.Name("testcluster-ready"))
	nc, js, err := jsConnect(c.URLs(), opts)
	if err != nil {
		return err
	}
	defer nc.Close()
	cfg := jetstream.StreamConfig{
		Name:     probeStream,
		Subjects: []string{"_testcluster.ready"},
		Storage:  jetstream.MemoryStorage,
		Replicas: len(c.nodes),
	}
	created := false
	err = poll(ctx, 100*time.Millisecond, func(ctx context.Context) error {
		if !created {
			_, err := js.CreateStream(ctx, cfg)
			if err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
				return fmt.Errorf("creating a stream of %d replicas: %w", cfg.Replicas, err)
			}
			created = true
		}
		err := js.DeleteStream(ctx, probeStream)
		if err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("deleting the probe stream: %w", err)
		}
		return nil
	})
	return err
}

// poll calls f every interval (each call bounded by 5 s) until it returns
// nil or ctx ends; then it returns f's last error.
func poll(ctx context.Context, interval time.Duration, f func(context.Context) error) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := f(fctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// Name is the cluster name.
func (c *Cluster) Name() string { return c.name }

// N is the number of nodes.
func (c *Cluster) N() int { return len(c.nodes) }

// Node is node i (from 0), named n<i+1>.
func (c *Cluster) Node(i int) *Server { return c.nodes[i] }

// NodeIndex is the index of the node whose server_name is name (as a
// stream's cluster info names its leader and replicas), or -1.
func (c *Cluster) NodeIndex(name string) int {
	for i, s := range c.nodes {
		if s.Name() == name {
			return i
		}
	}
	return -1
}

// URLs are the nodes' client URLs, comma-separated (for --nats and
// nats.Connect).
func (c *Cluster) URLs() string {
	urls := make([]string, len(c.nodes))
	for i, s := range c.nodes {
		urls[i] = s.ClientURL()
	}
	return strings.Join(urls, ",")
}

// Connect connects a client to the cluster as the harness does, one that
// reconnects for ever (every 100 ms) when its node dies; opts are added
// after those. The test's cleanup closes it.
func (c *Cluster) Connect(t testing.TB, opts ...nats.Option) *nats.Conn {
	t.Helper()
	all := append(c.nodes[0].ConnectOptions(), nats.MaxReconnects(-1),
		nats.ReconnectWait(100*time.Millisecond))
	return connect(t, c.URLs(), append(all, opts...))
}

// KillNode kills node i with SIGKILL and waits until it has exited.
func (c *Cluster) KillNode(i int) {
	c.t.Helper()
	c.nodes[i].Kill()
}

// StopNode stops node i with SIGTERM and waits until it has exited.
func (c *Cluster) StopNode(i int) {
	c.t.Helper()
	c.nodes[i].Stop()
}

// RestartNode starts node i again (stopping it first if it runs) with its
// ports and store, and waits until it serves JetStream. Its streams may
// still be catching up: see WaitStreamCurrent.
func (c *Cluster) RestartNode(i int) {
	c.t.Helper()
	c.nodes[i].Restart()
}

// StopAll stops every running node with SIGTERM and waits for them.
func (c *Cluster) StopAll() {
	c.t.Helper()
	for _, s := range c.nodes {
		s.Stop()
	}
}

// WaitStreamCurrent waits, for at most timeout, until stream has a leader
// and all its other replicas are online and current (no lag), as the
// leader reports in the stream info.
func (c *Cluster) WaitStreamCurrent(t testing.TB, stream string, timeout time.Duration) {
	t.Helper()
	if err := c.waitStreamCurrent(stream, timeout); err != nil {
		t.Fatalf("testcluster: stream %s: %v", stream, err)
	}
}

func (c *Cluster) waitStreamCurrent(stream string, timeout time.Duration) error {
	opts := append(c.nodes[0].ConnectOptions(), nats.Timeout(time.Second),
		nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond),
		nats.Name("testcluster-wait"))
	nc, js, err := jsConnect(c.URLs(), opts)
	if err != nil {
		return err
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return poll(ctx, 100*time.Millisecond, func(ctx context.Context) error {
		s, err := js.Stream(ctx, stream)
		if err != nil {
			return err
		}
		return replicasCurrent(s.CachedInfo())
	})
}

// replicasCurrent checks that a stream has a leader and every other
// replica is online, current and without lag.
func replicasCurrent(info *jetstream.StreamInfo) error {
	cl := info.Cluster
	if cl == nil || cl.Leader == "" {
		return errors.New("no leader")
	}
	if want := info.Config.Replicas - 1; len(cl.Replicas) != want {
		return fmt.Errorf("leader %s sees %d other replicas, want %d", cl.Leader, len(cl.Replicas), want)
	}
	for _, r := range cl.Replicas {
		if r.Offline || !r.Current || r.Lag != 0 {
			return fmt.Errorf("replica %s: offline %t, current %t, lag %d", r.Name, r.Offline, r.Current, r.Lag)
		}
	}
	return nil
}
