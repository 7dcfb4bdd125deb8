package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/klauspost/compress/zstd"
)

const minhashPool = "../testdata/minhash"

type truthDoc struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	DupOf string `json:"dup_of"`
	Text  string `json:"text"`
}

// readJSONLines decodes every line of the (gzip or zstd) JSONL files.
func readJSONLines(t *testing.T, paths ...string) []truthDoc {
	t.Helper()
	var out []truthDoc
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		var r *bufio.Scanner
		if strings.HasSuffix(p, ".zst") {
			zr, err := zstd.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			r = bufio.NewScanner(zr)
		} else {
			gr, err := gzip.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			r = bufio.NewScanner(gr)
		}
		r.Buffer(nil, 1<<26)
		for r.Scan() {
			var d truthDoc
			if err := json.Unmarshal(r.Bytes(), &d); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			out = append(out, d)
		}
		f.Close()
		if err := r.Err(); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	return out
}

// TestMinHashRunWide runs minhash_dedup over a slice of a synthetic pool
// with ground truth (make_pool.py: exact copies, near copies, Brown corpus
// texts, other languages) with 1 and 4 workers and small tasks: outputs
// and counters are byte-identical, every copy is removed, most near copies
// are, and neither other languages nor first occurrences of Brown texts
// are.
func TestMinHashRunWide(t *testing.T) {
	base := t.TempDir()
	recipe := filepath.Join(base, "mh.yaml")
	if err := os.WriteFile(recipe, []byte("name: mh\nsteps:\n  - use: minhash_dedup\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := []string{filepath.Join(minhashPool, "pool-a.jsonl.gz"), filepath.Join(minhashPool, "pool-b.jsonl.gz")}
	outs := map[string]string{}
	for _, workers := range []string{"1", "4"} {
		out := filepath.Join(base, "w"+workers)
		outs[workers] = out
		var stdout, stderr bytes.Buffer
		args := append([]string{"run", "--recipe", recipe, "--output", out, "--workers", workers,
			"--task-bytes", "32KiB", "--keep-removed", "--log-level", "warn"}, in...)
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%s workers: exit %d\n%s\n%s", workers, code, &stdout, &stderr)
		}
	}
	one, four := readOutputs(t, outs["1"]), readOutputs(t, outs["4"])
	if len(one) == 0 || len(four) != len(one) {
		t.Fatalf("%d output files with 1 worker, %d with 4", len(one), len(four))
	}
	for name, b := range one {
		if !bytes.Equal(b, four[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
	stats := filepath.Join("mh", coordinator.StatsFile)
	st, c1 := stepCounters(t, filepath.Join(outs["1"], stats))
	if _, c4 := stepCounters(t, filepath.Join(outs["4"], stats)); c4 != c1 {
		t.Errorf("counters differ between 1 and 4 workers:\n%s\n%s", c1, c4)
	}
	step := st.Steps[0]
	if step.Use != "minhash_dedup" || step.Dedup == nil || step.Dedup.Docs != step.In || step.Dedup.Groups != 1 ||
		step.Dedup.PlanBytes == 0 {
		t.Fatalf("minhash_dedup: %+v %+v", step, step.Dedup)
	}

	docs := readJSONLines(t, in...)
	truth := readJSONLines(t, filepath.Join(minhashPool, "truth.jsonl.gz"))
	if len(docs) != len(truth) {
		t.Fatalf("%d documents, %d truths", len(docs), len(truth))
	}
	removed := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(outs["1"], "mh", "removed", "*.jsonl.zst"))
	for _, d := range readJSONLines(t, files...) {
		removed[d.ID] = true
	}
	if int64(len(removed)) != step.Removed["minhash_duplicate"] {
		t.Fatalf("%d removed documents written, stats say %v", len(removed), step.Removed)
	}
	// A first occurrence of a text (words, lowercase) is one no earlier
	// document has.
	words := regexp.MustCompile(`[\p{L}\p{N}\p{M}_]+`)
	seen := map[string]bool{}
	count := map[string][2]int{} // kind: documents, removed
	for i, tr := range truth {
		if docs[i].ID != tr.ID {
			t.Fatalf("document %d is %s, truth %s", i, docs[i].ID, tr.ID)
		}
		key := strings.Join(words.FindAllString(strings.ToLower(docs[i].Text), -1), " ")
		first := !seen[key]
		seen[key] = true
		c := count[tr.Kind]
		c[0]++
		if removed[tr.ID] {
			c[1]++
		}
		count[tr.Kind] = c
		switch {
		case tr.Kind == "dup" && !removed[tr.ID]:
			t.Errorf("copy %s of %s kept", tr.ID, tr.DupOf)
		case tr.Kind == "nonen" && removed[tr.ID]:
			t.Errorf("non-English document %s removed", tr.ID)
		case tr.Kind == "brown" && first && removed[tr.ID]:
			t.Errorf("first occurrence of Brown text %s removed", tr.ID)
		case !first && !removed[tr.ID]:
			t.Errorf("%s document %s kept, a copy of an earlier text", tr.Kind, tr.ID)
		}
	}
	t.Logf("kind: documents, removed: %v", count)
	if nd := count["neardup"]; nd[0] < 10 || 3*nd[1] < 2*nd[0] {
		t.Errorf("near copies: %d of %d removed, want two thirds at least", nd[1], nd[0])
	}
	if c := count["dup"]; c[0] < 10 {
		t.Errorf("only %d copies in the test pool", c[0])
	}
}
