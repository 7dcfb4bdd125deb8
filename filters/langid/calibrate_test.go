package langid

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"hash/fnv"
	"math"
	"os"
	"testing"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/langid/ngram"
)

// labelled reads a gzipped JSONL sample of testdata/langid with its true
// language (field lang: ISO 639-1, or iso6393).
func labelled(t *testing.T, name string) (texts []string, truth []lingua.Language) {
	t.Helper()
	f, err := os.Open("../../testdata/langid/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ Lang, Iso6393, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(r.Lang))
		if r.Iso6393 != "" {
			l = LanguageOf639_3(r.Iso6393)
		}
		if l == lingua.Unknown {
			continue // a UDHR translation in a script lingua does not know for the language (azj, zlm)
		}
		texts, truth = append(texts, r.Text), append(truth, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return texts, truth
}

// ece is the expected calibration error of (probability, correct) pairs
// over ten equal-width bins.
func ece(p []float64, ok []bool) float64 {
	var n, right [10]float64
	var conf [10]float64
	for i := range p {
		b := min(int(p[i]*10), 9)
		n[b]++
		conf[b] += p[i]
		if ok[i] {
			right[b]++
		}
	}
	e := 0.0
	for b := range n {
		e += math.Abs(right[b]-conf[b]) / float64(len(p))
	}
	return e
}

// TestCalibration checks, on labelled sentences and UDHR paragraphs in all
// 75 languages (the texts scripts/langid-calibrate held out of its fit),
// that LinguaCalibration reproduces lingua's confidences and that
// DefaultCalibration is better calibrated than they are.
func TestCalibration(t *testing.T) {
	det, err := detectorFor(allLanguages(t), true)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var truth []lingua.Language
	for _, name := range []string{"ngram_sentences_1k.jsonl.gz", "ngram_udhr_paragraphs.jsonl.gz"} {
		x, y := labelled(t, name)
		for i := range x {
			h := fnv.New64a()
			h.Write([]byte(x[i]))
			if h.Sum64()%2 == 1 {
				texts, truth = append(texts, x[i]), append(truth, y[i])
			}
		}
	}
	if len(texts) < 500 {
		t.Fatalf("%d held-out texts", len(texts))
	}
	var ev ngram.Evidence
	var pRaw, pCal []float64
	var ok []bool
	for i, text := range texts {
		det.EvidenceInto(&ev, text)
		wantL, wantV := det.Top(text)
		l, v := LinguaCalibration.Top(&ev)
		if l != wantL || math.Abs(v-wantV) > 1e-9 {
			t.Errorf("%q: lingua calibration %v %v, lingua %v %v", text, l, v, wantL, wantV)
		}
		cl, cv := DefaultCalibration.Top(&ev)
		if cl != l {
			t.Errorf("%q: calibration changed the top language %v -> %v", text, l, cl)
		}
		if all := DefaultCalibration.Apply(&ev, nil); len(all) > 0 && (all[0].Language != cl || math.Abs(all[0].Value-cv) > 1e-12) {
			t.Errorf("%q: Apply %v, Top %v %v", text, all[0], cl, cv)
		}
		pRaw, pCal, ok = append(pRaw, v), append(pCal, cv), append(ok, l == truth[i])
	}
	raw, cal := ece(pRaw, ok), ece(pCal, ok)
	t.Logf("%d held-out texts: expected calibration error lingua %.4f, calibrated %.4f", len(texts), raw, cal)
	if cal >= raw || cal > 0.03 {
		t.Errorf("calibration error %.4f (lingua's %.4f): want below lingua's and 0.03", cal, raw)
	}
}

func allLanguages(t *testing.T) []lingua.Language {
	langs, err := parseLanguages(nil)
	if err != nil {
		t.Fatal(err)
	}
	return langs
}

func TestLanguageOf639_3(t *testing.T) {
	for code, want := range map[string]lingua.Language{"als": lingua.Albanian, "sqi": lingua.Albanian, "cmn": lingua.Chinese,
		"pes": lingua.Persian, "zsm": lingua.Malay, "eng": lingua.English, "azj": lingua.Unknown, "xxx": lingua.Unknown} {
		if got := LanguageOf639_3(code); got != want {
			t.Errorf("%s: %v, want %v", code, got, want)
		}
	}
	for _, m := range individual {
		if LanguageOf639_3(m) == lingua.Unknown {
			t.Errorf("%s is not a lingua language", m)
		}
	}
}

// TestCalibratedWebPages: real English web pages (DCLM's golden inputs, up
// to tens of thousands of characters) keep a high calibrated probability,
// so DCLM's en > 0.65 keeps them as it did with fastText. (A calibration on
// the letter count once gave long pages 0.3-0.6.)
func TestCalibratedWebPages(t *testing.T) {
	r := recipe(t, "name: t\nsteps:\n  - use: lang\n    with: {keep: [en], threshold: 0.65}\n")
	kept, n, long := 0, 0, 0
	for _, x := range readSamples(t, "web_docs_sample.jsonl") {
		d := &filters.Doc{Text: x.Text}
		if o := r.Run(d); o.Kept {
			kept++
		} else if len(x.Text) > 20000 {
			t.Logf("long page removed (%s): %.80q", o.Reason, x.Text)
		}
		if len(x.Text) > 20000 {
			long++
		}
		n++
	}
	t.Logf("%d of %d English web pages kept (%d of over 20,000 bytes)", kept, n, long)
	if kept < n*95/100 || long == 0 {
		t.Errorf("%d of %d English web pages kept at en > 0.65, want 95%%", kept, n)
	}
}
