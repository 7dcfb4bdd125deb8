package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSelectVsRun measures curator select with changed thresholds
// over an annotated run of the pool's WARC shards against a fresh run of
// the changed recipe, and the annotated run itself, in one command
// (docs/BENCHMARKS.md):
//
//	CURATOR_BENCH_POOL=/tmp/pool20k go test -run '^$' -bench SelectVsRun -benchtime 3x -timeout 0 ./curator/
//
// Both give the same kept documents (TestSelect checks it on the example).
func BenchmarkSelectVsRun(b *testing.B) {
	pool := os.Getenv("CURATOR_BENCH_POOL")
	if pool == "" {
		b.Skip("set CURATOR_BENCH_POOL to a pool from ../shared/bench/make_pool.py")
	}
	dir := b.TempDir()
	recipe := "../recipes/dclm-baseline.yaml"
	changed := []string{"--set", "page_length_filter.min_length=100", "--set", "language_filter.threshold=0.8"}
	workers := "2"
	do := func(b *testing.B, args ...string) {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 {
			b.Fatalf("%v: exit %d\n%s", args, code, &stderr)
		}
	}
	ann := filepath.Join(dir, "ann")
	do(b, "run", "--annotate", "--recipe", recipe, "--output", ann, "--workers", workers, "--log-level", "warn", filepath.Join(pool, "warc"))
	b.Run("run", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			do(b, append([]string{"run", "--overwrite", "--recipe", recipe, "--output", filepath.Join(dir, fmt.Sprint("run", i)), "--workers", workers,
				"--log-level", "warn", filepath.Join(pool, "warc")}, changed...)...)
		}
	})
	b.Run("annotate", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			do(b, "run", "--overwrite", "--annotate", "--recipe", recipe, "--output", filepath.Join(dir, fmt.Sprint("ann", i)), "--workers", workers,
				"--log-level", "warn", filepath.Join(pool, "warc"))
		}
	})
	b.Run("select", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			do(b, append([]string{"select", "--overwrite", "--from", ann, "--recipe", recipe, "--output", filepath.Join(dir, fmt.Sprint("sel", i)),
				"--workers", workers, "--log-level", "warn"}, changed...)...)
		}
	})
}
