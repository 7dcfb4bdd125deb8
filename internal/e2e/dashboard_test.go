package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
)

// dashboardState is what the test reads off the live page.
type dashboardState struct {
	Status  string `json:"status"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Docs    int    `json:"docs"`
	Workers int    `json:"workers"`
	Steps   int    `json:"steps"`
}

const readDashboard = `(() => {
	const n = (id) => +document.getElementById(id).textContent.replace(/[^0-9]/g, "");
	return {status: document.body.dataset.status || "", done: n("tasks-done"), total: n("tasks-total"), docs: n("docs-read"),
		workers: document.querySelectorAll("#workers tbody tr[data-worker]").length,
		steps: document.querySelectorAll("#funnel tr[data-step]").length};
})()`

// A live run's dashboard, as `curator run` prints its address: the page
// loads without errors, its counters move while the run goes, without a
// reload, and end at the run's totals.
func TestDashboardInBrowser(t *testing.T) {
	bin := curatorBin(t)
	out := filepath.Join(t.TempDir(), "live")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// One worker and small tasks, each document slowed by 60 ms: the run
	// lasts a few seconds, in many tasks.
	cmd := exec.CommandContext(ctx, bin, "run", "--http", "127.0.0.1:0", "--linger", "2m", "--workers", "1", "--task-bytes", "32KiB",
		"--output", out, "--recipe", filepath.Join(recipes, "dclm-baseline.yaml"), "--recipe", filepath.Join(recipes, "weak-langid.yaml"),
		"--recipe", "../../testdata/e2e/slow.yaml", example)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt) // cuts the linger short
		_ = cmd.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`dashboard: (http://127\.0\.0\.1:[0-9]+/)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	var url string
	select {
	case url = <-addr:
	case <-time.After(time.Minute):
		t.Fatal("curator run printed no dashboard address")
	}

	br := startBrowser(t)
	p, err := br.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.WaitFor(ctx, `document.body.dataset.status === "running" || document.body.dataset.status === "finished"`); err != nil {
		t.Fatal(err)
	}
	var (
		last    dashboardState
		moved   = map[int]bool{}
		running int
		shot    bool
	)
	for {
		var s dashboardState
		if err := p.Eval(ctx, readDashboard, &s); err != nil {
			t.Fatal(err)
		}
		if s.Done < last.Done || s.Docs < last.Docs {
			t.Errorf("counters went back: %+v after %+v", s, last)
		}
		last = s
		if s.Status == "finished" {
			break
		}
		if s.Status == "running" {
			running++
			moved[s.Done] = true
			if !shot && s.Total > 0 && s.Done >= s.Total/3 && s.Workers > 0 {
				screenshot(ctx, t, p, "dashboard.png", true)
				shot = true
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the run did not finish: %+v", s)
		case <-time.After(150 * time.Millisecond):
		}
	}
	if len(moved) < 3 {
		t.Errorf("while the run went, the page showed %d task counts in %d looks: the counters did not move", len(moved), running)
	}
	// The end agrees with the run's record.
	var rr coordinator.RunRecord
	b, err := os.ReadFile(filepath.Join(out, coordinator.RunFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rr); err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, r := range rr.Recipes {
		steps += len(r.Steps)
	}
	if last.Done != rr.Summary.Tasks || last.Total != rr.Summary.Tasks || int64(last.Docs) != rr.Summary.Records || last.Workers == 0 || last.Steps != steps {
		t.Errorf("finished dashboard %+v, run.json: %d tasks, %d records", last, rr.Summary.Tasks, rr.Summary.Records)
	}
	if rr.Summary.Tasks < 5 {
		t.Errorf("only %d tasks: the run was too short to watch", rr.Summary.Tasks)
	}
	noErrors(t, p)
	if !shot {
		t.Error("no screenshot of the running dashboard")
	}
}
