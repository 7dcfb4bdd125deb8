package dedup

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// refCorpus is dupCorpus plus, for every tenth document, the document
// twice in one text (in-document repeats and the document rule).
func refCorpus(t testing.TB) []string {
	texts := dupCorpus(t, 1000)
	for i, d := range webDocs(t) {
		if i%10 == 0 {
			texts = append(texts, d.Text+"\n"+d.Text)
		}
	}
	return texts
}

var rustRefRuns = []struct {
	mode      Mode
	n, min    int
	threshold float64
}{
	{ModeOldBoth, 13, 13, 0.8},
	{ModeParagraph, 13, 13, 0.8},
	{ModeDocument, 13, 13, 0.8},
	{ModeOldBoth, 5, 3, 0.5},
}

func rustRefName(i int) string {
	r := rustRefRuns[i]
	return fmt.Sprintf("rust_decisions_%s_%d_%d_%g.txt.zst", r.mode, r.n, r.min, r.threshold)
}

// TestMatchesRustReference: with an exact set, the decisions equal those of
// an independent Rust transcription of DCLM's BFF loops over an exact set
// of token windows (testdata/dedup/rust_oldboth, run by gen_rust_decisions.sh
// on the corpus this test writes when CURATOR_DEDUP_DUMP names a file).
func TestMatchesRustReference(t *testing.T) {
	texts := refCorpus(t)
	if dump := os.Getenv("CURATOR_DEDUP_DUMP"); dump != "" {
		if err := os.WriteFile(dump, []byte(strings.Join(texts, "\x00")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, run := range rustRefRuns {
		want := readLines(t, testdata+rustRefName(i))
		if len(want) != len(texts) {
			t.Fatalf("%s: %d lines for %d texts", rustRefName(i), len(want), len(texts))
		}
		z, _ := NewShingler(run.n, run.min, run.mode.Whole())
		dec := Decider{Mode: run.mode, Threshold: run.threshold}
		m := &SetMembership{Set: NewExact()}
		var dc Decision
		removed := 0
		for j, s := range texts {
			dec.Decide(z.Shingle(s), m, &dc)
			got := fmt.Sprintf("%d %d %d", dc.Contained, dc.Total, b2i(dc.Empty))
			for _, w := range dc.Removed {
				got += fmt.Sprintf(" %d-%d", w.Start, w.End)
			}
			if got != want[j] {
				t.Fatalf("%s text %d: got %q, Rust %q", rustRefName(i), j, got, want[j])
			}
			removed += len(dc.Removed)
		}
		t.Logf("%s: %d texts, %d windows removed, all equal", rustRefName(i), len(texts), removed)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}
