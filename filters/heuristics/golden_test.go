package heuristics_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/heuristics"
	"github.com/curator-dev/curator/filters/text"
	"github.com/curator-dev/curator/filters/urlfilter"
)

const recipePath = "../../recipes/dclm-baseline-heuristics.yaml"

// goldenStepName maps a recipe step id to the step name of the golden files.
var goldenStepName = map[string]string{
	"substring_line_modifier_items_in_cart": "substring_line_modifier:items in cart",
	"substring_line_modifier_read_more":     "substring_line_modifier:Read more...",
	"substring_line_modifier_sign_in":       "substring_line_modifier:Sign-in",
}

// goldenRepetitionCheck maps DCLM's repetition check names (granularity,
// threshold, measure) to the reasons of massive_web_repetition_filters.
var goldenRepetitionCheck = map[string]string{
	"line:0.3:count": "dup_line_frac", "paragraph:0.3:count": "dup_para_frac",
	"line:0.2:chars": "dup_line_char_frac", "paragraph:0.2:chars": "dup_para_char_frac",
	"2:0.2:chars": "top_2gram", "3:0.18:chars": "top_3gram", "4:0.16:chars": "top_4gram",
	"5:0.15:chars": "dup_5gram", "6:0.14:chars": "dup_6gram", "7:0.13:chars": "dup_7gram",
	"8:0.12:chars": "dup_8gram", "9:0.11:chars": "dup_9gram", "10:0.1:chars": "dup_10gram",
}

type goldenStep struct {
	Step              string  `json:"step"`
	Result            string  `json:"result"`
	TextSHAAfter      *string `json:"text_sha_after"`
	CharsAfter        *int    `json:"chars_after"`
	PreviousWordCount *int    `json:"previous_word_count"`
}

type goldenDoc struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Text  string `json:"text"`
	Stats struct {
		FastText int `json:"words_fasttext_nopunct"`
		Uniseg   int `json:"words_uniseg_nopunct"`
		Split    int `json:"words_split"`
	} `json:"stats"`
	Steps         []goldenStep `json:"steps"`
	FirstRepCheck *string      `json:"first_failing_repetition_check"`
	RemovedAt     *string      `json:"removed_at"`
	FinalText     *string      `json:"final_text"`
	FinalSHA      *string      `json:"final_sha"`
	InputChars    int          `json:"input_chars"`
}

func readGolden(t testing.TB, path string) []goldenDoc {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []goldenDoc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for line := 1; sc.Scan(); line++ {
		var d goldenDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

func sha16(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:16]
}

// applyStep runs one step and returns its removal reason.
func applyStep(t testing.TB, s filters.RecipeStep, d *filters.Doc) string {
	var reason string
	var err error
	switch st := s.Step.(type) {
	case filters.Filter:
		reason, err = st.Filter(d)
	case filters.Modifier:
		reason, err = st.Modify(d)
	case filters.Annotator:
		err = st.Annotate(d)
	default:
		t.Fatalf("step %s: %T is no step", s.ID, s.Step)
	}
	if err != nil {
		t.Errorf("step %s: %v", s.ID, err)
	}
	return reason
}

// diffAt describes where two strings first differ.
func diffAt(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	ctx := func(s string) string {
		lo, hi := max(0, i-40), min(len(s), i+40)
		return fmt.Sprintf("%q", s[lo:hi])
	}
	return fmt.Sprintf("first difference at byte %d: got %s, want %s (len %d vs %d)", i, ctx(got), ctx(want), len(got), len(want))
}

func checkGolden(t *testing.T, r *filters.Recipe, g goldenDoc) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	if n := heuristics.WordCount(&filters.Doc{Text: g.Text}, heuristics.ModelFastText, true, true); n != g.Stats.FastText {
		fail("words_fasttext_nopunct %d, want %d", n, g.Stats.FastText)
	}
	if n := len(text.UAXWords(g.Text)); n != g.Stats.Uniseg {
		fail("words_uniseg_nopunct %d, want %d", n, g.Stats.Uniseg)
	}
	if n := text.CountFields(g.Text); n != g.Stats.Split {
		fail("words_split %d, want %d", n, g.Stats.Split)
	}

	d := &filters.Doc{ID: g.ID, Text: g.Text}
	removedAt := ""
	for i, s := range r.Steps {
		name := s.ID
		if n, ok := goldenStepName[name]; ok {
			name = n
		}
		before := d.Text
		reason := applyStep(t, s, d)
		if i >= len(g.Steps) {
			fail("step %s ran, but DCLM stopped before it", name)
			break
		}
		gs := g.Steps[i]
		if gs.Step != name {
			fail("step %d is %s, golden has %s", i, name, gs.Step)
			break
		}
		result := "kept"
		if reason != "" {
			result = "removed"
		}
		if result != gs.Result {
			fail("step %s: %s (reason %q), want %s", name, result, reason, gs.Result)
		}
		if gs.TextSHAAfter != nil && result == "kept" {
			if got := sha16(d.Text); got != *gs.TextSHAAfter || text.RuneLen(d.Text) != *gs.CharsAfter {
				fail("step %s: text after has sha %s and %d chars, want %s and %d", name, got, text.RuneLen(d.Text), *gs.TextSHAAfter, *gs.CharsAfter)
			}
		} else if gs.TextSHAAfter == nil && result == "kept" && d.Text != before {
			fail("step %s changed the text, DCLM did not: %s", name, diffAt(d.Text, before))
		}
		if gs.PreviousWordCount != nil {
			v, _ := d.Signal("previous_word_count")
			if v != *gs.PreviousWordCount {
				fail("previous_word_count %v, want %d", v, *gs.PreviousWordCount)
			}
		}
		if s.Use == "massive_web_repetition_filters" && g.FirstRepCheck != nil {
			want := goldenRepetitionCheck[*g.FirstRepCheck]
			if want == "" {
				fail("unknown golden repetition check %q", *g.FirstRepCheck)
			} else if reason != want && !(reason == "empty" && *g.FirstRepCheck == "line:0.3:count") {
				fail("repetition reason %q, want %q (%s)", reason, want, *g.FirstRepCheck)
			}
		}
		if reason != "" {
			removedAt = name
			break
		}
	}
	want := ""
	if g.RemovedAt != nil {
		want = *g.RemovedAt
	}
	if removedAt != want {
		fail("removed at %q, want %q", removedAt, want)
	}
	if removedAt == "" && g.FinalText != nil && d.Text != *g.FinalText {
		fail("final text differs: %s", diffAt(d.Text, *g.FinalText))
	}
	if removedAt == "" && g.FinalText == nil {
		fail("kept, but DCLM has no final text")
	}
	return errs
}

