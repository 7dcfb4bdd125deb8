package heuristics_test

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/heuristics"
	"github.com/curator-dev/curator/filters/text"
)

// buildStep builds a registered step from its defaults changed by set.
func buildStep[P any](t *testing.T, name string, set func(p *P)) any {
	t.Helper()
	s, err := filters.BuildStep(name, set, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const removed = "\x00REMOVED"

func runText(t *testing.T, s any, txt string) string {
	d := &filters.Doc{Text: txt}
	var reason string
	var err error
	switch st := s.(type) {
	case filters.Filter:
		reason, err = st.Filter(d)
	case filters.Modifier:
		reason, err = st.Modify(d)
	}
	if err != nil {
		t.Fatal(err)
	}
	if reason != "" {
		return removed
	}
	return d.Text
}

// TestPythonReference checks the line modifiers, URL stripping and the
// tokenizers against CPython's results for DCLM's functions on texts full of
// Unicode traps (testdata/heuristics/python_reference.jsonl, made by
// make_python_reference.py beside it).
func TestPythonReference(t *testing.T) {
	type sub = heuristics.SubstringLineParams
	steps := map[string]any{
		"counter": buildStep[heuristics.NoParams](t, "counter_line_modifier", nil),
		"upper":   buildStep[heuristics.LineRatioParams](t, "uppercase_ratio_line_modifier", nil),
		"numeric": buildStep(t, "numeric_ratio_line_modifier", func(p *heuristics.LineRatioParams) { p.MaxRatio = 0.999999 }),
		"linelen": buildStep(t, "line_length_modifier", func(p *heuristics.LineLengthParams) { p.MinLength = 2 }),
		"newline": buildStep[heuristics.NewlineRemovalParams](t, "newline_removal_modifier", nil),
		"cart": buildStep(t, "substring_line_modifier", func(p *sub) {
			p.Banlist, p.MaxLength, p.RemoveSubstringOnly = []string{"items in cart"}, 10, true
		}),
		"readmore": buildStep(t, "substring_line_modifier", func(p *sub) {
			p.Banlist, p.MaxLength, p.Location, p.RemoveSubstringOnly = []string{"Read more..."}, 10, "suffix", true
		}),
		"signin": buildStep(t, "substring_line_modifier", func(p *sub) {
			p.Banlist, p.MaxLength, p.Location, p.RemoveSubstringOnly = []string{"Sign-in"}, 10, "prefix", true
		}),
		"multi": buildStep(t, "substring_line_modifier", func(p *sub) { p.Banlist = []string{"share", "sharing", "Σας"} }),
	}
	e, _ := filters.Lookup("url_removal_modifier")
	url, err := e.Build(e.Defaults(), filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	steps["url"] = url

	f, err := os.Open("../../testdata/heuristics/python_reference.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	n := 0
	for sc.Scan() {
		var c struct {
			Text string         `json:"text"`
			Want map[string]any `json:"want"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		for name, s := range steps {
			if got := runText(t, s, c.Text); got != c.Want[name] {
				t.Errorf("%s(%q) = %q, CPython %q", name, c.Text, got, c.Want[name])
			}
		}
		strs := func(v any) []string {
			var out []string
			for _, x := range v.([]any) {
				out = append(out, x.(string))
			}
			return out
		}
		if got := float64(text.FastTextCount(c.Text, true)); got != c.Want["ft"] {
			t.Errorf("fastText words of %q: %v, CPython %v", c.Text, got, c.Want["ft"])
		}
		if got := float64(text.FastTextCount(c.Text, false)); got != c.Want["ft0"] {
			t.Errorf("fastText tokens of %q: %v, CPython %v", c.Text, got, c.Want["ft0"])
		}
		for name, got := range map[string][]string{"split": text.Fields(c.Text), "lines": text.SplitParagraphs(c.Text, "\n"), "paras": text.SplitParagraphs(c.Text, "\n\n")} {
			if want := strs(c.Want[name]); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
				t.Errorf("%s(%q) = %q, CPython %q", name, c.Text, got, want)
			}
		}
		if got := text.Strip(c.Text); got != c.Want["strip"] {
			t.Errorf("strip(%q) = %q, CPython %q", c.Text, got, c.Want["strip"])
		}
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}
