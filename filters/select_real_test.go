package filters_test

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	_ "github.com/curator-dev/curator/filters/c4"
	_ "github.com/curator-dev/curator/filters/dedup"
	_ "github.com/curator-dev/curator/filters/fineweb"
	_ "github.com/curator-dev/curator/filters/gopher"
	_ "github.com/curator-dev/curator/filters/heuristics"
	_ "github.com/curator-dev/curator/filters/urlfilter"
)

const heuristicsRecipe = "../recipes/dclm-baseline-heuristics.yaml"

// realDocs reads the DCLM golden documents and the example dolma ones.
func realDocs(t testing.TB) []*filters.Doc {
	t.Helper()
	var docs []*filters.Doc
	read := func(path string, r io.Reader) {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<26)
		for line := 1; sc.Scan(); line++ {
			var d struct {
				ID   string `json:"id"`
				URL  string `json:"url"`
				Text string `json:"text"`
			}
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				t.Fatalf("%s:%d: %v", path, line, err)
			}
			docs = append(docs, &filters.Doc{ID: fmt.Sprintf("%s:%d", path, line), URL: d.URL, Text: d.Text})
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"../testdata/dclm_golden/web_docs_golden.jsonl", "../testdata/dclm_golden/edge_cases_golden.jsonl"} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		read(p, f)
		f.Close()
	}
	p := "../testdata/example/dolma_cc_en_head-0091.jsonl.gz"
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	read(p, zr)
	return docs
}

// outcome is what a recipe made of a document, as compared.
type outcome struct {
	kept           bool
	step, reason   string
	text, signals  string
	removedByError bool
}

func (o outcome) String() string {
	if !o.kept {
		return fmt.Sprintf("removed by %s (%s)", o.step, o.reason)
	}
	return fmt.Sprintf("kept, %d bytes, signals %s", len(o.text), o.signals)
}

func newOutcome(d *filters.Doc, o filters.Outcome) outcome {
	sig, _ := json.Marshal(d.Signals)
	out := outcome{kept: o.Kept, step: o.StepID, reason: o.Reason, removedByError: o.Err != nil}
	if o.Kept {
		out.text, out.signals = d.Text, string(sig)
	}
	return out
}

