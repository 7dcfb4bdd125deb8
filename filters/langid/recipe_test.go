// This test builds the lang step with all 75 languages (about 1.5 s, 12 s
// under the race detector).

package langid_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/curator-dev/curator/filters"
	_ "github.com/curator-dev/curator/filters/c4"
	_ "github.com/curator-dev/curator/filters/extract"
	_ "github.com/curator-dev/curator/filters/fineweb"
	_ "github.com/curator-dev/curator/filters/gopher"
	_ "github.com/curator-dev/curator/filters/heuristics"
	_ "github.com/curator-dev/curator/filters/langid"
	_ "github.com/curator-dev/curator/filters/urlfilter"
)

// TestDCLMBaselineRecipe loads recipes/dclm-baseline.yaml, checks its steps
// are DCLM's in DCLM's order, and runs it on real English web pages: each
// of them (the two that DCLM removes and ten it keeps) must end as DCLM's own
// implementation left it (the golden removed_at and
// final text; DCLM's URL and language steps keep all of them).
func TestDCLMBaselineRecipe(t *testing.T) {
	r, err := filters.LoadRecipe("../../recipes/dclm-baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"extract", "url_substring_filter_domains", "url_substring_filter_strict",
		"url_substring_filter_hard", "url_substring_filter_soft", "url_removal_modifier",
		"newline_removal_modifier", "language_filter", "page_length_filter", "word_length_filter",
		"symbol_ratio_filter", "bullet_count_filter", "ellipsis_count_filter",
		"alphabetic_word_ratio_filter", "stop_word_filter", "massive_web_repetition_filters",
		"word_counter_enricher", "uppercase_ratio_line_modifier", "numeric_ratio_line_modifier",
		"counter_line_modifier", "line_length_modifier", "substring_line_modifier_items_in_cart",
		"substring_line_modifier_read_more", "substring_line_modifier_sign_in", "word_removal_ratio_filter"}
	if got := r.StepIDs(); !slices.Equal(got, want) {
		t.Fatalf("steps %q\nwant %q", got, want)
	}
	f, err := os.Open("../../testdata/langid/web_docs_sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	n, kept := 0, 0
	for sc.Scan() {
		var g struct {
			ID        string  `json:"id"`
			Text      string  `json:"text"`
			RemovedAt *string `json:"removed_at"`
			FinalSHA  string  `json:"final_sha256"`
		}
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		// lingua takes tens of ms per page: run the pages DCLM removes and
		// the first ten it keeps.
		if g.RemovedAt == nil && kept == 10 {
			continue
		}
		if g.RemovedAt == nil {
			kept++
		}
		n++
		d := &filters.Doc{ID: g.ID, Text: g.Text, URL: "https://example.com/" + g.ID}
		o := r.Run(d)
		if o.Err != nil {
			t.Fatalf("%s: %v", g.ID, o.Err)
		}
		switch {
		case g.RemovedAt != nil:
			if o.Kept || o.StepID != *g.RemovedAt {
				t.Errorf("%s: outcome %+v, DCLM removed it at %s", g.ID, o, *g.RemovedAt)
			}
		case !o.Kept:
			t.Errorf("%s: removed at %s (%s), DCLM keeps it", g.ID, o.StepID, o.Reason)
		default:
			sum := sha256.Sum256([]byte(d.Text))
			if hex.EncodeToString(sum[:]) != g.FinalSHA {
				t.Errorf("%s: final text differs from DCLM's", g.ID)
			}
			if v, _ := d.Signal("language_id_whole_page_lingua"); v.(map[string]float64)["en"] <= 0.65 {
				t.Errorf("%s: kept with language signal %v", g.ID, v)
			}
		}
	}
	for url, step := range map[string]string{
		"https://www.XXX.com/videos":            "url_substring_filter_hard",
		"http://example.com/sexy/escort-agency": "url_substring_filter_soft",
		"http://example.com/🖕":                  "url_substring_filter_strict",
	} {
		if o := r.Run(&filters.Doc{URL: url, Text: "The text does not matter."}); o.Kept || o.StepID != step {
			t.Errorf("%s: outcome %+v, want removal at %s", url, o, step)
		}
	}
	if n != 12 {
		t.Fatalf("%d documents, want 12 (2 removed, 10 kept)", n)
	}
}
