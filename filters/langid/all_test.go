// These tests load lingua's models for all 75 languages (about 1.5 s, 12 s
// under the race detector).

package langid

import (
	"testing"

	"github.com/curator-dev/curator/filters"
)

// TestAllLanguages runs the default (all 75 languages, low accuracy) on four
// sentences per language.
func TestAllLanguages(t *testing.T) {
	s := buildLang(t, Params{Key: DefaultKey})
	right, total := 0, 0
	langs := map[string]bool{}
	for _, x := range readSamples(t, "lingua_sentences_sample.jsonl") {
		d := &filters.Doc{Text: x.Text}
		if _, err := s.Filter(d); err != nil {
			t.Fatal(err)
		}
		sig, _ := d.Signal(DefaultKey)
		if _, ok := sig.(map[string]float64)[x.Lang]; ok {
			right++
		}
		langs[x.Lang] = true
		total++
	}
	if len(langs) != 75 {
		t.Fatalf("sample has %d languages, want 75", len(langs))
	}
	acc := float64(right) / float64(total)
	t.Logf("accuracy %.3f (%d/%d) over 75 languages", acc, right, total)
	if acc < 0.85 {
		t.Errorf("accuracy %.3f over 75 languages, want >= 0.85", acc)
	}
}

// TestEnglishWebDocsAllLanguages is TestEnglishWebDocs with the step's
// defaults (all 75 languages), as dclm-baseline.yaml runs it.
func TestEnglishWebDocsAllLanguages(t *testing.T) {
	englishWebDocs(t, buildLang(t, Params{Keep: []string{"en"}, Threshold: 0.65, Key: DefaultKey}), 20)
}
