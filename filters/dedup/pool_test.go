package dedup

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// TestPool runs exact_dedup and bff_dedup (old-both, a bloom filter sized
// from the pool's token count as DCLM's maintainers advise) over a pool
// made by ../shared/bench/make_pool.py, in canonical order, and checks them
// against its truth file. It runs only when CURATOR_DEDUP_POOL names the
// pool's directory:
//
//	python3 /work/shared/bench/make_pool.py --docs 2000 --out /tmp/pool-dedup
//	CURATOR_DEDUP_POOL=/tmp/pool-dedup go test -run Pool -v ./filters/dedup
func TestPool(t *testing.T) {
	dir := os.Getenv("CURATOR_DEDUP_POOL")
	if dir == "" {
		t.Skip("CURATOR_DEDUP_POOL is not set: no make_pool.py pool to check")
	}
	type truthRec struct {
		ID, Kind, Lang, Shard string
		DupOf                 *string `json:"dup_of"`
		Index                 int
	}
	var truth []truthRec
	readGz(t, filepath.Join(dir, "truth.jsonl.gz"), func(b []byte) {
		var r truthRec
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		truth = append(truth, r)
	})
	shards, _ := filepath.Glob(filepath.Join(dir, "jsonl", "shard_*.jsonl.gz"))
	sort.Strings(shards)
	var docs []testDoc
	for _, s := range shards {
		readGz(t, s, func(b []byte) {
			var d testDoc
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d)
		})
	}
	if len(docs) != len(truth) {
		t.Fatalf("%d documents, %d truth records", len(docs), len(truth))
	}
	tokens := 0
	for _, d := range docs {
		Tokens(d.Text, func(string) bool { tokens++; return true })
	}
	exact, _ := filters.BuildStep[ExactParams]("exact_dedup", nil, filters.Env{})
	plan, _ := PlanBloom(uint64(tokens), 0.01)
	b, _ := NewBloom(plan)
	z, _ := NewShingler(13, 13, false)
	dec := Decider{Mode: ModeOldBoth, Threshold: 0.8}
	byID := map[string]int{}
	type count struct{ n, exactRemoved, bffEmptied, bffTouched, emptiedFirst int }
	kinds := map[string]*count{}
	neardupShared, neardupMissed := 0, 0
	for i, d := range docs {
		tr := truth[i]
		if tr.ID != d.ID {
			t.Fatalf("doc %d: id %s, truth %s", i, d.ID, tr.ID)
		}
		byID[d.ID] = i
		c := kinds[tr.Kind]
		if c == nil {
			c = &count{}
			kinds[tr.Kind] = c
		}
		c.n++
		reason, _ := exact.(filters.Filter).Filter(&filters.Doc{Text: d.Text, URL: d.URL})
		if reason != "" {
			c.exactRemoved++
		} else if tr.Kind == "dup" {
			t.Errorf("dup %s (of %s) kept by exact_dedup", d.ID, *tr.DupOf)
		}
		var dc Decision
		dec.Decide(z.Shingle(d.Text), b, &dc)
		if bytesTrimEmpty(dc.Apply(d.Text)) {
			c.bffEmptied++
			if reason == "" {
				c.emptiedFirst++ // not an exact copy of an earlier document
			}
		} else if len(dc.Removed) > 0 {
			c.bffTouched++
		}
		if tr.Kind == "neardup" && !dc.Empty {
			// Every paragraph of 13 tokens or more that the original has must go.
			orig := map[string]bool{}
			for _, p := range splitLines(docs[byID[*tr.DupOf]].Text) {
				orig[key(p)] = true
			}
			removed := map[Span]bool{}
			for _, w := range dc.Removed {
				removed[w] = true
			}
			sh := z.Shingle(d.Text)
			for _, u := range sh.Units {
				if u.Hi > u.Lo && orig[key(d.Text[u.Start:u.End])] {
					neardupShared++
					if !removed[Span{u.Start, u.End}] {
						neardupMissed++
						t.Errorf("neardup %s: paragraph %q shared with %s kept", d.ID, d.Text[u.Start:u.End], *tr.DupOf)
					}
				}
			}
		}
	}
	t.Logf("pool %s: %d documents, %d tokens; %v", dir, len(docs), tokens, plan)
	for _, k := range []string{"web", "nonen", "brown", "spam", "boiler", "dup", "neardup"} {
		if c := kinds[k]; c != nil {
			t.Logf("%-8s %5d docs: exact_dedup removed %d; bff emptied %d (%d not exact copies), removed paragraphs of %d more",
				k, c.n, c.exactRemoved, c.bffEmptied, c.emptiedFirst, c.bffTouched)
		}
	}
	t.Logf("neardup: %d paragraphs shared with the original, %d kept", neardupShared, neardupMissed)
	// make_pool draws brown texts with replacement: the later draws are
	// exact copies, which both steps rightly remove. Of the others, bff
	// must keep 99%.
	for _, k := range []string{"brown", "nonen"} {
		if c := kinds[k]; c != nil && float64(c.n-c.exactRemoved-c.emptiedFirst) < 0.99*float64(c.n-c.exactRemoved) {
			t.Errorf("%s: bff emptied %d of the %d documents that are not exact copies (more than 1%%)", k, c.emptiedFirst, c.n-c.exactRemoved)
		}
	}
}

// key is a paragraph's tokens, whatever the white space around them.
func key(p string) string {
	var ts []string
	Tokens(p, func(s string) bool { ts = append(ts, s); return true })
	if len(ts) < 13 {
		return "\x00short"
	}
	b, _ := json.Marshal(ts)
	return string(b)
}

func splitLines(s string) []string {
	var out []string
	z, _ := NewShingler(13, 13, false)
	for _, u := range z.Shingle(s).Units {
		out = append(out, s[u.Start:u.End])
	}
	return out
}

func readGz(t testing.TB, path string, f func([]byte)) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		f(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
