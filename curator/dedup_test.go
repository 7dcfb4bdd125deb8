package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
)

// TestDedupRunWide runs exact_dedup and bff_dedup over real crawl shards
// whose documents come twice (the pool, then a copy of one of its shards
// under another name) with 1, 2 and 4 workers and small tasks: the copies
// are removed, and outputs and counters are byte-identical whatever the
// number of workers, as the canonical order promises.
func TestDedupRunWide(t *testing.T) {
	base := t.TempDir()
	in := filepath.Join(base, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(testPool)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(testPool, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if e.Name() == "dolma_cc_en_head-0174.jsonl.gz" {
			if err := os.WriteFile(filepath.Join(in, "zz_copy.jsonl.gz"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	recipe := filepath.Join(base, "dedup.yaml")
	if err := os.WriteFile(recipe, []byte(`name: dedup
steps:
  - use: extract
  - use: exact_dedup
  - use: bff_dedup
    with: {expected_ngrams: 2000000}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	for _, workers := range []string{"1", "2", "4"} {
		out := filepath.Join(base, "w"+workers)
		outs[workers] = out
		var stdout, stderr bytes.Buffer
		code := run([]string{"run", "--recipe", recipe, "--output", out, "--workers", workers,
			"--task-bytes", "16KiB", "--keep-removed", "--log-level", "warn", in}, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("%s workers: exit %d\n%s\n%s", workers, code, &stdout, &stderr)
		}
	}
	one := readOutputs(t, outs["1"])
	stats := filepath.Join("dedup", coordinator.StatsFile)
	st, c1 := stepCounters(t, filepath.Join(outs["1"], stats))
	for _, w := range []string{"2", "4"} {
		other := readOutputs(t, outs[w])
		if len(one) == 0 || len(other) != len(one) {
			t.Fatalf("%d output files with 1 worker, %d with %s", len(one), len(other), w)
		}
		for name, b := range one {
			if !bytes.Equal(b, other[name]) {
				t.Errorf("%s differs between 1 and %s workers", name, w)
			}
		}
		if _, c := stepCounters(t, filepath.Join(outs[w], stats)); c != c1 {
			t.Errorf("counters differ between 1 and %s workers:\n%s\n%s", w, c1, c)
		}
	}
	exact, bff := st.Steps[1], st.Steps[2]
	if exact.Use != "exact_dedup" || exact.Removed["exact_duplicate"] < 20 {
		t.Errorf("exact_dedup: %+v", exact)
	}
	if bff.Use != "bff_dedup" || bff.Dedup == nil || bff.Dedup.Docs != bff.In || bff.Dedup.Groups != 1 {
		t.Errorf("bff_dedup: %+v %+v", bff, bff.Dedup)
	}
	rr := readRunRecord(t, outs["1"])
	if len(rr.Dedups) != 2 || rr.Dedups[1].Filter != "dedup/bff_dedup.filter" || len(rr.Dedups[1].FilterSHA256) != 64 {
		t.Fatalf("run.json dedups %+v", rr.Dedups)
	}

	// A second run seeded with the first one's filter: the copy's documents
	// were all seen, so bff_dedup removes every one.
	seeded := filepath.Join(base, "seeded.yaml")
	if err := os.WriteFile(seeded, []byte("name: seeded\nsteps:\n  - use: bff_dedup\n    with: {seed_from: "+
		filepath.Join(outs["1"], rr.Dedups[1].Filter)+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(base, "seeded")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", "--recipe", seeded, "--output", out2, "--workers", "2", "--log-level", "warn",
		filepath.Join(in, "zz_copy.jsonl.gz")}, &stdout, &stderr); code != 0 {
		t.Fatalf("seeded run: exit %d\n%s", code, &stderr)
	}
	st2, _ := stepCounters(t, filepath.Join(out2, "seeded", coordinator.StatsFile))
	if b := st2.Steps[0]; b.In < 10 || b.Removed["bff_duplicate"] != b.In {
		t.Errorf("seeded bff_dedup: %+v", b)
	}
	if f := readRunRecord(t, out2).Recipes[0].Files; len(f) != 1 || f[0].SHA256 != rr.Dedups[1].FilterSHA256 {
		t.Errorf("run.json does not pin the seed filter: %+v", f)
	}
	if _, err := os.Stat(filepath.Join(outs["1"], ".staging")); !os.IsNotExist(err) {
		t.Errorf("staging left behind: %v", err)
	}
}

// A dedup plan larger than --dedup-memory refuses to start, saying what it
// needs and what to change.
func TestDedupMemoryRefusal(t *testing.T) {
	base := t.TempDir()
	recipe := filepath.Join(base, "dedup.yaml")
	if err := os.WriteFile(recipe, []byte("name: dedup\nsteps:\n  - use: bff_dedup\n    with: {expected_ngrams: 1000000000}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", "--recipe", recipe, "--output", filepath.Join(base, "out"), "--dedup-memory", "1GiB",
		testPool}, &stdout, &stderr)
	msg := stderr.String()
	if code == 0 || !strings.Contains(msg, "bff_dedup (node 0) needs 1.12 GiB") || !strings.Contains(msg, "may use 1.00 GiB") ||
		!strings.Contains(msg, "group_size") {
		t.Fatalf("exit %d\n%s", code, msg)
	}
}
