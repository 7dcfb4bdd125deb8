package coordinator

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/curator-dev/curator/filters"
)

// BenchmarkCoordinatorTasks measures how many tasks a run gets through
// when the tasks are tiny: CURATOR_BENCH_TASKS (default 100000) one-line
// JSONL shards through a two-step recipe, two workers, in one process (the
// embedded NATS server, the same path as a cluster). It bounds the task
// rate of the coordinator: planning, publishing, merging results and
// writing run.json.
//
//	go test -run '^$' -bench CoordinatorTasks -benchtime 1x ./curator/coordinator/
func BenchmarkCoordinatorTasks(b *testing.B) {
	n := 100000
	if s := os.Getenv("CURATOR_BENCH_TASKS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	in := filepath.Join(tempDir(b), "in")
	for i := range n {
		dir := filepath.Join(in, fmt.Sprintf("%03d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
		}
		line := fmt.Sprintf("{\"id\":\"doc-%d\",\"text\":\"document number %d of the benchmark\"}\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%06d.jsonl", i)), []byte(line), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	recipe := filepath.Join(tempDir(b), "tiny.yaml")
	if err := os.WriteFile(recipe, []byte("name: tiny\nsteps:\n  - use: test_words\n  - use: test_even_length\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	tree := loadTreeFrom(b, recipe)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cfg := LocalConfig{Config: Config{Tree: tree, Inputs: []string{in}, OutputDir: filepath.Join(tempDir(b), "out"),
			CuratorVersion: "bench", Logger: discardLogger()}, Workers: 2}
		start := time.Now()
		rep, err := RunLocal(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Tasks != n || rep.Failed != 0 {
			b.Fatalf("report %+v, want %d tasks", rep, n)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "tasks/s")
	}
}

func loadTreeFrom(tb testing.TB, paths ...string) *filters.Tree {
	tb.Helper()
	tree, err := filters.LoadTree(paths...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = tree.Close() })
	return tree
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
