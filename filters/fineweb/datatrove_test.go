package fineweb

import (
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// The expectations of TestDatatroveFineWeb are datatrove's own, from
// huggingface/datatrove tests/pipeline/filters/test_filters.py at commit
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc (TestFineWebQualityFilter).

func build(t testing.TB, set func(p *QualityParams)) filters.Decider {
	t.Helper()
	s, err := filters.BuildStep[QualityParams]("fineweb_quality", set, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Decider)
}

func check(t *testing.T, step filters.Decider, s, want string) {
	t.Helper()
	d := &filters.Doc{ID: "case", Text: s}
	got, err := step.Filter(d)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%.50q: reason %q, want %q", s, got, want)
	}
	if err := filters.CheckDecision(step, d); err != nil {
		t.Error(err)
	}
	if err := filters.CheckGauges(step, d); err != nil {
		t.Error(err)
	}
}

func TestDatatroveFineWeb(t *testing.T) {
	check(t, build(t, nil), "", ReasonEmpty)
	check(t, build(t, func(p *QualityParams) { p.LinePunctThr = 0.5 }),
		"No punctuation here\nAnother line without any\nStill nothing", ReasonLinePunct)
	check(t, build(t, func(p *QualityParams) { p.ShortLineThr, p.ShortLineLength, p.LinePunctThr = 0.5, 30, 0 }),
		"hi.\nbye.\nok.\nno.\nyes.", ReasonShortLine)
	check(t, build(t, nil), "This is a well-written paragraph that ends with proper punctuation.\n"+
		"The content here is substantial and has meaningful information.\n"+
		"Quality filtering ensures that only the best documents pass through.\n"+
		"Each line here is long enough and ends with a terminal punctuation mark.\n"+
		"This document should pass all the quality checks applied by the filter.", "")
	// datatrove asserts only that it is removed; the first rule that fires
	// is the punctuation one (no line ends with punctuation).
	check(t, build(t, func(p *QualityParams) { p.NewLineRatio = 0.1 }), strings.Join(slicesRepeat("a", 50), "\n"), ReasonLinePunct)
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestRules checks the rules on hand-derived cases.
func TestRules(t *testing.T) {
	long := "This line is long enough to not count as a short one."
	def := build(t, nil)
	// char_dup_ratio: a repeated non-blank line; blank lines never repeat.
	check(t, def, long+"\n"+long+"\nAnother long line that ends with a full stop here.", ReasonCharDup)
	check(t, def, long+"\n\n  \n\n  \nAnother long line that ends with a full stop here.", "")
	// list_ratio: 4 newlines over 10 words (with "." and "!") > 0.3; 3 over 10 is not.
	check(t, build(t, func(p *QualityParams) { p.ShortLineThr = 2 }), "One two three four five six seven eight.\n\n\n\n!", ReasonList)
	check(t, build(t, func(p *QualityParams) { p.ShortLineThr = 2 }), "One two three four five six seven eight.\n\n\n!", "")
	// The boundaries: line_punct_ratio at <=, short_line at >=, list at >.
	half := build(t, func(p *QualityParams) { p.LinePunctThr = 0.5 })
	check(t, half, long+"\nAnother long line without any punctuation at its end", ReasonLinePunct)
	check(t, build(t, func(p *QualityParams) { p.ShortLineThr = 0.5 }), long+"\nshort.", ReasonShortLine)
	// line_punct_exclude_zero lets a ratio of 0 through.
	ex := build(t, func(p *QualityParams) { p.LinePunctExcludeZero = true })
	check(t, ex, "A line without any punctuation at its end, long enough", "")
	// Python's str.endswith and len count code points; "…" is no stop char.
	check(t, def, "Ce texte est assez long pour ne pas être court…", ReasonLinePunct)
	check(t, build(t, func(p *QualityParams) { p.ShortLineLength = 10 }), "ééééééééé.", ReasonShortLine)
}

// TestZeroDivisions: where datatrove would raise ZeroDivisionError the
// document is removed as empty.
func TestZeroDivisions(t *testing.T) {
	lax := build(t, func(p *QualityParams) { p.LinePunctExcludeZero, p.ShortLineThr = true, 2 })
	check(t, lax, "", ReasonEmpty)
	check(t, lax, "\n\n", ReasonEmpty)   // no code point but "\n": char_dup_ratio's denominator
	check(t, lax, "  \n\t", ReasonEmpty) // no word: list_ratio's denominator
	check(t, lax, " ", ReasonEmpty)
	def := build(t, nil)
	check(t, def, "\n\n", ReasonLinePunct) // the first rules come first, as in datatrove
	check(t, def, "   ", ReasonLinePunct)
}
