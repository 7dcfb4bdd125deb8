package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/curator/report"
)

// runExample runs recipes on the bundled example data into a new
// directory with the given number of workers and returns the directory.
func runExample(t *testing.T, workers string, recipes ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "--output", out, "--workers", workers, "--task-bytes", "128KiB", "--log-level", "warn"}
	for _, r := range recipes {
		args = append(args, "--recipe", r)
	}
	var stdout, stderr bytes.Buffer
	if code := run(append(args, "../testdata/example"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, &stdout, &stderr)
	}
	if want := filepath.Join(out, report.HTMLFile); !strings.Contains(stdout.String(), want) {
		t.Errorf("the run's summary does not name its report %s:\n%s", want, &stdout)
	}
	return out
}

// reportJSON reads a run's report.json without what differs from run to
// run (its id, times and directory).
func reportJSON(t *testing.T, dir string) (*report.Report, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"run_id", "dir", "started", "ended", "wall_seconds", "lineage"} {
		delete(m, k)
	}
	for _, rc := range m["recipes"].([]any) {
		rc := rc.(map[string]any)
		delete(rc["documents"].(map[string]any), "kept_bytes") // zstd frames differ with task boundaries
		for _, s := range rc["steps"].([]any) {
			delete(s.(map[string]any), "cpu_seconds")
		}
	}
	norm, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return &r, norm
}

func TestRunReport(t *testing.T) {
	recipes := []string{"../recipes/dclm-baseline.yaml", "../recipes/weak-langid.yaml"}
	one := runExample(t, "1", recipes...)
	three := runExample(t, "3", recipes...)
	r, a := reportJSON(t, one)
	_, b := reportJSON(t, three)
	if !bytes.Equal(a, b) {
		t.Errorf("report.json with 1 worker and with 3 differ:\n%s", firstDiff(string(a), string(b)))
	}

	// The funnel is stats.json's, step by step.
	for _, rc := range r.Recipes {
		st, _ := stepCounters(t, filepath.Join(one, rc.Name, coordinator.StatsFile))
		if rc.Documents.Kept != st.Documents.Kept || len(rc.Steps) != len(st.Steps) {
			t.Fatalf("recipe %s: report %+v, stats %+v", rc.Name, rc.Documents, st.Documents)
		}
		for i, s := range rc.Steps {
			if w := st.Steps[i]; s.In != w.In || s.Kept != w.Kept || s.TokensOut != w.TokensOut || s.Removed != sum(w.Removed) {
				t.Errorf("recipe %s step %s: report %+v, stats %+v", rc.Name, s.ID, s, w)
			}
		}
	}
	// Shared steps are drawn once: extraction runs for both recipes.
	if n := r.Tree[0]; n.Use != "extract" || len(n.Recipes) != 2 {
		t.Errorf("first node of the tree: %+v", n)
	}
	seen := map[int]bool{}
	gauges, removals, changes := 0, 0, 0
	for _, n := range r.Tree {
		if seen[n.Index] {
			t.Errorf("node %d drawn twice", n.Index)
		}
		seen[n.Index] = true
		// Every document that reached a step with gauges was measured.
		for _, g := range n.Gauges {
			gauges++
			if g.N+g.Undefined != n.In-n.Errors {
				t.Errorf("node %d (%s) gauge %s: %d values and %d undefined of %d documents in", n.Index, n.Use, g.Name, g.N, g.Undefined, n.In)
			}
		}
		// Samples: at most SamplesPerReason per reason, of the step's reasons.
		per := map[string]int{}
		reasons := map[string]bool{"error": n.Errors > 0}
		for _, c := range n.Reasons {
			reasons[c.Name] = true
		}
		for _, s := range n.Removals {
			per[s.Reason]++
			if !reasons[s.Reason] || s.Text == "" && s.Bytes > 0 {
				t.Errorf("node %d (%s): sample %s with reason %q, text %d of %d bytes", n.Index, n.Use, s.ID, s.Reason, len(s.Text), s.Bytes)
			}
		}
		for reason, k := range per {
			if want := min(r.SamplesPerReason, int(countOf(n.Reasons, reason, n.Errors))); k != want {
				t.Errorf("node %d (%s): %d samples of reason %s, want %d", n.Index, n.Use, k, reason, want)
			}
		}
		if n.Modified > 0 && len(n.Changes) != min(r.SamplesChanged, int(n.Modified)) {
			t.Errorf("node %d (%s): %d changed samples of %d modified", n.Index, n.Use, len(n.Changes), n.Modified)
		}
		removals += len(n.Removals)
		changes += len(n.Changes)
	}
	if gauges < 20 || removals == 0 || changes == 0 {
		t.Errorf("%d gauges, %d removed and %d changed samples", gauges, removals, changes)
	}
	if len(r.Overlap) != 1 || r.Overlap[0].Both != r.Recipes[0].Documents.Kept {
		// Every document dclm-baseline keeps passes weak-langid's steps too.
		t.Errorf("overlap %+v, dclm-baseline kept %d", r.Overlap, r.Recipes[0].Documents.Kept)
	}

	// The page has every section, draws what report.json holds, and needs
	// nothing from the network.
	page, err := os.ReadFile(filepath.Join(one, report.HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"summary", "funnel", "removals", "signals", "evaluation", "overlap", "samples", "failed", "lineage"} {
		if !bytes.Contains(page, []byte(`<section id="`+id+`">`)) {
			t.Errorf("report.html has no section %s", id)
		}
	}
	if got := bytes.Count(page, []byte(`<svg class="hist"`)); got != gauges {
		t.Errorf("report.html draws %d histograms, report.json has %d gauges", got, gauges)
	}
	if got := bytes.Count(page, []byte(`<details class="sample`)); got != removals+changes {
		t.Errorf("report.html has %d samples, report.json %d", got, removals+changes)
	}
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//|@import|url\(|<script|<link`)
	if m := external.Find(page); m != nil {
		t.Errorf("report.html refers to something outside itself: %q", m)
	}
	md, err := os.ReadFile(filepath.Join(one, report.MarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"## Funnel", "## Removals by step and reason", "## Signals", "## Samples", "## Lineage"} {
		if !bytes.Contains(md, []byte(h)) {
			t.Errorf("report.md has no %q", h)
		}
	}

	// curator report writes the same files again.
	files := []string{report.HTMLFile, report.MarkdownFile, report.JSONFile}
	readReports := func() map[string][]byte {
		out := map[string][]byte{}
		for _, f := range files {
			out[f], _ = os.ReadFile(filepath.Join(one, f))
		}
		return out
	}
	before := readReports()
	for _, f := range files {
		os.Remove(filepath.Join(one, f))
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", one}, &stdout, &stderr); code != 0 {
		t.Fatalf("curator report: exit %d: %s", code, &stderr)
	}
	after := readReports()
	for _, f := range files {
		if len(before[f]) == 0 || !bytes.Equal(before[f], after[f]) {
			t.Errorf("curator report wrote another %s", f)
		}
	}
	if code := run([]string{"report", t.TempDir()}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "run.json") {
		t.Errorf("curator report of an empty directory: exit %d, %s", code, &stderr)
	}
}

// countOf is the count of reason among cs ("error": errors).
func countOf(cs []report.Count, reason string, errors int64) int64 {
	if reason == "error" {
		return errors
	}
	for _, c := range cs {
		if c.Name == reason {
			return c.Count
		}
	}
	return 0
}

// firstDiff shows where two texts first differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + la[i] + "\n  vs " + lb[i]
		}
	}
	return "lengths differ"
}
