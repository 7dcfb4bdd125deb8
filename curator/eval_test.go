package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/eval"
)

// smallSuite is a small evaluation suite (20 labelled pages, two short
// held-out texts, a 30,000-token budget) that keeps the command tests quick;
// TestSelect evaluates with the default suite.
const smallSuite = "../testdata/eval/suite-small"

// runEval runs `curator run --eval` with the example recipes over the
// bundled example crawl and returns the output directory.
func runEval(t *testing.T, out, workers string, extra ...string) string {
	t.Helper()
	args := append([]string{"run", "--eval", "--suite", smallSuite, "--recipe", "../recipes/dclm-baseline.yaml", "--recipe", "../recipes/weak-langid.yaml",
		"--output", out, "--workers", workers, "--task-bytes", "256KiB", "--log-level", "warn"}, extra...)
	args = append(args, "../testdata/example")
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("run --eval: exit %d\n%s\n%s", code, &stdout, &stderr)
	}
	if !strings.Contains(stdout.String(), "evaluation of run") {
		t.Errorf("run --eval printed no evaluation:\n%s", &stdout)
	}
	return out
}

func readEval(t *testing.T, dir string) (*evalReport, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, EvalFile))
	if err != nil {
		t.Fatal(err)
	}
	var rep evalReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep, b
}

// TestRunEval evaluates a run of two recipes over real pages with 1 and 4
// workers: identical numbers, recorded in eval.json and run.json, and the
// numbers mean what they say.
func TestRunEval(t *testing.T) {
	base := t.TempDir()
	one := runEval(t, filepath.Join(base, "w1"), "1")
	four := runEval(t, filepath.Join(base, "w4"), "4")
	rep, b1 := readEval(t, one)
	_, b4 := readEval(t, four)
	// Run ids differ; everything else is the same.
	strip := func(b []byte, id string) string { return strings.ReplaceAll(string(b), id, "RUN") }
	r4, _ := readEval(t, four)
	if strip(b1, rep.RunID) != strip(b4, r4.RunID) {
		t.Errorf("eval.json differs between 1 and 4 workers:\n%s\n%s", b1, b4)
	}
	suite, err := eval.Load(smallSuite)
	if err != nil {
		t.Fatal(err)
	}
	if rep.SuiteHash != suite.Hash || rep.PoolHash == "" || rep.Tokenizer != "r50k_base" || len(rep.Recipes) != 2 || len(rep.Overlap) != 1 {
		t.Fatalf("eval.json: %+v", rep)
	}
	base0, weak := rep.Recipes[0], rep.Recipes[1]
	pages, _ := suite.Human()
	for _, r := range rep.Recipes {
		h := r.Human
		if h.Pages != len(pages) || h.Kept != h.TruePositive+h.FalsePositive || h.Kept == 0 {
			t.Errorf("%s: human agreement %+v", r.Recipe, h)
		}
		if !(h.Precision.Low <= h.Precision.Value && h.Precision.Value <= h.Precision.High) {
			t.Errorf("%s: precision interval %+v", r.Recipe, h.Precision)
		}
		lm := r.LM
		if lm.TrainTokens != 30000 || lm.Short || lm.BitsPerByte.Value < 1 || lm.BitsPerByte.Value > 8 ||
			len(lm.Sets) != 2 {
			t.Errorf("%s: proxy LM %+v (kept tokens %d)", r.Recipe, lm, r.Yield.KeptTokens)
		}
		if r.Yield.KeptDocuments == 0 || r.Yield.DocumentShare <= 0 || r.Yield.DocumentShare > 1 {
			t.Errorf("%s: yield %+v", r.Recipe, r.Yield)
		}
	}
	// The weak recipe keeps what the baseline keeps and more, so more of
	// the labelled pages and a larger share of the example.
	if weak.Human.Kept < base0.Human.Kept || weak.Yield.KeptDocuments <= base0.Yield.KeptDocuments {
		t.Errorf("weak recipe kept %d pages, %d documents; baseline %d, %d", weak.Human.Kept, weak.Yield.KeptDocuments,
			base0.Human.Kept, base0.Yield.KeptDocuments)
	}
	if j := rep.Overlap[0].Jaccard; j <= 0 || j >= 1 {
		t.Errorf("overlap %v", j)
	}
	// The paired LM difference is the difference of the two scores.
	if len(rep.LMDifferences) != 1 {
		t.Fatalf("lm differences: %+v", rep.LMDifferences)
	}
	if d := rep.LMDifferences[0].BitsPerByte; math.Abs(d.Value-(base0.LM.BitsPerByte.Value-weak.LM.BitsPerByte.Value)) > 1e-9 || !(d.Low <= d.High) {
		t.Errorf("lm difference %+v, scores %v and %v", d, base0.LM.BitsPerByte.Value, weak.LM.BitsPerByte.Value)
	}
	// run.json carries the same results and the lineage.
	rr, err := readRun(one)
	if err != nil {
		t.Fatal(err)
	}
	var inRun evalReport
	if err := json.Unmarshal(rr.Eval, &inRun); err != nil || inRun.SuiteHash != rep.SuiteHash || len(inRun.Recipes) != 2 {
		t.Errorf("run.json's eval: %v %+v", err, inRun)
	}
	if rr.Pool == nil || rr.Pool.Hash != rep.PoolHash || len(rr.Pool.Files) == 0 || rr.Pool.Files[0].SHA256 == "" ||
		rr.Recipes[0].KeptTokens != rep.Recipes[0].Yield.KeptTokens || rr.Recipes[0].Tokenizer != "r50k_base" {
		t.Errorf("run.json lineage: pool %+v, recipe %+v", rr.Pool, rr.Recipes[0])
	}

	// curator compare lines the two recipes up, in every format.
	for _, format := range []string{"table", "markdown", "json"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"compare", "--format", format, one}, &stdout, &stderr); code != 0 {
			t.Fatalf("compare --format %s: exit %d: %s", format, code, &stderr)
		}
		for _, want := range []string{"dclm-baseline", "weak-langid", "language_filter"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("compare --format %s does not show %q:\n%s", format, want, &stdout)
			}
		}
		if format == "json" {
			var c comparison
			if err := json.Unmarshal(stdout.Bytes(), &c); err != nil || len(c.Recipes) != 2 || c.Recipes[0].Eval == nil ||
				c.Recipes[0].Ranks["human_precision"] == 0 || len(c.Overlap) != 1 || c.Overlap[0].Jaccard != rep.Overlap[0].Jaccard {
				t.Errorf("compare --format json: %v\n%s", err, &stdout)
			}
		}
	}
	// Two runs of the same pool and suite compare; a run over another pool
	// is refused unless --force, and the difference is named.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compare", one, four}, &stdout, &stderr); code != 0 {
		t.Errorf("compare of two runs of one pool: exit %d: %s", code, &stderr)
	}
	other := filepath.Join(base, "other")
	if code := run([]string{"run", "--recipe", "../recipes/weak-langid.yaml", "--output", other, "--log-level", "warn",
		"../testdata/run/pool/jwarc_cc.warc.gz"}, &stdout, &stderr); code != 0 {
		t.Fatalf("run: %s", &stderr)
	}
	stderr.Reset()
	if code := run([]string{"compare", one, other}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "input pools differ") || !strings.Contains(stderr.String(), "was not (curator eval") {
		t.Errorf("compare across pools: exit %d: %s", code, &stderr)
	}
	stdout.Reset()
	if code := run([]string{"compare", "--force", one, other}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "input pools differ") {
		t.Errorf("compare --force: exit %d: %s", code, &stdout)
	}
}

