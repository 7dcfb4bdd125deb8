package deploy

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// freePorts returns n loopback ports free a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		_ = ln.Close()
	}
	return ports
}

// TestNATSCluster starts the three nodes from nats/nats.conf on loopback,
// each with its own name and the route list and route password from the
// environment as the deploy files set them, and wants a JetStream cluster
// that holds a bucket with three replicas, as `curator coordinator
// --replicas 3` makes them. A node given a wrong route password must not
// join.
func TestNATSCluster(t *testing.T) {
	ports := freePorts(t, 4)
	routeList := func(password string) string {
		var routes []string
		for _, p := range ports[:3] {
			routes = append(routes, fmt.Sprintf("%q", fmt.Sprintf("nats-route://route:%s@127.0.0.1:%d", password, p)))
		}
		return "[" + strings.Join(routes, ", ") + "]"
	}
	start := func(name string, clusterPort int, routePassword string) *server.Server {
		opts := loadConfig(t, "nats/nats.conf", map[string]string{"CURATOR_NATS_NAME": name,
			"CURATOR_NATS_ROUTE_PASSWORD": routePassword, "CURATOR_NATS_ROUTES": routeList(routePassword)})
		opts.Host, opts.Port = "127.0.0.1", -1
		opts.HTTPHost, opts.HTTPPort = "", 0
		opts.Cluster.Host, opts.Cluster.Port = "127.0.0.1", clusterPort
		opts.StoreDir = t.TempDir()
		opts.NoLog, opts.NoSigs = true, true
		srv, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		t.Cleanup(srv.Shutdown)
		return srv
	}
	var nodes []*server.Server
	for i := range 3 {
		nodes = append(nodes, start(fmt.Sprintf("nats-%d", i+1), ports[i], natsEnv["CURATOR_NATS_ROUTE_PASSWORD"]))
	}
	for i, s := range nodes {
		if want := fmt.Sprintf("nats-%d", i+1); s.Name() != want {
			t.Errorf("server name %q, want %q from $CURATOR_NATS_NAME", s.Name(), want)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, s := range nodes {
		for s.NumRoutes() < 2 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if s.NumRoutes() < 2 {
			t.Fatalf("%s has %d routes, want 2", s.Name(), s.NumRoutes())
		}
	}

	c := connect(t, nodes[0].ClientURL(), "coordinator")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var kv jetstream.KeyValue
	var err error
	for {
		// Until the meta leader is elected, requests go unanswered.
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		kv, err = c.js.CreateOrUpdateKeyValue(actx, jetstream.KeyValueConfig{Bucket: pb.RunStateBucket, Replicas: 3})
		acancel()
		if err == nil || ctx.Err() != nil {
			break
		}
		t.Logf("creating the bucket: %v", err)
		time.Sleep(200 * time.Millisecond)
	}
	must(t, c, "coordinator creates a bucket with 3 replicas", err)
	if _, err := kv.Put(ctx, "r1", []byte("planned")); err != nil {
		t.Fatal(err)
	}
	w := connect(t, nodes[2].ClientURL(), "worker")
	wkv, err := w.js.KeyValue(ctx, pb.RunStateBucket)
	must(t, w, "worker on another node binds the bucket", err)
	e, err := wkv.Get(ctx, "r1")
	must(t, w, "worker on another node reads run state", err)
	if string(e.Value()) != "planned" {
		t.Errorf("run state %q on another node", e.Value())
	}

	// A fourth node with the wrong route password is refused by the others.
	intruder := start("nats-4", ports[3], "not-the-route-password")
	time.Sleep(2 * time.Second)
	if n := intruder.NumRoutes(); n != 0 {
		t.Errorf("a node with a wrong route password has %d routes", n)
	}
}
