package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters/tokens"
	"github.com/klauspost/compress/zstd"
)

const testPool = "../testdata/run/pool"

func TestCmdRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	// Inputs and flags mixed, as people type them.
	code := run([]string{"run", "--recipe", "../testdata/run/recipes/real-a.yaml", testPool + "/jwarc_cc.warc.gz",
		"--output", out, "--workers", "2", "--task-bytes", "64KiB", "--log-format", "json", testPool + "/ccnet_sample.warc.wet"},
		&stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, &stdout, &stderr)
	}
	// The summary says where the results are, and the recipe's funnel.
	for _, want := range []string{"2 tasks, 0 failed", filepath.Join(out, "real-a", "data"), filepath.Join(out, coordinator.RunFile),
		"why removed", "documents in,"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout %q does not say %q", &stdout, want)
		}
	}
	// Not a terminal: structured (JSON) logs.
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("log line is not JSON: %s", l)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, coordinator.RunFile))
	if err != nil {
		t.Fatal(err)
	}
	var rr coordinator.RunRecord
	if err := json.Unmarshal(b, &rr); err != nil {
		t.Fatal(err)
	}
	if rr.Status != "ok" || rr.Summary.OK != 2 || rr.Options.TaskBytes != 64<<10 || rr.CuratorVersion == "" ||
		len(rr.Recipes) != 1 || len(rr.Recipes[0].Hash) != 64 {
		t.Errorf("run.json: %+v", rr)
	}

	// The same output directory again is refused.
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"run", "--recipe", "../testdata/run/recipes/real-a.yaml", "--output", out, testPool}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "already holds a run") {
		t.Errorf("second run into %s: exit %d, %s", out, code, &stderr)
	}
	// With --overwrite it replaces the earlier run.
	stderr.Reset()
	if code := run([]string{"run", "--overwrite", "--recipe", "../testdata/run/recipes/real-a.yaml", "--output", out,
		testPool + "/jwarc_cc.warc.gz"}, &stdout, &stderr); code != 0 {
		t.Errorf("--overwrite run into %s: exit %d, %s", out, code, &stderr)
	}
	// --overwrite never deletes a directory that is not a curator output.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"run", "--overwrite", "--recipe", "../testdata/run/recipes/real-a.yaml", "--output", other,
		testPool + "/jwarc_cc.warc.gz"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "not a curator output directory") {
		t.Errorf("--overwrite into a foreign directory: exit %d, %s", code, &stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "keep.txt")); err != nil {
		t.Errorf("--overwrite deleted a foreign file: %v", err)
	}
}

func TestCmdRunUsage(t *testing.T) {
	for _, args := range [][]string{
		{"run"},
		{"run", "--recipe", "x.yaml", testPool},
		{"run", "--recipe", "x.yaml", "--output", "o"},
		{"run", "--recipe", "x.yaml", "--output", "o", "--workers", "0", testPool},
		{"run", "--recipe", "x.yaml", "--output", "o", "--task-bytes", "lots", testPool},
		{"nope"},
		{},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, &stderr)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"4096": 4096, "64MiB": 64 << 20, "64 MiB": 64 << 20, "1GiB": 1 << 30, "500MB": 500e6, "2k": 2048, "7B": 7} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "MiB", "1.5GiB", "ten"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): no error", in)
		}
	}
}

func TestRenderProgress(t *testing.T) {
	p := coordinator.Progress{TasksDone: 3, TasksTotal: 12, TasksFailed: 1, BytesDone: 25 << 20, BytesTotal: 100 << 20,
		Records: 5000, Elapsed: 10 * time.Second}
	got := renderProgress(p, 8)
	for _, want := range []string{"[##------]", " 25%", "tasks 3/12 (1 failed)", "25.0 MiB/100.0 MiB", "500 docs/s", "ETA 30s"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	var buf bytes.Buffer
	bar := newProgressBar(&buf)
	bar.Update(p)
	_, _ = bar.Write([]byte("a log line\n"))
	bar.Done()
	if s := buf.String(); !strings.Contains(s, "\r\033[Ka log line\n[##") || !strings.HasSuffix(s, "\n") {
		t.Errorf("bar output %q: the log line must clear the bar, which is redrawn after it", s)
	}
}

// readOutputs returns the output files below dir (data and removed shards)
// by relative path.
func readOutputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	matches, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*.jsonl.zst"))
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, m)
		files[rel] = b
	}
	return files
}

// stepCounters reads a recipe's stats.json and drops its timings.
func stepCounters(t *testing.T, path string) (*coordinator.RecipeStats, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st coordinator.RecipeStats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	st.Time = coordinator.RunTime{}
	for i := range st.Steps {
		st.Steps[i].Time = coordinator.StepTime{}
	}
	c, _ := json.Marshal(st)
	return &st, string(c)
}