// TestEvalRefusals: a suite of another version is refused by compare; an
// unfinished run and a changed recipe are refused by eval.
func TestEvalRefusals(t *testing.T) {
	base := t.TempDir()
	// A copy of the suite with another budget is another version.
	suiteDir := filepath.Join(base, "suite")
	if err := os.CopyFS(suiteDir, os.DirFS(smallSuite)); err != nil {
		t.Fatal(err)
	}
	mpath := filepath.Join(suiteDir, eval.ManifestFile)
	m, err := os.ReadFile(mpath)
	if err != nil {
		t.Fatal(err)
	}
	m2 := bytes.Replace(m, []byte(`"budget_tokens": 30000`), []byte(`"budget_tokens": 20000`), 1)
	if bytes.Equal(m, m2) {
		t.Fatal("the small suite's budget is not 30000: update the test")
	}
	if err := os.WriteFile(mpath, m2, 0o644); err != nil {
		t.Fatal(err)
	}
	recipe := filepath.Join(base, "weak.yaml")
	b, err := os.ReadFile("../recipes/weak-langid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(recipe, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	a, c := filepath.Join(base, "a"), filepath.Join(base, "c")
	for _, x := range []struct{ dir, suite string }{{a, smallSuite}, {c, suiteDir}} {
		args := []string{"run", "--eval", "--recipe", recipe, "--output", x.dir, "--log-level", "warn", "--suite", x.suite}
		if code := run(append(args, "../testdata/example"), &stdout, &stderr); code != 0 {
			t.Fatalf("run --eval: %s", &stderr)
		}
	}
	rc, _ := readEval(t, c)
	if rc.Recipes[0].LM.BudgetTokens != 20000 || rc.Recipes[0].LM.TrainTokens != 20000 || rc.Recipes[0].LM.Short {
		t.Errorf("the budget of the suite given was not used: %+v", rc.Recipes[0].LM)
	}
	stderr.Reset()
	if code := run([]string{"compare", a, c}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "evaluation suites differ") {
		t.Errorf("compare across suites: exit %d: %s", code, &stderr)
	}
	// The recipe file changed since the run: eval says so.
	if err := os.WriteFile(recipe, bytes.Replace(b, []byte("threshold: 0.65"), []byte("threshold: 0.5"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"eval", "--suite", smallSuite, a}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "changed since the run") {
		t.Errorf("eval after the recipe changed: exit %d: %s", code, &stderr)
	}
}
