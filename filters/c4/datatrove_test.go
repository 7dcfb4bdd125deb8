package c4

import (
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// The expectations below are datatrove's own, from huggingface/datatrove
// tests/pipeline/filters/test_filters.py at commit
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc (TestC4QualityFilter).

func buildQuality(t testing.TB, set func(p *QualityParams)) filters.Modifier {
	t.Helper()
	s, err := filters.BuildStep[QualityParams]("c4_quality", set, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Modifier)
}

func modify(t *testing.T, m filters.Modifier, s string) (*filters.Doc, string) {
	t.Helper()
	d := &filters.Doc{ID: "case", Text: s}
	reason, err := m.Modify(d)
	if err != nil {
		t.Fatal(err)
	}
	return d, reason
}

func TestDatatroveC4Quality(t *testing.T) {
	c4 := buildQuality(t, nil)
	good := "This is a well-written paragraph with several sentences.\n" +
		"The content continues with more good information here.\n" +
		"Another important point is being made in this line.\n" +
		"We can see that this document has quality content.\n" +
		"Finally, the conclusion wraps everything up nicely.\n" +
		"An additional sentence to ensure we pass the threshold."
	if d, r := modify(t, c4, good); r != "" || d.Text != good {
		t.Errorf("quality text: reason %q, text changed %v", r, d.Text != good)
	}
	for _, c := range []struct{ text, want string }{
		{"This is a sentence with lorem ipsum dolor sit amet.\n" +
			"Another sentence with proper punctuation.\n" +
			"More content to fill out the document.\n" +
			"Even more content is needed to pass the check.\n" +
			"The final sentence of the document.", ReasonLoremIpsum},
		{"This is some code with a { bracket.\n" +
			"Another sentence follows this one.\n" +
			"More content to fill out the document.\n" +
			"Even more content is needed to pass.\n" +
			"The final sentence of the document.", ReasonCurlyBracket},
		{"Just one sentence.", ReasonTooFewSentences},
	} {
		if _, r := modify(t, c4, c.text); r != c.want {
			t.Errorf("%.40q: reason %q, want %q", c.text, r, c.want)
		}
	}
	policy := buildQuality(t, func(p *QualityParams) { p.MinNumSentences, p.MinWordsPerLine = -1, -1 })
	d, r := modify(t, policy, "This site uses cookies for tracking.\nAnother valid line here today.")
	if r != "" || strings.Contains(d.Text, "cookies") {
		t.Errorf("policy: reason %q, text %q", r, d.Text)
	}
	if d.Text != "Another valid line here today." {
		t.Errorf("policy: text %q", d.Text)
	}
}

// TestC4LineRules checks each line rule on hand-derived cases, with the
// sentence minimum off so that the kept text shows which lines stay.
func TestC4LineRules(t *testing.T) {
	c4 := buildQuality(t, func(p *QualityParams) { p.MinNumSentences = -1; p.MaxWordLength = 10 })
	for _, c := range []struct{ in, want string }{
		{"Three words here.\nno terminal punct here\nends with ellipsis here...", "Three words here."},
		{"  Quoted line ends \"here\"  \n'Single quoted words here'\nOne two.", "Quoted line ends \"here\"\n'Single quoted words here'"},
		{"This has averyveryverylongword in it.\nThis is short enough.", "This is short enough."},
		{"Enable JavaScript in your browser.\nThis is a fine line.", "This is a fine line."},
		{"Read our Privacy Policy today.\nThis site Uses Cookies now.\nKeep this one please.", "Keep this one please."},
		{"A cited claim here.[1] More text [citation needed].\nA line [edit] here [12].", "A cited claim here. More text .\nA line  here ."},
		{"Ends with a citation [1]\nCitation before dot [2].", "Citation before dot ."},
		{"Two words.\n", ""},
		{"", ""},
	} {
		d, r := modify(t, c4, c.in)
		if r != "" || d.Text != c.want {
			t.Errorf("%q: reason %q, text %q, want %q", c.in, r, d.Text, c.want)
		}
	}
	// Document rules fire only on lines that survive the earlier rules.
	if _, r := modify(t, c4, "lorem ipsum without a stop\n{ no stop either"); r != "" {
		t.Errorf("dropped lines removed the document: %q", r)
	}
	if _, r := modify(t, c4, "Some Lorem Ipsum text here."); r != ReasonLoremIpsum {
		t.Errorf("lorem ipsum: %q", r)
	}
	// -1 disables the word rules.
	off := buildQuality(t, func(p *QualityParams) { p.MinNumSentences, p.MinWordsPerLine, p.MaxWordLength = -1, -1, -1 })
	if d, _ := modify(t, off, "Hi.\n"+strings.Repeat("x", 2000)+"."); !strings.HasPrefix(d.Text, "Hi.\nxxx") {
		t.Errorf("disabled word rules: %.20q", d.Text)
	}
}

func TestC4Sentences(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"One sentence.", 1},
		{"One. Two! Three? Four", 4},
		{"Hello world... and more.", 1}, // "..." is one token, not in the punct chars
		{"Wait?! Yes.", 2},
		{"Mr. Smith went home. He slept.", 2},
		{"A sentence.\" Then another.", 2},
		{"No end punctuation", 1},
		{"，。这是一个测试。这是一个测试。", 2}, // no infix splits the middle "。"
	} {
		if got := countSentences(c.in); got != c.want {
			t.Errorf("%q: %d sentences %q, want %d", c.in, got, sentences(c.in), c.want)
		}
	}
	// split_paragraph false: the rules run per sentence; the text is joined with spaces.
	c4 := buildQuality(t, func(p *QualityParams) { p.SplitParagraph = false; p.MinNumSentences = 2 })
	d, r := modify(t, c4, "First good sentence here. Too short. Second good sentence\nhere!")
	if r != "" || d.Text != "First good sentence here. Second good sentence\nhere!" {
		t.Errorf("sentences: reason %q, text %q", r, d.Text)
	}
}

