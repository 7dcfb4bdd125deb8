package heuristics_test

import (
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/heuristics"
)

func TestLineModifiers(t *testing.T) {
	nl := func(k int) any {
		return buildStep(t, "newline_removal_modifier", func(p *heuristics.NewlineRemovalParams) { p.MaxConsecutive = k })
	}
	type sub = heuristics.SubstringLineParams
	readMore := func(literal bool) any {
		return buildStep(t, "substring_line_modifier", func(p *sub) {
			p.Banlist, p.Location, p.MaxLength, p.RemoveSubstringOnly, p.Literal = []string{"Read more..."}, "suffix", 10, true, literal
		})
	}
	whole := buildStep(t, "substring_line_modifier", func(p *sub) { p.Banlist = []string{"cookie", "javascript"} })
	for _, c := range []struct {
		name     string
		step     any
		in, want string
	}{
		{"newlines 2", nl(2), "a\n\n\n\nb\n\nc\n\n\n", "a\n\nb\n\nc\n\n"},
		{"newlines 0", nl(0), "a\n\n\nb\nc", "abc"},
		{"newlines 1", nl(1), "a\n\n\nb\nc\n", "a\nb\nc\n"},
		{"uppercase", buildStep[heuristics.LineRatioParams](t, "uppercase_ratio_line_modifier", nil),
			"Fine line\nSHOUTING LINE\nⅫ ⅫⅫⅫ x\n\nend\n\n", "Fine line\n\nend"},
		{"numeric", buildStep(t, "numeric_ratio_line_modifier", func(p *heuristics.LineRatioParams) { p.MaxRatio = 0.999999 }),
			"text\n2023\n²³\n2023 2024\n٣٤\nmore", "text\n2023 2024\nmore"},
		{"counter", buildStep[heuristics.NoParams](t, "counter_line_modifier", nil),
			"Post\n1.2K likes\n  35 Views!!\n3 comments here\n12,345 followers\n5 ｌikes\nend", "Post\n3 comments here\n5 ｌikes\nend"},
		{"line length", buildStep(t, "line_length_modifier", func(p *heuristics.LineLengthParams) { p.MinLength = 2 }),
			"one\ntwo words\n \n\nthree more words\n", "two words\n\nthree more words\n"},
		{"read more regex", readMore(false), "Story text here Read more...\nNext line read moreXYZ", "Story text here\nNext line"},
		{"read more literal", readMore(true), "Story text here Read more...\nNext line read moreXYZ", "Story text here\nNext line read moreXYZ"},
		{"whole lines", whole, "Accept the COOKIE policy\nkeep me\nEnable JavaScript\nlast", "keep me\nlast"},
	} {
		if got := runText(t, c.step, c.in); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := runText(t, buildStep[heuristics.LineRatioParams](t, "uppercase_ratio_line_modifier", nil), "ALL CAPS\nNO"); got != removed {
		t.Errorf("all lines removed: %q, want the document removed", got)
	}
}

func TestInvalidParams(t *testing.T) {
	for _, c := range []struct {
		name string
		p    any
	}{
		{"substring_line_modifier", heuristics.SubstringLineParams{Banlist: []string{"x"}, Location: "middle", MaxLength: -1}},
		{"substring_line_modifier", heuristics.SubstringLineParams{Location: "any", MaxLength: -1}},
		{"substring_line_modifier", heuristics.SubstringLineParams{Banlist: []string{""}, Location: "any", MaxLength: -1}},
		{"substring_line_modifier", heuristics.SubstringLineParams{Banlist: []string{"(unclosed"}, Location: "any", MaxLength: -1}},
		{"page_length_filter", heuristics.PageLengthParams{LengthType: "sentence", Model: "fasttext"}},
		{"page_length_filter", heuristics.PageLengthParams{LengthType: "word", Model: "bpe"}},
		{"massive_web_repetition_filters", heuristics.RepetitionParams{MaxTopNgramCharFrac: []float64{0.2}}},
		{"newline_removal_modifier", heuristics.NewlineRemovalParams{MaxConsecutive: -1}},
		{"word_counter_enricher", heuristics.WordCounterParams{Model: "fasttext"}},
		{"word_removal_ratio_filter", heuristics.WordRemovalRatioParams{Model: "fasttext"}},
		{"stop_word_filter", heuristics.StopWordParams{MinStopWord: 2}},
	} {
		e, _ := filters.Lookup(c.name)
		if _, err := e.Build(c.p, filters.Env{}); err == nil {
			t.Errorf("%s %+v: built, want an error", c.name, c.p)
		}
	}
}

func TestWordCounterSignals(t *testing.T) {
	wc := buildStep[heuristics.WordCounterParams](t, "word_counter_enricher", nil).(filters.Annotator)
	d := &filters.Doc{Text: "Hello world. \n #tag ... 3 items"}
	if err := wc.Annotate(d); err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Signal("previous_word_count"); v != 4 {
		t.Errorf("previous_word_count = %v, want 4", v)
	}
	if err := wc.Annotate(d); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("second count without overwrite: %v, want an error", err)
	}
	wr := buildStep[heuristics.WordRemovalRatioParams](t, "word_removal_ratio_filter", nil).(filters.Filter)
	if _, err := wr.Filter(&filters.Doc{Text: "x"}); err == nil {
		t.Error("word_removal_ratio_filter without a previous count: no error")
	}
	if _, err := wr.Filter(&filters.Doc{Text: "x", Signals: map[string]any{"previous_word_count": "ten"}}); err == nil {
		t.Error("word_removal_ratio_filter with a string count: no error")
	}
}