func TestGoldenParity(t *testing.T) {
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"web_docs_golden.jsonl", "edge_cases_golden.jsonl"} {
		docs := readGolden(t, "../../testdata/dclm_golden/"+file)
		if len(docs) == 0 {
			t.Fatalf("%s: no documents", file)
		}
		bad := 0
		for _, g := range docs {
			errs := checkGolden(t, r, g)
			if len(errs) > 0 {
				bad++
				for _, e := range errs {
					t.Errorf("%s %s %s: %s", file, g.ID, g.Name, e)
				}
			}
		}
		t.Logf("%s: %d/%d documents identical to DCLM", file, len(docs)-bad, len(docs))
	}
}

// TestQuirkFixes turns DCLM's two text quirks off and checks that the
// documents built to show them change, and how many real pages do.
func TestQuirkFixes(t *testing.T) {
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		t.Fatal(err)
	}
	fixed := *r
	fixed.Steps = append([]filters.RecipeStep(nil), r.Steps...)
	for i, s := range fixed.Steps {
		var p any
		switch s.ID {
		case "url_removal_modifier":
			q := s.Params.(urlfilter.URLRemovalParams)
			q.FixTLDGate = true
			p = q
		case "substring_line_modifier_read_more":
			q := s.Params.(heuristics.SubstringLineParams)
			q.Literal = true
			p = q
		default:
			continue
		}
		e, _ := filters.Lookup(s.Use)
		if fixed.Steps[i].Step, err = e.Build(p, filters.Env{}); err != nil {
			t.Fatal(err)
		}
	}
	changed := map[string]bool{}
	for _, file := range []string{"web_docs_golden.jsonl", "edge_cases_golden.jsonl"} {
		n := 0
		for _, g := range readGolden(t, "../../testdata/dclm_golden/"+file) {
			d := &filters.Doc{Text: g.Text}
			o := fixed.Run(d)
			same := o.Kept == (g.RemovedAt == nil) && (!o.Kept || d.Text == *g.FinalText)
			if !same {
				changed[g.Name] = true
				n++
			}
		}
		t.Logf("%s: %d documents change with fix_tld_gate and literal", file, n)
	}
	for _, name := range []string{"url_gate_starts_with_Hello", "read_more_regex_dots"} {
		if !changed[name] {
			t.Errorf("%s: same result with the quirk fixed", name)
		}
	}
	for _, name := range []string{"url_gate_starts_with_This", "clean_two_paragraphs", "read_more_suffix"} {
		if changed[name] {
			t.Errorf("%s: changed by fixing quirks that do not concern it", name)
		}
	}
}

// TestConcurrentRuns shares one built recipe between goroutines, as workers
// do, and expects the results of a sequential run.
func TestConcurrentRuns(t *testing.T) {
	r, err := filters.LoadRecipe(recipePath)
	if err != nil {
		t.Fatal(err)
	}
	docs := readGolden(t, "../../testdata/dclm_golden/web_docs_golden.jsonl")
	run := func(g goldenDoc) string {
		d := &filters.Doc{Text: g.Text}
		o := r.Run(d)
		if !o.Kept {
			return "removed by " + o.StepID + ": " + o.Reason
		}
		return d.Text
	}
	want := make([]string, len(docs))
	for i, g := range docs {
		want[i] = run(g)
	}
	errs := make(chan string, 4*len(docs))
	done := make(chan bool)
	for w := 0; w < 4; w++ {
		go func(w int) {
			for k := range docs {
				i := (k + w*len(docs)/4) % len(docs)
				if got := run(docs[i]); got != want[i] {
					errs <- fmt.Sprintf("doc %s: %.60q, sequential %.60q", docs[i].ID, got, want[i])
				}
			}
			done <- true
		}(w)
	}
	for w := 0; w < 4; w++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
