package langid

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
)

// sentencesOf returns the sample sentences of one language.
func sentencesOf(t *testing.T, lang string, n int) []string {
	t.Helper()
	var out []string
	for _, x := range readSamples(t, "lingua_sentences_sample.jsonl") {
		if x.Lang == lang && len(out) < n {
			out = append(out, x.Text)
		}
	}
	if len(out) < n {
		t.Fatalf("%d %s sentences in the sample, want %d", len(out), lang, n)
	}
	return out
}

// TestParagraphMode: a page of German and English paragraphs (lingua's
// labelled sentences) gets each language's share of its characters, and
// keep decides on the keep languages' share.
func TestParagraphMode(t *testing.T) {
	de, en := sentencesOf(t, "de", 6), sentencesOf(t, "en", 2)
	paras := append(append([]string{}, de...), en...)
	text := strings.Join(paras, "\n") + "\n\n   \n"
	total := 0
	for _, p := range paras {
		total += utf8.RuneCountInString(p)
	}
	deChars := 0
	for _, p := range de {
		deChars += utf8.RuneCountInString(p)
	}
	langs := []string{"de", "en", "fr", "nl"}
	p := Params{Languages: langs, Key: "lid", Mode: ModeParagraph, Calibrated: true, HighAccuracy: true}
	s := buildLang(t, p)
	d := &filters.Doc{Text: text}
	if r, err := s.Filter(d); r != "" || err != nil {
		t.Fatalf("annotate-only: %q %v", r, err)
	}
	sig, _ := d.Signal("lid")
	m := sig.(map[string]float64)
	if got, want := m["de"], float64(deChars)/float64(total); math.Abs(got-want) > 1e-9 || math.Abs(m["en"]-(1-want)) > 1e-9 || len(m) != 2 {
		t.Fatalf("shares %v, want de %.4f en %.4f", m, want, 1-want)
	}
	if top, _ := d.Signal("lid_top"); top != "de" {
		t.Errorf("lid_top %v", top)
	}
	if sc, _ := d.Signal("lid_score"); sc != m["de"] {
		t.Errorf("lid_score %v", sc)
	}
	for _, c := range []struct {
		keep      []string
		threshold float64
		reason    string
	}{
		{[]string{"de"}, 0.5, ""},
		{[]string{"en"}, 0.5, ReasonBelowThreshold},
		{[]string{"en", "de"}, 0.99, ""},
		{[]string{"fr"}, 0.1, ReasonLanguage},
	} {
		p := p
		p.Keep, p.Threshold = c.keep, c.threshold
		d := &filters.Doc{Text: text}
		r, err := buildLang(t, p).Filter(d)
		if err != nil || r != c.reason {
			t.Errorf("keep %v > %v: %q %v, want %q", c.keep, c.threshold, r, err, c.reason)
		}
		k, _ := d.Signal("lid_keep")
		if km := k.(map[string]float64); len(km) != len(c.keep) {
			t.Errorf("lid_keep %v for keep %v", km, c.keep)
		}
	}
}

// TestMinLength: texts shorter than min_length are not identified and,
// with keep, removed as too_short; per paragraph, short paragraphs count
// as text in no language.
func TestMinLength(t *testing.T) {
	langs := []string{"de", "en", "fr", "nl"}
	en := sentencesOf(t, "en", 1)[0]
	n := utf8.RuneCountInString(en)
	short := buildLang(t, Params{Languages: langs, Keep: []string{"en"}, Key: "lid", MinLength: n + 1, Calibrated: true})
	d := &filters.Doc{Text: en}
	if r, _ := short.Filter(d); r != ReasonTooShort {
		t.Errorf("text of %d characters, min_length %d: reason %q", n, n+1, r)
	}
	if top, _ := d.Signal("lid_top"); top != "" {
		t.Errorf("lid_top %v", top)
	}
	ok := buildLang(t, Params{Languages: langs, Keep: []string{"en"}, Key: "lid", MinLength: n, Calibrated: true})
	if r, _ := ok.Filter(&filters.Doc{Text: en}); r != "" {
		t.Errorf("text of %d characters, min_length %d: reason %q", n, n, r)
	}
	para := buildLang(t, Params{Languages: langs, Key: "lid", Mode: ModeParagraph, MinLength: 20, Calibrated: true})
	d = &filters.Doc{Text: en + "\nOK then.\n"}
	if _, err := para.Filter(d); err != nil {
		t.Fatal(err)
	}
	sig, _ := d.Signal("lid")
	want := float64(n) / float64(n+len("OK then."))
	if m := sig.(map[string]float64); len(m) != 1 || math.Abs(m["en"]-want) > 1e-9 {
		t.Errorf("shares %v, want en %.4f", m, want)
	}
}

