package c4

import (
	"strings"
	"testing"

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
