package coordinator

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/internal/quantile"
	"github.com/curator-dev/curator/workers"
)

// stepOf returns the stats of the step with id in a recipe's stats.json.
func stepOf(t *testing.T, st *RecipeStats, id string) StepStats {
	t.Helper()
	for _, s := range st.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("recipe %s has no step %s", st.Recipe, id)
	return StepStats{}
}

// dataScores returns the test_rank signal of every document in a recipe's data/.
func dataScores(t *testing.T, files map[string][]byte, recipe string) []float64 {
	t.Helper()
	var out []float64
	for name, b := range files {
		if !strings.HasPrefix(name, recipe+"/data/") {
			continue
		}
		for _, l := range readLines(t, b) {
			var sig map[string]any
			if err := json.Unmarshal(l["signals"], &sig); err != nil {
				t.Fatal(err)
			}
			out = append(out, sig["test_rank"].(float64))
		}
	}
	return out
}

// TestKeepTopSameWhateverTheWorkers runs a keep_top recipe beside two plain
// ones sharing its prefix, with 1 and 4 workers: the threshold is fixed
// once from every score, exactly 10% of what reached the step is kept, and
// outputs and stats are identical.
func TestKeepTopSameWhateverTheWorkers(t *testing.T) {
	tree := loadTree(t, "even", "top", "upper")
	cfg1 := localConfig(t, tree, 1, poolDir)
	rep1 := runLocal(t, cfg1)
	cfg4 := localConfig(t, tree, 4, poolDir)
	rep4 := runLocal(t, cfg4)
	if rep1.Failed != 0 || rep4.Failed != 0 || rep1.Tasks != rep4.Tasks {
		t.Fatalf("reports %+v / %+v", rep1, rep4)
	}
	files1, files4 := readTree(t, cfg1.OutputDir), readTree(t, cfg4.OutputDir)
	for name, b := range files1 {
		if strings.HasSuffix(name, ".jsonl.zst") && !bytes.Equal(b, files4[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
		if strings.HasPrefix(name, workers.StagingDir) {
			t.Errorf("%s: staged files left after a successful run", name)
		}
	}
	if len(files1) != len(files4) {
		t.Errorf("%d files with 1 worker, %d with 4", len(files1), len(files4))
	}
	for _, r := range []string{"even", "top", "upper"} {
		p1, p4 := filepath.Join(cfg1.OutputDir, r, StatsFile), filepath.Join(cfg4.OutputDir, r, StatsFile)
		if c1, c4 := counters(t, p1), counters(t, p4); c1 != c4 {
			t.Errorf("%s stats counters differ:\n%s\n---\n%s", r, c1, c4)
		}
	}

	st := readStats(t, filepath.Join(cfg1.OutputDir, "top", StatsFile))
	rank := stepOf(t, st, "test_rank")
	th := rank.Threshold
	if th == nil || th.Threshold == nil {
		t.Fatalf("no threshold in stats.json: %+v", rank)
	}
	if th.Scored != rank.In || th.Method != "exact" || th.RankError != 0 || th.KeepTop != 0.1 {
		t.Errorf("threshold record %+v for a step that saw %d documents", th, rank.In)
	}
	if want := quantile.Target(0.1, rank.In); rank.Kept != want || th.Target != want {
		t.Errorf("kept %d of %d, want %d (target %d)", rank.Kept, rank.In, want, th.Target)
	}
	if rank.Kept+rank.Removed["below_top_fraction"] != rank.In || rank.In < 50 {
		t.Errorf("step counters %+v", rank)
	}
	d := st.Documents
	if d.Records != d.Kept+d.Removed+d.Errors || d.Kept != rank.Kept {
		t.Errorf("documents %+v", d)
	}
	scores := dataScores(t, files1, "top")
	if int64(len(scores)) != rank.Kept {
		t.Errorf("%d documents in data/, stats say %d", len(scores), rank.Kept)
	}
	for _, s := range scores {
		if s < *th.Threshold {
			t.Errorf("kept a document scored %v below the threshold %v", s, *th.Threshold)
		}
	}
	rr := readRun(t, cfg1.OutputDir)
	if len(rr.Thresholds) != 1 || *rr.Thresholds[0].Threshold != *th.Threshold || rr.Summary.ResumeTasks == 0 {
		t.Errorf("run.json thresholds %+v, resume tasks %d", rr.Thresholds, rr.Summary.ResumeTasks)
	}
	var staged int64
	for _, tr := range rr.Tasks {
		if tr.Resume != nil {
			staged += tr.Resume.Docs
			if tr.Status != "ok" || tr.Resume.Threshold != *th.Threshold {
				t.Errorf("resume task %+v", tr)
			}
		}
	}
	if staged != rank.In {
		t.Errorf("second-phase tasks took on %d documents, %d were scored", staged, rank.In)
	}
	// The plain recipes are untouched by the keep_top one.
	if ev := readStats(t, filepath.Join(cfg1.OutputDir, "even", StatsFile)); ev.Documents.Records != d.Records {
		t.Errorf("even read %d records, top %d", ev.Documents.Records, d.Records)
	}
}

// TestKeepTopSketch forces the sketch (exact below 20 scores, tiny levels)
// and a nested keep_top: kept counts stay within the stated rank error.
func TestKeepTopSketch(t *testing.T) {
	tree := loadTree(t, "top-nested")
	cfg := localConfig(t, tree, 2, poolDir)
	cfg.ExactScores, cfg.SketchCapacity = 20, 8
	runLocal(t, cfg)
	st := readStats(t, filepath.Join(cfg.OutputDir, "top-nested", StatsFile))
	first, then := stepOf(t, st, "first_half"), stepOf(t, st, "then_top_30")
	for _, s := range []StepStats{first, then} {
		th := s.Threshold
		if th == nil || th.Threshold == nil || th.Method != "sketch" || th.RankError <= 0 {
			t.Fatalf("step %s: threshold %+v", s.ID, th)
		}
		if d := s.Kept - th.Target; d > th.RankError || -d > th.RankError {
			t.Errorf("step %s kept %d, target %d ± %d", s.ID, s.Kept, th.Target, th.RankError)
		}
	}
	if then.In != first.Kept {
		t.Errorf("the nested step saw %d documents, the first kept %d", then.In, first.Kept)
	}
	if d := st.Documents; d.Kept != then.Kept || d.Records != d.Kept+d.Removed+d.Errors {
		t.Errorf("documents %+v", d)
	}
	if _, err := os.Stat(filepath.Join(cfg.OutputDir, workers.StagingDir)); !os.IsNotExist(err) {
		t.Errorf("staging left: %v", err)
	}
}
