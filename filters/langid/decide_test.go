package langid

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// decideDocs returns real documents in several languages: the web sample,
// sentences of many languages and DCLM golden pages (the edge cases too).
func decideDocs(t *testing.T) []*filters.Doc {
	var docs []*filters.Doc
	for _, x := range readSamples(t, "web_docs_sample.jsonl") {
		docs = append(docs, &filters.Doc{ID: x.ID, Text: x.Text})
	}
	for i, x := range readSamples(t, "lingua_sentences_sample.jsonl") {
		if i%4 == 0 {
			docs = append(docs, &filters.Doc{ID: x.Lang, Text: x.Text})
		}
	}
	f, err := os.Open("../../testdata/dclm_golden/edge_cases_golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var d struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &filters.Doc{ID: d.ID, Text: d.Text})
	}
	return append(docs, &filters.Doc{ID: "empty"}, &filters.Doc{ID: "punct", Text: "!!! ..."}, &filters.Doc{ID: "nl", Text: "\n\n"})
}

// TestDeciderMatchesFilter checks the lang step's Decider: Filter is
// Decide(Measure), and Decide with other keep languages, thresholds and
// key is the Filter of a step built with them, in page and paragraph mode.
func TestDeciderMatchesFilter(t *testing.T) {
	docs := decideDocs(t)
	if raceEnabled || testing.Short() {
		var sample []*filters.Doc
		for i := 0; i < len(docs); i += 5 {
			sample = append(sample, docs[i])
		}
		docs = sample
	}
	configs := []Params{
		{Languages: focus, Keep: []string{"en"}, Threshold: 0.65, Key: DefaultKey, Calibrated: true, Mode: ModePage},
		{Keep: []string{"en"}, Threshold: 0.65, Key: DefaultKey, Mode: ModePage},
		{Languages: focus, Keep: []string{"en"}, Threshold: 0.5, Key: "lid", Calibrated: true, Mode: ModeParagraph, MinLength: 20},
		{Languages: focus, Keep: []string{"de", "fr"}, Key: "lid", Calibrated: true, MinLength: 200, MaxChars: 300},
		{Languages: focus, Key: "lid", Calibrated: true},
	}
	changed, removed, gauged := 0, 0, 0
	for ci, p := range configs {
		base := buildLang(t, p)
		var variants []*step
		for _, keep := range [][]string{nil, {"de"}, {"en", "fr"}, {"ru", "es", "it"}} {
			q := p
			q.Keep, q.Key = keep, "other"
			variants = append(variants, buildLang(t, q))
		}
		e, _ := filters.Lookup("lang")
		for _, q := range filters.VaryDecision(p) {
			if q.(Params).Validate() != nil {
				continue
			}
			v, err := e.Build(q, filters.Env{})
			if err != nil {
				t.Fatal(err)
			}
			variants = append(variants, v.(*step))
		}
		for _, d := range docs {
			if err := filters.CheckDecision(base, d); err != nil {
				t.Errorf("config %d: %v", ci, err)
			}
			// md: d with its identification memoized, for the gauge checks.
			md := d.Clone()
			_, _ = base.Filter(md)
			if err := filters.CheckGauges(base, md); err != nil {
				t.Errorf("config %d: %v", ci, err)
			}
			gauged += checkGaugeReason(t, base, md)
			reason, _ := base.Filter(d.Clone())
			if reason != "" {
				removed++
			}
			for _, v := range variants {
				if err := filters.CheckDecisionWith(base, v, d); err != nil {
					t.Errorf("config %d, keep %v threshold %v: %v", ci, v.p.Keep, v.p.Threshold, err)
				}
				if err := filters.CheckGauges(v, md); err != nil {
					t.Errorf("config %d, keep %v threshold %v: %v", ci, v.p.Keep, v.p.Threshold, err)
				}
				gauged += checkGaugeReason(t, v, md)
				if r, _ := v.Filter(d.Clone()); r != reason {
					changed++
				}
			}
		}
	}
	if removed == 0 || changed == 0 || gauged == 0 {
		t.Errorf("%d removals, %d changed decisions, %d removals below the gauge's threshold: a weak test", removed, changed, gauged)
	}
	t.Logf("%d documents x %d configurations: %d removals, %d decisions changed by the variants, %d removals below the gauge's threshold",
		len(docs), len(configs), removed, changed, gauged)
}

// TestMeasurementsAreSmall keeps the page-mode measurements to the
// languages with a probability.
func TestMeasurementsAreSmall(t *testing.T) {
	s := buildLang(t, Params{Languages: focus, Key: DefaultKey, Calibrated: true, Mode: ModePage})
	m, err := s.Measure(&filters.Doc{Text: "This is an English sentence about the weather in London today."})
	if err != nil {
		t.Fatal(err)
	}
	p := m["p"].(map[string]float64)
	if m["top"] != "en" || p["en"] == 0 || len(p) > len(focus) || slices.Contains([]float64{0}, p["en"]) {
		t.Errorf("measurements %v", m)
	}
	b, _ := json.Marshal(m)
	t.Logf("%d bytes: %s", len(b), b)
}
