package gopher

import (
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// The expectations below are datatrove's own, from huggingface/datatrove
// tests/pipeline/filters/test_filters.py at commit
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc (test_gopher_quality,
// test_gopher_quality_rejects_empty_doc, test_gopher_repetition,
// test_gopher_repetition_rejects_empty_doc), for the filters of
// src/datatrove/pipeline/filters/gopher_quality_filter.py at 5c254fa5 and
// gopher_repetition_filter.py at f4233219.

const textLF1 = "I wish it need not have happened in my time,' said Frodo. 'So do I,' said Gandalf, 'and so do all who live to " +
	"see such times. But that is not for them to decide. All we have to decide is what to do with the time that is " +
	"given us.'"

func buildQuality(t testing.TB, set func(p *QualityParams)) filters.Decider {
	t.Helper()
	s, err := filters.BuildStep[QualityParams]("gopher_quality", set, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Decider)
}

func buildRepetition(t testing.TB, set func(p *RepetitionParams)) filters.Decider {
	t.Helper()
	s, err := filters.BuildStep[RepetitionParams]("gopher_repetition", set, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Decider)
}

type reasonCase struct {
	text, want string
}

func checkReasons(t *testing.T, step filters.Decider, cases []reasonCase) {
	t.Helper()
	for i, c := range cases {
		d := &filters.Doc{ID: "case", Text: c.text}
		got, err := step.Filter(d)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got != c.want {
			t.Errorf("case %d (%.50q): reason %q, want %q", i, c.text, got, c.want)
		}
		if err := filters.CheckDecision(step, d); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
		if err := filters.CheckGauges(step, d); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

func TestDatatroveGopherQuality(t *testing.T) {
	q := buildQuality(t, func(p *QualityParams) { p.MinDocWords, p.MaxDocWords = 10, 1000 })
	checkReasons(t, q, []reasonCase{
		{"I am too small...", "gopher_short_doc"},
		{strings.Repeat("I am ", 20), "gopher_below_avg_threshold"},
		{strings.Repeat("interconnection ", 20), "gopher_above_avg_threshold"},
		{strings.Repeat("# comment ", 20), "gopher_too_many_hashes"},
		{strings.Repeat("... comment ", 20), "gopher_too_many_ellipsis"},
		{strings.Repeat("the ./!*?<><> apple <?////> orange  ++ interconnection !<>??? have", 20), "gopher_below_alpha_threshold"},
		{textLF1, ""},
	})
}

func TestDatatroveGopherQualityEmpty(t *testing.T) {
	q := buildQuality(t, func(p *QualityParams) { p.MinDocWords = 0 })
	checkReasons(t, q, []reasonCase{{"", "empty"}, {"   \n  \n", "empty"}})
	// With the defaults too: no word, no division.
	checkReasons(t, buildQuality(t, nil), []reasonCase{{"", "empty"}, {"\t\u00a0\u3000", "empty"}})
}

func TestDatatroveGopherRepetition(t *testing.T) {
	r := buildRepetition(t, nil)
	checkReasons(t, r, []reasonCase{
		{strings.Repeat("I am your father.\n", 4), "dup_line_frac"},
		{strings.Repeat("I am your father.\n\n", 4), "dup_para_frac"},
		{"I am groot.\n\n" + "You are a wizard.\n\n" + "I am your father.\n\n" + strings.Repeat(strings.Repeat("x", 30)+".\n\n", 2), "dup_para_char_frac"},
		{"I am groot.\n" + "You are a wizard.\n" + "I am your father.\n" + strings.Repeat(strings.Repeat("x", 40)+".\n", 2), "dup_line_char_frac"},
		{"I am Frank, I am Frank, I am Frank", "top_2_gram"},
		{"I am Frank, you are Jhon. I am Frank. I am Frank you are Jhon", "top_3_gram"},
		{strings.Repeat("I am a solo traveller ", 4) + textLF1, "duplicated_5_n_grams"},
		{"", "empty"},
		{textLF1, ""},
	})
}

// TestQualityRules checks the rules datatrove's tests do not reach, with
// thresholds that isolate each one.
func TestQualityRules(t *testing.T) {
	long := strings.Repeat("the cat sat on the mat with a hat. ", 10)
	q := buildQuality(t, func(p *QualityParams) { p.MinDocWords, p.MaxDocWords = 5, 30 })
	checkReasons(t, q, []reasonCase{
		{long, "gopher_long_doc"},
	})
	q = buildQuality(t, func(p *QualityParams) { p.MinDocWords = 5 })
	checkReasons(t, q, []reasonCase{
		{strings.Repeat("• the house of the rising sun\n", 10), "gopher_too_many_bullets"},
		{strings.Repeat("  - the house of the rising sun\n", 10), "gopher_too_many_bullets"},
		{strings.Repeat("the house of the rising sun\n", 5) + strings.Repeat("and then what happened…  \n", 3), "gopher_too_many_end_ellipsis"},
		{strings.Repeat("the house of the rising sun\n", 10), ""},
		{strings.Repeat("The House Of The Rising Sun\n", 10), "gopher_enough_stop_words"}, // case-sensitive
	})
}

// TestPunctuationSet checks datatrove's PUNCTUATION: tab, newline and
// space are not in it, the other controls are; fullwidth "１" is.
func TestPunctuationSet(t *testing.T) {
	for r, want := range map[rune]bool{'\t': false, '\n': false, ' ': false, '\r': true, 0x0b: true, 0x0c: true,
		0x7f: true, 0x9f: true, 0xa0: false, '１': true, '1': false, 'a': false, '…': true, '►': true, '»': true} {
		if isPunctuation(r) != want {
			t.Errorf("isPunctuation(%U) = %v, want %v", r, !want, want)
		}
	}
	if !isSymbolWord("?!") || isSymbolWord("a.") || !isSymbolWord("") {
		t.Error("isSymbolWord is wrong")
	}
}

// TestNGramHelpers checks find_top_duplicate's and find_all_duplicate's
// quirks: Counter.most_common(1) takes the first of equally common
// n-grams; find_all_duplicate concatenates without a separator, so "ab c"
// repeats "a bc", and skips n words after a repeat.
func TestNGramHelpers(t *testing.T) {
	ws := []string{"a", "b", "c", "d", "c", "d", "a", "b"}
	if got := topDuplicate(join(ws, " "), len(ws), 2); got != 6 { // "a b" x 2, first of the two most common
		t.Errorf("topDuplicate = %d, want 6", got)
	}
	ws = []string{"xx", "b", "c", "d", "c", "d", "xx", "b"}
	if got := topDuplicate(join(ws, " "), len(ws), 2); got != 8 { // "xx b" (4) x 2 comes first
		t.Errorf("topDuplicate = %d, want 8", got)
	}
	if got := topDuplicate(join(ws, " "), len(ws), 9); got != -1 {
		t.Errorf("topDuplicate without n-grams = %d, want -1", got)
	}
	ws = []string{"ab", "c", "a", "bc"}
	if got := allDuplicate(join(ws, ""), len(ws), 2); got != 3 {
		t.Errorf("allDuplicate = %d, want 3", got)
	}
	ws = []string{"é", "é", "é", "é", "é"}
	// "éé" new at 0; seen at 1: +2 code points, jump to 3; seen: +2, jump to 5.
	if got := allDuplicate(join(ws, ""), len(ws), 2); got != 4 {
		t.Errorf("allDuplicate(é x 5, 2) = %d, want 4", got)
	}
}
