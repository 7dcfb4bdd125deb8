package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/metrics"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go/jetstream"
)

// TestCoordinatorAPI serves the coordinator's endpoints over a real
// embedded NATS: run states as JSON, 404 for an unknown run, the metrics,
// and the bearer token everywhere but /healthz.
func TestCoordinatorAPI(t *testing.T) {
	srv, err := coordinator.StartEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	nc, err := srv.Connect("api-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := coordinator.EnsureBuckets(t.Context(), js, 1); err != nil {
		t.Fatal(err)
	}
	recipe := filepath.Join(t.TempDir(), "len.yaml")
	if err := os.WriteFile(recipe, []byte("name: len\nsteps:\n  - use: page_length_filter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := filters.CheckRecipes([]string{recipe}, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec := &pb.RunSpec{Version: pb.Version, RunId: "api-run", Recipes: workers.RecipeSpecs(rs), Inputs: []string{"/x"}}
	if err := coordinator.Submit(t.Context(), js, spec, rs, ""); err != nil {
		t.Fatal(err)
	}

	reg := metrics.NewRegistry()
	var svc *coordinator.Service
	newCoordinatorMetrics(reg, &svc, js)
	const token = "s3cret-token"
	// One run coordinated here (planned, not started): its live view.
	tree, err := filters.LoadTree(recipe)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	live, err := coordinator.New(coordinator.Config{RunID: "live-run", Tree: tree, Inputs: []string{"../testdata/example"}, OutputDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	runs := func() map[string]*coordinator.Coordinator {
		return map[string]*coordinator.Coordinator{"live-run": live}
	}
	ts := httptest.NewServer(coordinatorHandler(coordinatorAPI(reg, js, nc, runs))(token))
	defer ts.Close()
	get := func(path, tok string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		path, token string
		code        int
		body        string
	}{
		{"/runs/api-run", token, 200, `"status":"submitted"`},
		{"/runs", token, 200, `"runId":"api-run"`},
		{"/runs/no-such-run", token, 404, "no such run"},
		{"/metrics", token, 200, "curator_queue_depth 0"},
		{"/runs/api-run", "", 401, ""},
		{"/metrics", "wrong", 401, ""},
		{"/healthz", "", 200, "ok"},
		{"/runs/live-run/live.json", token, 200, `"run_id":"live-run"`},
		{"/runs/live-run/live.json", "", 401, ""},
		{"/runs/api-run/live.json", token, 404, "not coordinated here"},
		{"/runs/live-run/", "", 200, `id="tasks-done"`}, // the page itself holds no data
	} {
		code, body := get(c.path, c.token)
		if code != c.code || !strings.Contains(strings.ReplaceAll(body, " ", ""), strings.ReplaceAll(c.body, " ", "")) {
			t.Errorf("GET %s (token %q): %d %q, want %d with %q", c.path, c.token, code, body, c.code, c.body)
		}
		if strings.Contains(body, token) {
			t.Errorf("GET %s: the token is in the answer", c.path)
		}
	}
}
