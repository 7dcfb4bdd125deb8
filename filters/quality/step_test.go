package quality_test

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/quality"
)

const smsModel = "../../testdata/quality/models/sms_bigram_softmax.bin"

func qualityStep(t *testing.T, set func(p *quality.StepParams)) filters.Filter {
	t.Helper()
	s, err := filters.BuildStep("fasttext_quality", func(p *quality.StepParams) {
		p.Model = smsModel
		p.PositiveLabel = "__label__ham"
		if set != nil {
			set(p)
		}
	}, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Filter)
}

// TestQualityStepMatchesFastText scores every line of the fixture inputs and
// compares with what fastText 0.9.2 printed for them (predict-prob, k=1):
// the score is p for __label__ham and 1 - p for __label__spam.
func TestQualityStepMatchesFastText(t *testing.T) {
	step := qualityStep(t, func(p *quality.StepParams) { p.JoinLines = false })
	inputs, err := os.ReadFile("../../testdata/quality/models/data/inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	pred, err := os.ReadFile("../../testdata/quality/models/pred/sms_bigram_softmax.1.pred.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(inputs), "\n"), "\n")
	sc := bufio.NewScanner(bytes.NewReader(pred))
	for i, line := range lines {
		if !sc.Scan() {
			t.Fatalf("fewer predictions than the %d input lines", len(lines))
		}
		f := strings.Fields(sc.Text())
		p, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		want := p
		if f[0] != "__label__ham" {
			want = 1 - p
		}
		d := &filters.Doc{Text: line}
		if _, err := step.Filter(d); err != nil {
			t.Fatal(err)
		}
		got := d.Signals["fasttext_quality_prob"].(float64)
		if math.Abs(got-want) > 1e-5 {
			t.Errorf("line %d %.40q: score %g, fastText says %s %s", i+1, line, got, f[0], f[1])
		}
	}
}

// TestQualityStepDCLMText checks DCLM's text: " ".join(text.strip().splitlines()).
func TestQualityStepDCLMText(t *testing.T) {
	joined := qualityStep(t, nil)
	oneLine := qualityStep(t, func(p *quality.StepParams) { p.JoinLines = false })
	score := func(s filters.Filter, text string) float64 {
		d := &filters.Doc{Text: text}
		if _, err := s.Filter(d); err != nil {
			t.Fatal(err)
		}
		return d.Signals["fasttext_quality_prob"].(float64)
	}
	doc := "  \nFREE entry!! Win cash now\r\ntext WIN to 80086\u2028claim your prize\x1c today\n\n"
	dclm := "FREE entry!! Win cash now text WIN to 80086 claim your prize today"
	if a, b := score(joined, doc), score(oneLine, dclm); a != b {
		t.Errorf("joined score %g, score of DCLM's text %g", a, b)
	}
	if a, b := score(joined, doc), score(oneLine, doc); a == b {
		t.Errorf("joining lines changed nothing (%g)", a)
	}
	if s := score(joined, dclm); s > 0.5 {
		t.Errorf("spam scored %g as ham", s)
	}
}

func TestQualityStepThreshold(t *testing.T) {
	step := qualityStep(t, func(p *quality.StepParams) { p.Threshold = 0.5; p.Key = "hq" })
	for text, keep := range map[string]bool{
		"Sorry, I'll call you later when I get home":          true,
		"URGENT! You have won a 1 week FREE membership prize": false,
	} {
		d := &filters.Doc{Text: text}
		reason, err := step.Filter(d)
		if err != nil {
			t.Fatal(err)
		}
		if (reason == "") != keep || (!keep && reason != "low_quality") {
			t.Errorf("%q: reason %q, score %v", text, reason, d.Signals["hq"])
		}
	}
	// The default threshold 0 only annotates.
	d := &filters.Doc{Text: "URGENT! You have won a 1 week FREE membership prize"}
	if reason, _ := qualityStep(t, nil).Filter(d); reason != "" {
		t.Errorf("threshold 0 removed a document: %s", reason)
	}
}

func TestQualityStepRecipe(t *testing.T) {
	dir := t.TempDir()
	abs, err := filepath.Abs(smsModel)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abs, filepath.Join(dir, "m.bin")); err != nil {
		t.Fatal(err)
	}
	recipe := func(with string) error {
		_, err := filters.ParseRecipe(filepath.Join(dir, "r.yaml"), []byte("name: r\nsteps:\n  - use: fasttext_quality\n    with: "+with+"\n"))
		return err
	}
	if err := recipe(`{model: m.bin, positive_label: __label__ham, threshold: 0.018112}`); err != nil {
		t.Errorf("a model beside the recipe: %v", err)
	}
	for with, want := range map[string]string{
		`{positive_label: __label__ham}`:                                                   "model: a fastText model file is required",
		`{model: m.bin, positive_label: __label__hq}`:                                      `positive_label "__label__hq" is not a label`,
		`{model: missing.bin, positive_label: __label__ham}`:                               "missing.bin",
		`{model: m.bin, positive_label: __label__ham, threshold: 0.018112, keep_top: 0.1}`: "give one of them",
		`{model: m.bin, positive_label: __label__ham, keep_top: 1.5}`:                      "keep_top 1.5",
		`{model: m.bin, positive_label: __label__ham, keep_top: -0.1}`:                     "keep_top -0.1",
	} {
		if err := recipe(with); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", with, err, want)
		}
	}
}

// TestQualityStepKeepTop: with keep_top the step is a Ranker whose score is
// the one the threshold filter would compare.
func TestQualityStepKeepTop(t *testing.T) {
	s, err := filters.BuildStep("fasttext_quality", func(p *quality.StepParams) {
		p.Model, p.PositiveLabel, p.Key, p.KeepTop = smsModel, "__label__ham", "hq", 0.1
	}, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	rk, ok := s.(filters.Ranker)
	if !ok || rk.KeepTop() != 0.1 {
		t.Fatalf("keep_top built %T", s)
	}
	plain := qualityStep(t, func(p *quality.StepParams) { p.Key = "hq" })
	for _, text := range []string{"Sorry, I'll call you later when I get home", "URGENT! You have won a 1 week FREE membership prize", ""} {
		a, b := &filters.Doc{Text: text}, &filters.Doc{Text: text}
		score, reason, err := rk.Score(a)
		if err != nil || reason != "" {
			t.Fatal(reason, err)
		}
		_, _ = plain.Filter(b)
		if score != b.Signals["hq"] || a.Signals["hq"] != b.Signals["hq"] || math.IsNaN(score) {
			t.Errorf("%q: ranker score %v, filter score %v", text, score, b.Signals["hq"])
		}
	}
}
