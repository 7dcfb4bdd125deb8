package c4

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
)

var fuzzSeeds = append([]string{"This is one. Two here.\nThree [1] words here.\n{ Lorem ipsum.", "porn s&m 🖕", "Hi.  ! Yes."}, edgeDocs...)

func FuzzC4Quality(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, true)
	}
	on := buildQuality(f, func(p *QualityParams) { p.MinNumSentences = -1 })
	sent := buildQuality(f, func(p *QualityParams) { p.MinNumSentences, p.SplitParagraph = -1, false })
	f.Fuzz(func(t *testing.T, s string, split bool) {
		m := on
		if !split {
			m = sent
		}
		d := &filters.Doc{Text: s}
		r, err := m.Modify(d)
		if err != nil || r == ReasonTooFewSentences {
			t.Fatalf("%q: %q %v", s, r, err)
		}
		if r != "" {
			return
		}
		// Not a fixed point: words are counted before citations are cut
		// ("[١٠] 0 0!" keeps "0 0!", which has too few words), as in
		// datatrove. But every kept line passes the punctuation rules.
		sep := "\n"
		if !split {
			sep = " "
		}
		if d.Text == "" {
			return
		}
		for _, l := range strings.Split(d.Text, sep) {
			if split && (!endsWithTerminal(l) || strings.HasSuffix(l, "...") || strings.Contains(l, "{")) {
				t.Fatalf("%q: kept line %q", s, l)
			}
		}
		if !endsWithTerminal(d.Text) || strings.Contains(d.Text, "{") {
			t.Fatalf("%q: kept %q", s, d.Text)
		}
	})
}

func FuzzC4BadWords(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	bw := buildBadWords(f, nil)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := bw.Filter(&filters.Doc{Text: s})
		if err != nil {
			t.Fatal(err)
		}
		// A bad word stays bad with text around it after a space.
		if r != "" {
			if r2, _ := bw.Filter(&filters.Doc{Text: "a " + s + " b"}); r2 == "" && s != "" {
				t.Fatalf("%q removed, %q kept", s, "a "+s+" b")
			}
		}
	})
}

// FuzzC4Paragraph checks c4_paragraph on any text: its decision from
// measurements and its gauge agree with Filter.
func FuzzC4Paragraph(f *testing.F) {
	s, err := filters.BuildStep[ParagraphParams]("c4_paragraph", func(p *ParagraphParams) { p.MinParagraphLen = 3 }, filters.Env{})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"", "a\nbb\nccc", "é\n\n\nxyz\nxyz\nx", "\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// mC4's computation, written out: heapq.nlargest(3, lengths).
		var lengths []int
		for _, l := range strings.Split(text, "\n") {
			lengths = append(lengths, utf8.RuneCountInString(l))
		}
		slices.Sort(lengths)
		slices.Reverse(lengths)
		if lines, top3 := measureParagraphs(text); lines != len(lengths) || top3 != lengths[min(3, len(lengths))-1] {
			t.Fatalf("%q: %d lines, top3 %d; want %d, %v", text, lines, top3, len(lengths), lengths)
		}
		d := &filters.Doc{ID: "fuzz", Text: text}
		if err := filters.CheckDecision(s, d); err != nil {
			t.Fatal(err)
		}
		if err := filters.CheckGauges(s, d); err != nil {
			t.Fatal(err)
		}
	})
}