// TestDatatroveC4Paragraph reproduces datatrove's TestC4ParagraphFilter
// (same file and commit): three 250-character lines are kept; three short
// lines are removed with a reason naming paragraphs.
func TestDatatroveC4Paragraph(t *testing.T) {
	s, err := filters.BuildStep[ParagraphParams]("c4_paragraph", nil, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	f := s.(filters.Decider)
	para := strings.Repeat("x", 250)
	two := func(p *ParagraphParams) { p.MinParagraphs = 2 }
	s2, err := filters.BuildStep[ParagraphParams]("c4_paragraph", two, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		step filters.Decider
		text string
		want string
	}{
		{f, para + "\n" + para + "\n" + para, ""},
		{f, "short\nshort\nshort", "< 3 paragraphs"},
		// Not in datatrove's tests: the third longest line decides, in
		// code points; fewer lines than min_paragraphs; the three longest
		// of two lines are both.
		{f, "short\n" + para + "\n" + strings.Repeat("é", 200) + "\n" + para, ""},
		{f, "short\n" + para + "\n" + strings.Repeat("é", 199) + "\n" + para, "< 3 paragraphs"},
		{f, para + "\n" + para, "< 3 paragraphs"},
		{f, "", "< 3 paragraphs"},
		{s2.(filters.Decider), para + "\n" + para, ""},
		{s2.(filters.Decider), para + "\nshort", "< 2 paragraphs"},
	} {
		d := &filters.Doc{ID: "case", Text: c.text}
		got, err := c.step.Filter(d)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%.40q: reason %q, want %q", c.text, got, c.want)
		}
		if err := filters.CheckDecision(c.step, d); err != nil {
			t.Error(err)
		}
		if err := filters.CheckGauges(c.step, d); err != nil {
			t.Error(err)
		}
		if err := filters.CheckDecisionWith(f, s2, d); err != nil {
			t.Error(err)
		}
	}
}
