package coordinator

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/teststeps"
	"github.com/klauspost/compress/zstd"
)

const (
	poolDir    = "../../testdata/run/pool"
	damagedDir = "../../testdata/run/damaged"
	recipeDir  = "../../testdata/run/recipes"
)

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func loadTree(t *testing.T, names ...string) *filters.Tree {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(recipeDir, n+".yaml"))
	}
	tree, err := filters.LoadTree(paths...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	return tree
}

// tempDir is a directory removed after the test, on tmpfs when there is one:
// every output is fsynced, and fsync on a busy disk costs far more than the
// rest of these runs.
func tempDir(t testing.TB) string {
	t.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "curator-test-"); err == nil {
			t.Cleanup(func() { _ = os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func localConfig(t *testing.T, tree *filters.Tree, workers int, inputs ...string) LocalConfig {
	return LocalConfig{
		Config: Config{
			Tree:           tree,
			Inputs:         inputs,
			OutputDir:      filepath.Join(tempDir(t), "out"),
			TaskBytes:      16 << 10, // many record-range tasks from the small pool
			KeepRemoved:    true,
			CuratorVersion: "test",
			Logger:         testLogger(t),
		},
		Workers: workers,
	}
}

// readTree returns every regular file below dir by relative path, with its bytes.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readStats(t *testing.T, path string) *RecipeStats {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st := &RecipeStats{}
	if err := json.Unmarshal(b, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// counters is a recipe's stats.json without its timings.
func counters(t *testing.T, path string) string {
	st := readStats(t, path)
	st.Time = RunTime{}
	for i := range st.Steps {
		st.Steps[i].Time = StepTime{}
	}
	b, _ := json.MarshalIndent(st, "", " ")
	return string(b)
}

func readRun(t *testing.T, dir string) *RunRecord {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, RunFile))
	if err != nil {
		t.Fatal(err)
	}
	rr := &RunRecord{}
	if err := json.Unmarshal(b, rr); err != nil {
		t.Fatal(err)
	}
	return rr
}

// readLines decompresses a jsonl.zst output into its lines.
func readLines(t *testing.T, b []byte) []map[string]json.RawMessage {
	t.Helper()
	dec, err := zstd.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out []map[string]json.RawMessage
	sc := bufio.NewScanner(dec)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		m := map[string]json.RawMessage{}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func runLocal(t *testing.T, cfg LocalConfig) *Report {
	t.Helper()
	rep, err := RunLocal(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := os.Stat(StoreDir(cfg.OutputDir)); !os.IsNotExist(err) {
		t.Errorf("the JetStream store %s is still there after the run", StoreDir(cfg.OutputDir))
	}
	return rep
}

// TestRunSameOutputWhateverTheWorkers runs two recipes sharing a prefix over
// the pool with 1 and 4 workers: data and removed files must be
// byte-identical, stats counters equal, and the shared steps must have run
// once per document.
func TestRunSameOutputWhateverTheWorkers(t *testing.T) {
	tree := loadTree(t, "even", "upper")
	cfg1 := localConfig(t, tree, 1, poolDir)
	teststeps.CountCalls.Store(0)
	rep1 := runLocal(t, cfg1)
	t.Run("shared prefix ran once", func(t *testing.T) { checkSharedPrefix(t, cfg1, rep1) })
	cfg4 := localConfig(t, tree, 4, poolDir)
	rep4 := runLocal(t, cfg4)

	if rep1.Tasks < 8 {
		t.Errorf("only %d tasks: the pool should split into more", rep1.Tasks)
	}
	if rep1.Failed != 0 || rep4.Failed != 0 || rep1.NotRun != 0 || rep4.NotRun != 0 {
		t.Fatalf("failed tasks: %+v / %+v", rep1, rep4)
	}
	files1, files4 := readTree(t, cfg1.OutputDir), readTree(t, cfg4.OutputDir)
	var names []string
	for name, b := range files1 {
		if strings.HasSuffix(name, ".jsonl.zst") {
			names = append(names, name)
			if !bytes.Equal(b, files4[name]) {
				t.Errorf("%s differs between 1 and 4 workers", name)
			}
		}
	}
	for name := range files4 {
		if _, ok := files1[name]; !ok {
			t.Errorf("%s written with 4 workers only", name)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no output files")
	}
	for _, r := range []string{"even", "upper"} {
		p1, p4 := filepath.Join(cfg1.OutputDir, r, StatsFile), filepath.Join(cfg4.OutputDir, r, StatsFile)
		if c1, c4 := counters(t, p1), counters(t, p4); c1 != c4 {
			t.Errorf("%s stats counters differ:\n%s\n---\n%s", r, c1, c4)
		}
	}

	// Every document is accounted for, and the data files hold the kept ones.
	for _, r := range []string{"even", "upper"} {
		st := readStats(t, filepath.Join(cfg1.OutputDir, r, StatsFile))
		d := st.Documents
		if d.Records == 0 || d.Records != d.Kept+d.Removed+d.Errors {
			t.Errorf("%s: records %d != kept %d + removed %d + errors %d", r, d.Records, d.Kept, d.Removed, d.Errors)
		}
		var kept, removed int64
		for name, b := range files1 {
			switch {
			case strings.HasPrefix(name, r+"/data/"):
				kept += int64(len(readLines(t, b)))
			case strings.HasPrefix(name, r+"/removed/"):
				removed += int64(len(readLines(t, b)))
			}
		}
		if kept != d.Kept {
			t.Errorf("%s: %d lines in data/, stats say %d kept", r, kept, d.Kept)
		}
		if removed != d.Removed+d.Errors+d.ReadErrors {
			t.Errorf("%s: %d lines in removed/, stats say %d removed + %d errors + %d read errors", r, removed, d.Removed, d.Errors, d.ReadErrors)
		}
	}
	if st := readStats(t, filepath.Join(cfg1.OutputDir, "upper", StatsFile)); st.Documents.Errors == 0 {
		t.Errorf("upper: test_flaky failed on no document; the error path is untested")
	}
}

// checkSharedPrefix checks a run of the recipes even and upper, which share
// three steps: those steps ran once per document, not once per recipe.
// teststeps.CountCalls must have been reset before the run.
func checkSharedPrefix(t *testing.T, cfg LocalConfig, rep *Report) {

	even := readStats(t, filepath.Join(cfg.OutputDir, "even", StatsFile))
	upper := readStats(t, filepath.Join(cfg.OutputDir, "upper", StatsFile))
	if rep.Records == 0 || even.Documents.Records != rep.Records {
		t.Fatalf("records: report %d, stats %d", rep.Records, even.Documents.Records)
	}
	if got := teststeps.CountCalls.Load(); got != rep.Records {
		t.Errorf("test_count ran %d times for %d documents", got, rep.Records)
	}
	for i := range 3 {
		e, u := even.Steps[i], upper.Steps[i]
		if e.Node != u.Node || len(e.SharedWith) != 1 || e.SharedWith[0] != "upper" {
			t.Errorf("step %s: node %d / %d, shared with %v: not shared", e.ID, e.Node, u.Node, e.SharedWith)
		}
	}
	// The HTML step sees every document once; test_count sees what it kept.
	if in := even.Steps[0].In; in != rep.Records {
		t.Errorf("shared first step: in %d, want %d (once per document)", in, rep.Records)
	}
	if c := even.Steps[1]; c.In != even.Steps[0].Kept || c.In != teststeps.CountCalls.Load() {
		t.Errorf("test_count: in %d, first step kept %d, calls %d", c.In, even.Steps[0].Kept, teststeps.CountCalls.Load())
	}
	if even.Steps[3].Node == upper.Steps[3].Node || len(upper.Steps[3].SharedWith) != 0 {
		t.Errorf("the fourth steps differ and must not be shared")
	}
}