// TestDefaults: a recipe's lang step is calibrated and follows lingua's
// high-accuracy rule unless told otherwise; the signals carry the top
// language, its probability and the keep languages' probabilities.
func TestDefaults(t *testing.T) {
	r := recipe(t, "name: t\nsteps:\n  - use: lang\n    with: {languages: [en, de, fr], keep: [en, de]}\n")
	s := r.Steps[0].Step.(*step)
	if !s.p.Calibrated || !s.p.HighAccuracy || s.p.Mode != ModePage || s.cal != DefaultCalibration {
		t.Fatalf("defaults %+v", s.p)
	}
	en := sentencesOf(t, "en", 1)[0]
	d := &filters.Doc{Text: en}
	if o := r.Run(d); !o.Kept {
		t.Fatalf("English sentence: %+v", o)
	}
	sig, _ := d.Signal(DefaultKey)
	top, _ := d.Signal(DefaultKey + "_top")
	score, _ := d.Signal(DefaultKey + "_score")
	keep, _ := d.Signal(DefaultKey + "_keep")
	p := sig.(map[string]float64)["en"]
	km := keep.(map[string]float64)
	if top != "en" || score != p || !(p > 0.5 && p < 1) || km["en"] != p || !(km["de"] >= 0 && km["de"] < 1-p+1e-9) {
		t.Errorf("signals %v %v %v %v", sig, top, score, keep)
	}
}

func recipe(t *testing.T, y string) *filters.Recipe {
	t.Helper()
	r, err := filters.ParseRecipe("t.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSharedMemo: two steps with the same detection share one memoized
// result; each still reads its own keep languages from it.
func TestSharedMemo(t *testing.T) {
	langs := []string{"de", "en", "fr", "nl"}
	a := buildLang(t, Params{Languages: langs, Key: "a", Keep: []string{"en"}, Calibrated: true})
	b := buildLang(t, Params{Languages: langs, Key: "b", Keep: []string{"nl", "de"}, Calibrated: true})
	if a.memoKey != b.memoKey {
		t.Fatalf("memo keys differ: %q %q", a.memoKey, b.memoKey)
	}
	d := &filters.Doc{Text: "Het is van de kat en de hond, die in het huis wonen."}
	if _, err := a.Filter(d); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Filter(d); err != nil {
		t.Fatal(err)
	}
	ka, _ := d.Signal("a_keep")
	kb, _ := d.Signal("b_keep")
	ma, mb := ka.(map[string]float64), kb.(map[string]float64)
	// b alone, on a document of its own, reads the same values.
	alone := &filters.Doc{Text: d.Text}
	if _, err := buildLang(t, Params{Languages: langs, Key: "c", Keep: []string{"de"}, Calibrated: true}).Filter(alone); err != nil {
		t.Fatal(err)
	}
	kc, _ := alone.Signal("c_keep")
	_, hasEN := ma["en"]
	if top, _ := d.Signal("b_top"); top != "nl" || mb["nl"] < 0.5 || mb["de"] <= 0 || mb["de"] != kc.(map[string]float64)["de"] ||
		!hasEN || ma["en"]+mb["nl"]+mb["de"] > 1+1e-9 {
		t.Errorf("keep signals %v %v (alone %v), top %v", ma, mb, kc, top)
	}
}
