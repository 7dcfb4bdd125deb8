package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/internal/quantile"
)

// TestDCLMFullKeepTop runs recipes/dclm-baseline-full.yaml as a user would
// with the demo quality model, keep_top 0.10 instead of DCLM's absolute
// threshold, over the bundled example and the run pool, with 1 and 4
// workers: the quality step keeps exactly 10% of what reaches it (ranked
// exactly here), and outputs and counters are the same for both.
func TestDCLMFullKeepTop(t *testing.T) {
	base := t.TempDir()
	outs := map[string]string{}
	for _, workers := range []string{"1", "4"} {
		out := filepath.Join(base, "w"+workers)
		outs[workers] = out
		var stdout, stderr bytes.Buffer
		code := run([]string{"run", "--recipe", "../recipes/dclm-baseline-full.yaml",
			"--set", "fasttext_quality.model=../testdata/quality/demo/demo_quality.bin",
			"--set", "fasttext_quality.threshold=0", "--set", "fasttext_quality.keep_top=0.10",
			"--output", out, "--workers", workers, "--task-bytes", "32KiB", "--keep-removed", "--log-level", "warn",
			"../testdata/example", testPool}, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("%s workers: exit %d\n%s\n%s", workers, code, &stdout, &stderr)
		}
		if !strings.Contains(stdout.String(), "keep_top 0.1: score >= ") {
			t.Errorf("the funnel does not show the threshold:\n%s", &stdout)
		}
	}
	one, four := readOutputs(t, outs["1"]), readOutputs(t, outs["4"])
	if len(one) == 0 || len(one) != len(four) {
		t.Fatalf("%d output files with 1 worker, %d with 4", len(one), len(four))
	}
	for name, b := range one {
		if !bytes.Equal(b, four[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
	stats := filepath.Join("dclm-baseline-full", coordinator.StatsFile)
	st, c1 := stepCounters(t, filepath.Join(outs["1"], stats))
	_, c4 := stepCounters(t, filepath.Join(outs["4"], stats))
	if c1 != c4 {
		t.Errorf("counters differ:\n%s\n%s", c1, c4)
	}
	q := st.Steps[len(st.Steps)-1]
	if q.Use != "fasttext_quality" || q.Threshold == nil || q.Threshold.Threshold == nil {
		t.Fatalf("last step %+v", q)
	}
	if q.In < 40 || q.In != st.Steps[len(st.Steps)-2].Kept {
		t.Errorf("the quality step saw %d documents", q.In)
	}
	if want := quantile.Target(0.10, q.In); q.Kept != want || q.Threshold.Method != "exact" {
		t.Errorf("kept %d of %d, want %d (10%%): %+v", q.Kept, q.In, want, q.Threshold)
	}
	rr := readRunRecord(t, outs["1"])
	if len(rr.Thresholds) != 1 || *rr.Thresholds[0].Threshold != *q.Threshold.Threshold {
		t.Errorf("run.json thresholds %+v", rr.Thresholds)
	}
	if f := rr.Recipes[0].Files; len(f) == 0 || !strings.HasSuffix(f[len(f)-1].Path, "demo_quality.bin") || len(f[len(f)-1].SHA256) != 64 {
		t.Errorf("run.json does not pin the model: %+v", f)
	}
	if len(rr.Recipes[0].Set) != 3 {
		t.Errorf("run.json overrides %v", rr.Recipes[0].Set)
	}

	// Without DCLM's model (not shipped), a clear error says where to get it.
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", "--recipe", "../recipes/dclm-baseline-full.yaml", "--output", filepath.Join(base, "none"),
		"../testdata/example"}, &stdout, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "openhermes_reddit_eli5_vs_rw_v2_bigram_200k_train.bin: no such file") ||
		!strings.Contains(stderr.String(), "recipes/models/README.md") {
		t.Errorf("without the model: exit %d, %s", code, &stderr)
	}
}

// readRunRecord reads dir/run.json.
func readRunRecord(t *testing.T, dir string) *coordinator.RunRecord {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, coordinator.RunFile))
	if err != nil {
		t.Fatal(err)
	}
	rr := &coordinator.RunRecord{}
	if err := json.Unmarshal(b, rr); err != nil {
		t.Fatal(err)
	}
	return rr
}
