package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/internal/jsonlzst"
)

// keptLines returns a recipe's kept documents, as written, in file order.
func keptLines(t *testing.T, dir, recipe string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, recipe, "data", "*.jsonl.zst"))
	slices.Sort(files)
	var out []string
	for _, f := range files {
		if err := jsonlzst.EachLine(f, func(b []byte) error { out = append(out, string(bytes.TrimSpace(b))); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestSelect annotates DCLM-Baseline with a quality classifier over real
// pages once, then selects with another keep_top fraction and another
// repetition threshold: the kept documents and the step counters are a
// fresh run's, and the selection is a run of its own that points at its
// source and can be evaluated.
func TestSelect(t *testing.T) {
	base := t.TempDir()
	model, err := filepath.Abs("../testdata/quality/demo/demo_quality.bin")
	if err != nil {
		t.Fatal(err)
	}
	recipe := "../recipes/dclm-baseline-full.yaml"
	quality := []string{"--set", "fasttext_quality.model=" + model, "--set", "fasttext_quality.threshold=0"}
	changed := append(slices.Clone(quality), "--set", "fasttext_quality.keep_top=0.3",
		"--set", "massive_web_repetition_filters.max_line_count_frac=0.5", "--set", "page_length_filter.min_length=80")
	ann, sel, fresh := filepath.Join(base, "ann"), filepath.Join(base, "sel"), filepath.Join(base, "fresh")
	var stdout, stderr bytes.Buffer
	args := append([]string{"run", "--annotate", "--recipe", recipe, "--output", ann, "--workers", "2", "--task-bytes", "256KiB",
		"--log-level", "warn", "--set", "fasttext_quality.keep_top=0.5"}, quality...)
	if code := run(append(args, "../testdata/example"), &stdout, &stderr); code != 0 {
		t.Fatalf("run --annotate: %s", &stderr)
	}
	args = append([]string{"run", "--recipe", recipe, "--output", fresh, "--workers", "2", "--task-bytes", "256KiB", "--log-level", "warn"}, changed...)
	if code := run(append(args, "../testdata/example"), &stdout, &stderr); code != 0 {
		t.Fatalf("run: %s", &stderr)
	}
	args = append([]string{"select", "--from", ann, "--recipe", recipe, "--output", sel, "--eval", "--log-level", "warn"}, changed...)
	stdout.Reset()
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("select: %s", &stderr)
	}
	name := "dclm-baseline-full"
	got, want := keptLines(t, sel, name), keptLines(t, fresh, name)
	if len(want) == 0 || len(want) == len(keptLines(t, ann, name)) {
		t.Fatalf("the fresh run kept %d documents: the test needs some removed", len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("the selection kept %d documents, the fresh run %d; they differ", len(got), len(want))
	}
	gs, _ := stepCounters(t, filepath.Join(sel, name, coordinator.StatsFile))
	ws, _ := stepCounters(t, filepath.Join(fresh, name, coordinator.StatsFile))
	for i, s := range ws.Steps {
		g := gs.Steps[i]
		if g.ID != s.ID || g.In != s.In || g.Kept != s.Kept || sum(g.Removed) != sum(s.Removed) || reasons(g.Removed) != reasons(s.Removed) {
			t.Errorf("step %s: selection in %d kept %d removed %v; fresh run in %d kept %d removed %v", s.ID, g.In, g.Kept, g.Removed, s.In, s.Kept, s.Removed)
		}
		if g.TokensIn != s.TokensIn || g.TokensOut != s.TokensOut || g.BytesIn != s.BytesIn || g.BytesOut != s.BytesOut {
			t.Errorf("step %s: selection tokens %d -> %d, bytes %d -> %d; fresh run tokens %d -> %d, bytes %d -> %d",
				s.ID, g.TokensIn, g.TokensOut, g.BytesIn, g.BytesOut, s.TokensIn, s.TokensOut, s.BytesIn, s.BytesOut)
		}
	}
	if gs.Documents.Kept != ws.Documents.Kept || gs.Documents.KeptTokens != ws.Documents.KeptTokens || gs.Documents.Records != ws.Documents.Records ||
		gs.Documents.Tokens != ws.Documents.Tokens ||
		gs.Documents.KeptWords != ws.Documents.KeptWords || gs.Documents.KeptTextBytes != ws.Documents.KeptTextBytes {
		t.Errorf("documents: selection %+v, fresh run %+v", gs.Documents, ws.Documents)
	}
	last := gs.Steps[len(gs.Steps)-1]
	if last.Threshold == nil || last.Threshold.Threshold == nil || *last.Threshold.Threshold != *ws.Steps[len(ws.Steps)-1].Threshold.Threshold {
		t.Errorf("keep_top threshold: selection %+v, fresh run %+v", last.Threshold, ws.Steps[len(ws.Steps)-1].Threshold)
	}
	src, sr := readRunRecord(t, ann), readRunRecord(t, sel)
	if sr.Source == nil || sr.Source.RunID != src.RunID || sr.Pool == nil || sr.Pool.Hash != src.Pool.Hash || len(sr.Eval) == 0 ||
		sr.Recipes[0].KeptDocuments != int64(len(want)) {
		t.Errorf("the selection's run.json: source %+v pool %+v eval %d bytes recipes %+v", sr.Source, sr.Pool, len(sr.Eval), sr.Recipes)
	}
	if !strings.Contains(stdout.String(), "evaluation of run") {
		t.Errorf("select --eval printed no evaluation:\n%s", &stdout)
	}

	// What needs measuring again is refused, step by step.
	for _, c := range []struct{ set, want string }{
		{"newline_removal_modifier.max_consecutive=3", "newline_removal_modifier"},
		{"page_length_filter.model=split", "page_length_filter"},
	} {
		stderr.Reset()
		args := append([]string{"select", "--from", ann, "--recipe", recipe, "--output", filepath.Join(base, "no"), "--set", c.set}, quality...)
		if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.want) ||
			!strings.Contains(stderr.String(), "measurements taken again") {
			t.Errorf("select with %s: exit %d: %s", c.set, code, &stderr)
		}
	}
	// Only annotated runs can be selected from.
	stderr.Reset()
	if code := run([]string{"select", "--from", fresh, "--recipe", recipe, "--output", filepath.Join(base, "no")}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "not an annotated run") {
		t.Errorf("select from a plain run: exit %d: %s", code, &stderr)
	}
	if _, err := os.Stat(filepath.Join(base, "no")); err == nil {
		t.Errorf("a refused selection wrote its output directory")
	}
}
