package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/internal/httpapi"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var dashboardLine = regexp.MustCompile(`dashboard: (http://127\.0\.0\.1:\d+/)`)

// getLive fetches and decodes /live.json.
func getLive(t *testing.T, url string) coordinator.Live {
	t.Helper()
	resp, err := http.Get(url + "live.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /live.json: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	var l coordinator.Live
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l
}

// checkLive checks what holds in every snapshot.
func checkLive(t *testing.T, l coordinator.Live, prev *coordinator.Live) {
	t.Helper()
	p := l.Progress
	bad := func(format string, args ...any) {
		t.Errorf("%s snapshot: "+format, append([]any{l.Status}, args...)...)
	}
	if p.TasksDone > p.TasksTotal || p.TasksFailed > p.TasksDone || p.BytesDone > p.BytesTotal ||
		p.Fraction < 0 || p.Fraction > 1 || p.Records < p.RecordsDone || p.TasksRunning > len(l.Workers) {
		bad("progress %+v", p)
	}
	if l.Status != coordinator.LiveStarting && (l.RunID == "" || p.TasksTotal == 0 || len(l.Recipes) != 2) {
		bad("run %q, %d tasks, %d recipes", l.RunID, p.TasksTotal, len(l.Recipes))
	}
	for _, r := range l.Recipes {
		for _, s := range r.Steps {
			// The counters of whole tasks are merged: they always add up.
			if s.In != s.Kept+s.RemovedTotal+s.Errors {
				bad("%s step %s: in %d != kept %d + removed %d + errors %d", r.Name, s.ID, s.In, s.Kept, s.RemovedTotal, s.Errors)
			}
		}
	}
	for _, w := range l.Workers {
		if w.ID != "local-0" && w.ID != "local-1" {
			bad("worker %+v", w)
		}
	}
	if prev != nil && (p.RecordsDone < prev.Progress.RecordsDone || p.TasksDone < prev.Progress.TasksDone ||
		l.ElapsedSeconds < prev.ElapsedSeconds || l.RunID != prev.RunID && prev.RunID != "") {
		bad("went back: %+v after %+v", l, *prev)
	}
}

// TestRunDashboard runs `curator run` with its dashboard and watches
// /live.json during and after the run.
func TestRunDashboard(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stderr := &lockedBuffer{}
	var stdout bytes.Buffer
	exit := make(chan int, 1)
	go func() {
		exit <- run([]string{"run", "--recipe", "../testdata/run/recipes/real-a.yaml", "--recipe", "../testdata/run/recipes/real-b.yaml",
			"--output", out, "--workers", "2", "--task-bytes", "4KiB", "--linger", "2s", "../testdata/example"}, &stdout, stderr)
	}()
	var url string
	for deadline := time.Now().Add(20 * time.Second); url == ""; time.Sleep(5 * time.Millisecond) {
		if m := dashboardLine.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no dashboard address printed:\n%s", stderr)
		}
	}

	// During the run.
	var last *coordinator.Live
	seen := map[string]int{}
	midway := false
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		l := getLive(t, url)
		checkLive(t, l, last)
		seen[l.Status]++
		if l.Status == coordinator.LiveRunning && l.Progress.TasksDone < l.Progress.TasksTotal {
			midway = true
		}
		last = &l
		if l.Status == coordinator.LiveFinished || time.Now().After(deadline) {
			break
		}
	}
	t.Logf("snapshots by status: %v", seen)
	if !midway || seen[coordinator.LiveFinished] != 1 {
		t.Errorf("snapshots by status %v; midway seen: %v", seen, midway)
	}
	if i, j := strings.Index(stderr.String(), "dashboard: http"), strings.Index(stderr.String(), `msg="run finished"`); i < 0 || j < 0 || i > j {
		t.Errorf("the dashboard address is not printed before the run ends:\n%s", stderr)
	}

	// After: the final snapshot agrees with what the run wrote.
	l := *last
	p := l.Progress
	if l.Outcome != "ok" || p.TasksDone != p.TasksTotal || p.TasksFailed != 0 || p.TasksRunning != 0 || p.Fraction != 1 ||
		p.Records != p.RecordsDone || l.ETASeconds == nil || *l.ETASeconds != 0 || l.DocsPerSec <= 0 ||
		l.Report != filepath.Join(out, "report.html") || len(l.Failed) != 0 {
		t.Errorf("final snapshot %+v", l)
	}
	ids := map[string]bool{}
	for _, w := range l.Workers {
		ids[w.ID] = !w.Alive
	}
	if len(ids) != 2 || !ids["local-0"] || !ids["local-1"] {
		t.Errorf("workers after the run (id: not alive) %v", ids)
	}
	for _, r := range l.Recipes {
		b, err := os.ReadFile(filepath.Join(out, r.Name, coordinator.StatsFile))
		if err != nil {
			t.Fatal(err)
		}
		var st coordinator.RecipeStats
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if st.Steps[0].In != p.Records || len(st.Steps) != len(r.Steps) {
			t.Fatalf("%s: stats.json reads %d documents in %d steps; live %d in %d", r.Name, st.Steps[0].In, len(st.Steps), p.Records, len(r.Steps))
		}
		for i, s := range st.Steps {
			g := r.Steps[i]
			if g.ID != s.ID || g.Use != s.Use || g.In != s.In || g.Kept != s.Kept || g.Errors != s.Errors || fmt.Sprint(g.Removed) != fmt.Sprint(s.Removed) {
				t.Errorf("%s step %d: live %+v, stats.json %+v", r.Name, i, g, s)
			}
		}
	}
	// The page, while the dashboard lingers.
	checkPage(t, url)

	if code := <-exit; code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, &stdout, stderr)
	}
	if _, err := http.Get(url + "live.json"); err == nil {
		t.Error("the dashboard still answers after curator run returned")
	}
}

