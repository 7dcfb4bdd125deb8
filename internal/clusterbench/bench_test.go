package clusterbench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/curator-dev/curator/internal/testcluster"
)

func TestMain(m *testing.M) { os.Exit(testcluster.Main(m)) }

// setup returns the binaries, the pool's WARC directory, the recipe and a
// language-ID cache shared by every process (built before timing).
func setup(b *testing.B) (testcluster.Binaries, string, string, []string) {
	pool := os.Getenv("CURATOR_BENCH_POOL")
	if pool == "" {
		b.Skip("set CURATOR_BENCH_POOL to a pool from ../shared/bench/make_pool.py")
	}
	recipe := os.Getenv("CURATOR_BENCH_RECIPE")
	if recipe == "" {
		recipe = "../../recipes/dclm-baseline.yaml"
	}
	recipe, _ = filepath.Abs(recipe)
	bin := testcluster.Build(b)
	cache := os.Getenv("CURATOR_CACHE_DIR")
	if cache == "" {
		dir, _ := os.UserCacheDir()
		cache = filepath.Join(dir, "curator")
	}
	env := []string{"CURATOR_CACHE_DIR=" + cache}
	// Build the language-ID tables' cache once, outside the timings.
	p := testcluster.StartProc(b, "langid-warm", "/bin/sh", []string{"-c", "echo 'Hi there' | " + bin.Curator + " langid"}, env)
	if code, err := p.Wait(context.Background()); code != 0 || err != nil {
		b.Fatalf("warming the language-ID cache: %d %v\n%s", code, err, p.Stderr())
	}
	return bin, filepath.Join(pool, "warc"), recipe, env
}

// report turns a finished run's run.json into docs/s and MB/s of wall time.
func report(b *testing.B, out string, wall time.Duration) {
	var rr struct {
		Summary struct {
			Records int64 `json:"records"`
			Failed  int   `json:"failed"`
		} `json:"summary"`
		Tasks []struct {
			Path        string  `json:"path"`
			WallSeconds float64 `json:"wall_seconds"`
		} `json:"tasks"`
	}
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, &rr); err != nil {
		b.Fatal(err)
	}
	if rr.Summary.Failed > 0 {
		b.Fatalf("%d tasks failed", rr.Summary.Failed)
	}
	var bytes int64
	var taskSeconds float64
	seen := map[string]bool{}
	for _, t := range rr.Tasks {
		taskSeconds += t.WallSeconds
		if !seen[t.Path] {
			seen[t.Path] = true
			if fi, err := os.Stat(t.Path); err == nil {
				bytes += fi.Size()
			}
		}
	}
	b.ReportMetric(float64(rr.Summary.Records)/wall.Seconds(), "docs/s")
	b.ReportMetric(float64(bytes)/1e6/wall.Seconds(), "MB/s")
	b.ReportMetric(wall.Seconds(), "s/run")
	// The work itself, start-up and coordination aside: the tasks' summed
	// wall time.
	b.ReportMetric(taskSeconds, "task-s/run")
}

// BenchmarkClusterWorkers runs the pool in cluster mode (a nats-server, a
// coordinator, N worker processes of one slot each), after an untimed
// warm-up run.
func BenchmarkClusterWorkers(b *testing.B) {
	bin, warc, recipe, env := setup(b)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("processes=%d", n), func(b *testing.B) {
			srv := testcluster.StartServer(b, testcluster.ServerConfig{})
			root := b.TempDir()
			testcluster.StartProc(b, "coordinator", bin.Curator, []string{"coordinator", "--nats", srv.ClientURL(),
				"--output-root", root, "--http", "", "--log-level", "warn"}, env)
			for i := range n {
				testcluster.StartProc(b, fmt.Sprintf("worker-%d", i), bin.Curator, []string{"worker", "--nats", srv.ClientURL(),
					"--workers", "1", "--output-root", root, "--cache-dir", filepath.Join(root, fmt.Sprintf(".w%d", i)),
					"--log-level", "warn"}, env)
			}
			// A first run, untimed, warms the long-lived processes up: the
			// recipes' files fetched, the models loaded. A cluster runs for
			// hours; its start-up is paid once, not per run.
			submit(b, bin, srv.ClientURL(), "warm-up", recipe, warc, env)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				run := fmt.Sprintf("bench-%d", i)
				start := time.Now()
				submit(b, bin, srv.ClientURL(), run, recipe, warc, env)
				wall := time.Since(start)
				report(b, filepath.Join(root, run), wall)
			}
		})
	}
}

// submit submits a run and waits for it (retrying while the coordinator
// makes its buckets).
func submit(b *testing.B, bin testcluster.Binaries, url, run, recipe, warc string, env []string) {
	deadline := time.Now().Add(time.Minute)
	for {
		p := testcluster.StartProc(b, "submit", bin.Curator, []string{"submit", "--nats", url, "--run-id", run,
			"--recipe", recipe, "--wait", "--log-level", "warn", warc}, env)
		code, err := p.Wait(context.Background())
		if err == nil && code == 0 {
			return
		}
		if !strings.Contains(p.Stderr(), "buckets are missing") || time.Now().After(deadline) {
			b.Fatalf("submit: %d %v\n%s", code, err, p.Stderr())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkRunLocal runs the same pool with `curator run --workers N`:
// one process, embedded NATS, the baseline of cluster mode's overhead.
func BenchmarkRunLocal(b *testing.B) {
	bin, warc, recipe, env := setup(b)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				out := filepath.Join(b.TempDir(), "out")
				start := time.Now()
				p := testcluster.StartProc(b, "run", bin.Curator, []string{"run", "--workers", fmt.Sprint(n),
					"--log-level", "warn", "--recipe", recipe, "--output", out, warc}, env)
				if code, err := p.Wait(context.Background()); code != 0 || err != nil {
					b.Fatalf("curator run: %d %v\n%s", code, err, p.Stderr())
				}
				report(b, out, time.Since(start))
			}
		})
	}
}