// TestCmdRunRealSteps runs two recipes of real steps sharing a prefix over
// real shards with 1 and 4 workers, through the command line: the data
// files and counters are identical, and the shared steps ran once per
// document.
func TestCmdRunRealSteps(t *testing.T) {
	base := t.TempDir()
	outs := map[string]string{}
	for _, workers := range []string{"1", "4"} {
		out := filepath.Join(base, "w"+workers)
		outs[workers] = out
		var stdout, stderr bytes.Buffer
		code := run([]string{"run", "--recipe", "../testdata/run/recipes/real-a.yaml", "--recipe", "../testdata/run/recipes/real-b.yaml",
			"--output", out, "--workers", workers, "--task-bytes", "16KiB", "--keep-removed", "--log-level", "warn", testPool},
			&stdout, &stderr)
		if code != 0 {
			t.Fatalf("%s workers: exit %d\n%s\n%s", workers, code, &stdout, &stderr)
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
	for _, r := range []string{"real-a", "real-b"} {
		st, c1 := stepCounters(t, filepath.Join(outs["1"], r, coordinator.StatsFile))
		_, c4 := stepCounters(t, filepath.Join(outs["4"], r, coordinator.StatsFile))
		if c1 != c4 {
			t.Errorf("%s: counters differ:\n%s\n%s", r, c1, c4)
		}
		d := st.Documents
		if d.Records == 0 || d.Records != d.Kept+d.Removed+d.Errors || d.Kept == 0 || d.Removed == 0 {
			t.Errorf("%s: documents %+v", r, d)
		}
		// The shared prefix: extract saw every document once, and each
		// shared step saw what the one before it kept, once.
		if st.Steps[0].Use != "extract" || st.Steps[0].In != d.Records {
			t.Errorf("%s: extract in %d, want %d (once per document)", r, st.Steps[0].In, d.Records)
		}
		for i := 1; i < len(st.Steps); i++ {
			if st.Steps[i].In != st.Steps[i-1].Kept {
				t.Errorf("%s: step %s in %d, previous kept %d", r, st.Steps[i].ID, st.Steps[i].In, st.Steps[i-1].Kept)
			}
		}
		for i, s := range st.Steps {
			if shared := len(s.SharedWith) == 1; shared != (i < 3) {
				t.Errorf("%s: step %d (%s) shared with %v", r, i, s.ID, s.SharedWith)
			}
		}
		// Token counts: the kept documents' tokens, and after each step
		// those of the documents still there (counted as they left).
		kept, removed := tokensOf(t, outs["1"], r)
		if kept == 0 || d.KeptTokens != kept {
			t.Errorf("%s: stats.json says %d kept tokens, the data holds %d", r, d.KeptTokens, kept)
		}
		var words, textBytes int64
		files, _ := filepath.Glob(filepath.Join(outs["1"], r, "data", "*.jsonl.zst"))
		for _, f := range files {
			for _, l := range readDocLines(t, f) {
				words += int64(len(strings.Fields(l.Text)))
				textBytes += int64(len(l.Text))
			}
		}
		if d.KeptWords != words || d.KeptTextBytes != textBytes || words == 0 {
			t.Errorf("%s: stats.json says %d words and %d bytes kept, the data holds %d and %d", r, d.KeptWords, d.KeptTextBytes, words, textBytes)
		}
		after := d.Tokens
		for _, s := range st.Steps {
			if s.TokensIn != after {
				t.Errorf("%s: step %s: tokens in %d, want %d", r, s.ID, s.TokensIn, after)
			}
			after -= removed[s.ID]
			if s.TokensOut != after {
				t.Errorf("%s: step %s: tokens out %d, want %d", r, s.ID, s.TokensOut, after)
			}
		}
		if after != kept || st.Tokenizer != "r50k_base" {
			t.Errorf("%s: %d tokens after the last step, %d kept; tokenizer %q", r, after, kept, st.Tokenizer)
		}
	}
}

// tokensOf counts, with GPT-2's r50k BPE, the tokens of a recipe's kept
// documents and of its removed ones by the step that removed them.
func tokensOf(t *testing.T, dir, recipe string) (kept int64, removed map[string]int64) {
	t.Helper()
	enc, err := tokens.R50k()
	if err != nil {
		t.Fatal(err)
	}
	removed = map[string]int64{}
	for _, sub := range []string{"data", "removed"} {
		files, _ := filepath.Glob(filepath.Join(dir, recipe, sub, "*.jsonl.zst"))
		for _, f := range files {
			for _, l := range readDocLines(t, f) {
				n := int64(enc.Count(l.Text))
				if sub == "data" {
					kept += n
				} else {
					removed[l.RemovedBy] += n
				}
			}
		}
	}
	return kept, removed
}

// docLine is an output line, as far as the tests read it.
type docLine struct {
	ID        string         `json:"id"`
	URL       string         `json:"url"`
	Text      string         `json:"text"`
	Signals   map[string]any `json:"signals"`
	RemovedBy string         `json:"removed_by"`
	Reason    string         `json:"reason"`
}

// readDocLines reads an output shard.
func readDocLines(t *testing.T, path string) []docLine {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	raw, err := dec.DecodeAll(b, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []docLine
	for _, l := range bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n")) {
		var d docLine
		if err := json.Unmarshal(l, &d); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, d)
	}
	return out
}