func loadRecipe(t testing.TB, name string, data []byte) *filters.Recipe {
	t.Helper()
	r, err := filters.ParseRecipe(heuristicsRecipe, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

// fresh runs r over docs with Tree.Process.
func fresh(t *testing.T, r *filters.Recipe, docs []*filters.Doc) ([]outcome, *filters.TreeStats) {
	t.Helper()
	tree, err := filters.NewTree([]*filters.Recipe{r})
	if err != nil {
		t.Fatal(err)
	}
	st := tree.NewStats()
	out := make([]outcome, len(docs))
	for i, d := range docs {
		err := tree.Process(d.Clone(), st, filters.EmitFunc(func(_ int, d *filters.Doc, o filters.Outcome) error {
			out[i] = newOutcome(d, o)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	return out, st
}

// annotated is one document as an annotated run wrote it.
type annotated struct {
	doc *filters.Doc
	ann []filters.Annotation
}

// annotate runs r over docs in annotate mode and returns the documents as
// they would be read back: text, signals through JSON, annotations parsed.
func annotate(t testing.TB, r *filters.Recipe, docs []*filters.Doc) []annotated {
	t.Helper()
	tree, err := filters.NewTree([]*filters.Recipe{r})
	if err != nil {
		t.Fatal(err)
	}
	tree.SetAnnotate(true)
	st := tree.NewStats()
	out := make([]annotated, len(docs))
	var size, annSize int
	for i, d := range docs {
		err := tree.Process(d.Clone(), st, filters.EmitFunc(func(ri int, d *filters.Doc, o filters.Outcome) error {
			if !o.Kept {
				return fmt.Errorf("annotate mode removed document %s: %+v", d.ID, o)
			}
			a, err := tree.Annotations(ri, d)
			if err != nil {
				return err
			}
			line, err := json.Marshal(struct {
				Text        string               `json:"text"`
				Signals     map[string]any       `json:"signals"`
				Annotations []filters.Annotation `json:"annotations"`
			}{d.Text, d.Signals, a})
			if err != nil {
				return err
			}
			size += len(line)
			annBytes, _ := json.Marshal(a)
			annSize += len(annBytes)
			var back struct {
				Text        string          `json:"text"`
				Signals     map[string]any  `json:"signals"`
				Annotations json.RawMessage `json:"annotations"`
			}
			if err := json.Unmarshal(line, &back); err != nil {
				return err
			}
			ann, err := filters.ParseAnnotations(back.Annotations)
			if err != nil {
				return err
			}
			out[i] = annotated{&filters.Doc{ID: d.ID, URL: d.URL, Text: back.Text, Signals: back.Signals}, ann}
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	if tt, ok := t.(*testing.T); ok {
		tt.Logf("annotated %d documents: %d bytes of JSON lines, %d of them annotations", len(docs), size, annSize)
	}
	return out
}

// TestSelectHeuristics is the proof of annotate-then-select on the DCLM
// heuristics recipe and real documents: selecting a changed recipe from
// the annotated run gives exactly what running it does.
func TestSelectHeuristics(t *testing.T) {
	src, err := os.ReadFile(heuristicsRecipe)
	if err != nil {
		t.Fatal(err)
	}
	source := loadRecipe(t, "source", src)
	docs := realDocs(t)
	ann := annotate(t, source, docs)
	srcOut, _ := fresh(t, source, docs)

	replace := func(pairs ...string) []byte {
		s := string(src)
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("recipe has no %q", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return []byte(s)
	}
	move := func(step, before string) []byte {
		// step and before are whole "  - use: ..." entries.
		s := string(src)
		if !strings.Contains(s, step) || !strings.Contains(s, before) {
			t.Fatalf("recipe has no %q or %q", step, before)
		}
		s = strings.Replace(s, step, "", 1)
		return []byte(strings.Replace(s, before, step+before, 1))
	}
	targets := []struct {
		name string
		data []byte
	}{
		{"thresholds", replace(
			"{length_type: word, min_length: 50, max_length: 100000, ignore_punctuation: true}", "{length_type: word, min_length: 120, max_length: 3000, ignore_punctuation: true}",
			"{min_length: 3, max_length: 10}", "{min_length: 4, max_length: 8}",
			"{max_symbol_to_word_ratio: 0.1}", "{max_symbol_to_word_ratio: 0.02}",
			"{max_bullet_start_ratio: 0.9}", "{max_bullet_start_ratio: 0.3}",
			"{max_ellipsis_end_ratio: 0.3}", "{max_ellipsis_end_ratio: 0.1}",
			"{max_ratio: 0.2}", "{max_ratio: 0.1}",
			"{count_unique: false, min_stop_word: 2}", "{count_unique: false, min_stop_word: 8}",
			"  - use: massive_web_repetition_filters\n", "  - use: massive_web_repetition_filters\n    with: {max_line_count_frac: 0.1, max_line_char_frac: 0.1, max_top_ngram_char_frac: [0.1, 0.1, 0.1]}\n",
			"max_removed_ratio: 0.05}", "max_removed_ratio: 0.01}")},
		{"reordered", move("  - use: massive_web_repetition_filters\n",
			"  - use: page_length_filter\n")},
		{"reordered2", move("  - use: stop_word_filter\n    with: {count_unique: false, min_stop_word: 2}\n",
			"  - use: word_length_filter\n")},
		{"dropped", replace("  - use: symbol_ratio_filter\n    with: {max_symbol_to_word_ratio: 0.1}\n", "",
			"  - use: massive_web_repetition_filters\n", "")},
		{"dropped_and_renamed", replace("  - use: page_length_filter\n", "  - use: page_length_filter\n    id: length\n",
			"  - use: stop_word_filter\n    with: {count_unique: false, min_stop_word: 2}\n", "")},
	}
	for _, tc := range targets {
		target := loadRecipe(t, tc.name, tc.data)
		sel, err := filters.PlanSelection(source, target)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want, wantSt := fresh(t, target, docs)
		st := sel.NewStats()
		differ, kept := 0, 0
		for i, a := range ann {
			d := a.doc.Clone() // as read again for each selection
			dec, err := sel.Apply(d, a.ann, nil, st)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if dec.Staged {
				t.Fatalf("%s: document %d staged", tc.name, i)
			}
			got := newOutcome(d, dec.Outcome)
			if got != want[i] {
				t.Errorf("%s: document %s: selected %v, fresh run %v", tc.name, docs[i].ID, got, want[i])
			}
			if got.kept {
				kept++
			}
			if got != srcOut[i] {
				differ++
			}
		}
		for n := range wantSt.Nodes {
			w, g := wantSt.Nodes[n], st.Nodes[n]
			w.Nanos, g.Nanos = 0, 0
			if fmt.Sprint(w) != fmt.Sprint(g) {
				t.Errorf("%s: step %s: selected stats %+v, fresh run %+v", tc.name, target.Steps[n].ID, g, w)
			}
		}
		if differ == 0 {
			t.Errorf("%s: every outcome is the source recipe's: a weak test", tc.name)
		}
		t.Logf("%s: %d documents, %d kept, %d outcomes differ from the source recipe's", tc.name, len(docs), kept, differ)
	}
}

func TestSelectHeuristicsRefusals(t *testing.T) {
	src, err := os.ReadFile(heuristicsRecipe)
	if err != nil {
		t.Fatal(err)
	}
	source := loadRecipe(t, "source", src)
	cases := []struct {
		old, new string
		want     []string
	}{
		{"  - use: line_length_modifier\n    with: {min_length: 2}\n", "  - use: line_length_modifier\n    with: {min_length: 3}\n",
			[]string{"modifier line_length_modifier changed: min_length: 2 vs 3 (source vs target)"}},
		{"{length_type: word, min_length: 50, max_length: 100000, ignore_punctuation: true}", "{length_type: word, model: uniseg, min_length: 50, max_length: 100000, ignore_punctuation: true}",
			[]string{`step page_length_filter: measurement parameter model differs: "fasttext" vs "uniseg" (source step page_length_filter vs target)`}},
		{"  - use: word_removal_ratio_filter\n", "  - use: url_substring_filter\n    with: {banlist: [casino, poker]}\n  - use: word_removal_ratio_filter\n",
			[]string{"step url_substring_filter: not in the source recipe"}},
		{"  - use: url_removal_modifier\n", "  - use: url_removal_modifier\n  - use: exact_dedup\n",
			[]string{"dedup step exact_dedup: its verdicts depend on the documents that reach it; modifier url_removal_modifier before it can remove documents",
				"step exact_dedup: not in the source recipe"}},
		{"  - use: word_counter_enricher\n    with: {key: previous_word_count}\n", "",
			[]string{"annotator word_counter_enricher of the source recipe is missing from the target"}},
	}
	for _, c := range cases {
		target := loadRecipe(t, c.new, []byte(strings.Replace(string(src), c.old, c.new, 1)))
		_, err := filters.PlanSelection(source, target)
		if err == nil {
			t.Errorf("%q: selected", c.new)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error\n%v\ndoes not say %q", err, w)
			}
		}
	}
}
