package gopher

import (
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

var fuzzSeeds = append([]string{textLF1, "Don't (Mr. Smith)... 10km $5 http://x.org/a, U.S.A.",
	strings.Repeat("I am your father.\n\n", 3), "• a\n- b\n... c…", "#####", "ab c a bc ab c a bc ab c"}, edgeDocs...)

func FuzzEnglishWords(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTokens(t, s) })
}

func fuzzStep(f *testing.F, name string) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	e, _ := filters.Lookup(name)
	step, err := e.Build(e.Defaults(), filters.Env{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := &filters.Doc{ID: "fuzz", Text: s}
		if err := filters.CheckDecision(step, d); err != nil {
			t.Fatal(err)
		}
		if err := filters.CheckGauges(step, d); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzGopherQuality(f *testing.F)    { fuzzStep(f, "gopher_quality") }
func FuzzGopherRepetition(f *testing.F) { fuzzStep(f, "gopher_repetition") }
