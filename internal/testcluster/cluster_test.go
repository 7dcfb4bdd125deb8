package testcluster

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/natsconn"
	"github.com/nats-io/nats.go/jetstream"
)

// localMsgs is the number of messages node s holds of stream, as its own
// monitoring endpoint (/jsz) reports: its local copy, not the leader's.
func localMsgs(ctx context.Context, s *Server, stream string) (uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.MonitorURL()+"/jsz?streams=true", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var jsz struct {
		Accounts []struct {
			Streams []struct {
				Name  string `json:"name"`
				State struct {
					Msgs uint64 `json:"messages"`
				} `json:"state"`
			} `json:"stream_detail"`
		} `json:"account_details"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&jsz); err != nil {
		return 0, fmt.Errorf("%s /jsz: %w", s.Name(), err)
	}
	for _, a := range jsz.Accounts {
		for _, st := range a.Streams {
			if st.Name == stream {
				return st.State.Msgs, nil
			}
		}
	}
	return 0, fmt.Errorf("%s /jsz: no stream %s", s.Name(), stream)
}

func TestClusterSurvivesNodeLoss(t *testing.T) {
	t.Parallel()
	start := time.Now()
	c := StartCluster(t, 3, ClusterOptions{Name: "tc"})
	t.Logf("cluster ready in %v", time.Since(start))
	if got := strings.Count(c.URLs(), "nats://127.0.0.1:"); got != 3 {
		t.Fatalf("URLs = %q", c.URLs())
	}
	js, err := jetstream.New(c.Connect(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	// A node the meta leader has not heard from lately counts as offline:
	// right after the cluster is ready, on a loaded machine, the first
	// placement can fail, as curator's coordinator knows (RetryPlacement).
	var st jetstream.Stream
	if err := natsconn.RetryPlacement(ctx, func(ctx context.Context) error {
		st, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name: "R3", Subjects: []string{"r3.>"}, Storage: jetstream.FileStorage, Replicas: 3,
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if info := st.CachedInfo(); info.Cluster == nil || info.Cluster.Name != "tc" || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("stream cluster info %+v: want cluster tc, a leader and 2 replicas", info.Cluster)
	}
	publishN(t, js, "r3.a", 0, 100)

	// Kill the stream's leader: the others elect a new one and go on.
	leader := c.NodeIndex(st.CachedInfo().Cluster.Leader)
	if leader < 0 {
		t.Fatalf("leader %q is no node", st.CachedInfo().Cluster.Leader)
	}
	c.KillNode(leader)
	killed := time.Now()
	publishN(t, js, "r3.a", 100, 100)
	checkMessages(t, js, "R3", 200)
	t.Logf("node %s killed; published and read back in %v", c.Node(leader).Name(), time.Since(killed))

	c.RestartNode(leader)
	c.WaitStreamCurrent(t, "R3", 30*time.Second)
	if err := poll(ctx, 100*time.Millisecond, func(ctx context.Context) error {
		n, err := localMsgs(ctx, c.Node(leader), "R3")
		if err == nil && n != 200 {
			err = fmt.Errorf("the restarted node holds %d messages, want 200", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	checkMessages(t, js, "R3", 200)
	t.Logf("whole test %v", time.Since(start))
}