// checkPage checks GET /: the page, self-contained, with the elements the
// browser tests read.
func checkPage(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("GET /: %s %v", resp.Status, resp.Header)
	}
	for _, id := range []string{"tasks-done", "tasks-total", "tasks-running", "tasks-failed", "docs-read", "docs-per-sec", "eta",
		"elapsed", "progress-bar", "workers", "funnel", "failed", "report-path"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("the page has no #%s", id)
		}
	}
	// Nothing from elsewhere: no URL at all, no src attribute.
	if strings.Contains(page, "http:") || strings.Contains(page, "https:") || strings.Contains(page, "src=") ||
		!strings.Contains(page, "window.curatorLive") || !strings.Contains(page, "fetch(\"live.json\"") {
		t.Error("the page loads external resources or does not poll live.json")
	}
}

// TestDashboardToken checks the token rule: the page is open (it holds no
// data), /live.json needs the token, and an address beyond loopback
// needs one.
func TestDashboardToken(t *testing.T) {
	t.Setenv(httpapi.EnvToken, "")
	d := &dashboard{}
	srv := httptest.NewServer(d.handler("s3cret"))
	defer srv.Close()
	get := func(path, auth string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/", ""); code != 200 || !strings.Contains(body, `id="tasks-done"`) {
		t.Errorf("page without token: %d", code)
	}
	if code, _ := get("/live.json", ""); code != 401 {
		t.Errorf("/live.json without token: %d, want 401", code)
	}
	if code, _ := get("/live.json", "Bearer wrong"); code != 401 {
		t.Errorf("/live.json with a wrong token: %d, want 401", code)
	}
	code, body := get("/live.json", "Bearer s3cret")
	if code != 200 || !strings.Contains(body, `"status":"starting"`) {
		t.Errorf("/live.json with the token before the run is planned: %d %s", code, body)
	}
	if code, _ := get("/nothing", "Bearer s3cret"); code != 404 {
		t.Errorf("unknown path: %d", code)
	}

	var cfg coordinator.LocalConfig
	var stderr bytes.Buffer
	log := slog.New(slog.NewTextHandler(&stderr, nil))
	_, err := startDashboard(context.Background(), &dashboardFlags{http: httpFlags{addr: "0.0.0.0:0"}}, nil, &cfg, log, nil)
	if err == nil || !strings.Contains(err.Error(), "--http-token") {
		t.Errorf("0.0.0.0 without a token: %v", err)
	}
	// Off: no server, no Planned hook, nothing printed.
	d, err = startDashboard(context.Background(), &dashboardFlags{}, nil, &cfg, log, nil)
	if d != nil || err != nil || cfg.Planned != nil || stderr.Len() != 0 {
		t.Errorf("--http '': %v %v %q", d, err, &stderr)
	}
	d.close() // a nil dashboard closes
}
