package ngram

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pemistahl/lingua-go"
)

// labelled reads the labelled sentence sample.
func labelled(t testing.TB) map[string][]string {
	t.Helper()
	f, err := os.Open("../../../testdata/langid/ngram_sentences_1k.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	dec := json.NewDecoder(gz)
	for dec.More() {
		var s struct{ Lang, Text string }
		if err := dec.Decode(&s); err != nil {
			t.Fatal(err)
		}
		out[s.Lang] = append(out[s.Lang], s.Text)
	}
	return out
}

// TestAgreementLongTexts compares on long texts whose best sums sweep lingua's
// numeric regimes (float exp, subnormal exp, Taylor series, all values 0),
// built from sentences of close languages and of many languages, with
// several candidate sets.
func TestAgreementLongTexts(t *testing.T) {
	by := labelled(t)
	groups := [][]string{{"bs", "hr", "sl"}, {"nb", "nn", "da"}, {"id", "ms"}, {"es", "pt", "ca"},
		{"ru", "uk", "be", "bg", "mk"}, {"hi", "mr"}}
	var latin []string
	for _, l := range []string{"af", "bs", "ca", "cs", "cy", "da", "de", "en", "eo", "es", "et", "eu", "fi",
		"fr", "ga", "hr", "hu", "id", "is", "it", "la", "lt", "lv", "ms", "nb", "nl", "nn", "pl", "pt",
		"ro", "sk", "sl", "sq", "sv", "sw", "tl", "tr", "vi", "yo", "zu"} {
		latin = append(latin, by[l]...)
	}
	var texts []string
	for _, g := range groups {
		var parts []string
		for _, l := range g {
			parts = append(parts, by[l]...)
		}
		texts = append(texts, strings.Join(parts, " "))
	}
	all := strings.Join(latin, " ")
	for _, n := range []int{2000, 8000, 20000, 40000, 60000, 90000, 130000, 200000} {
		if n <= len(all) {
			texts = append(texts, strings.ToValidUTF8(all[:n], ""))
		}
	}
	sets := [][]lingua.Language{nil,
		{lingua.Bosnian, lingua.Croatian, lingua.Slovene, lingua.Serbian},
		{lingua.Bokmal, lingua.Nynorsk, lingua.Danish, lingua.Swedish}}
	for _, langs := range sets {
		for _, low := range []bool{true, false} {
			d, err := NewDetector(testModels(t), Options{Languages: langs, LowAccuracy: low})
			if err != nil {
				t.Fatal(err)
			}
			ld := linguaFor(langs, low)
			var a agreement
			for _, text := range texts {
				a.check(t, d, ld, text)
			}
			a.report(t, "long texts "+langKey(langs))
		}
	}
}
