package langid

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters/langid/ngram"
)

// accuracySample is written by `go run ./scripts/langid-accuracy -sample-out`
// (see that command's doc): lingua's labelled sentences and UDHR paragraphs
// with the answers lingua-go v1.4.0's high-accuracy mode gave each.
const accuracySample = "../../testdata/langid/accuracy_sample.jsonl.gz"

type accuracyRecord struct {
	Set       string  `json:"set"`
	ID        string  `json:"id"`
	Lang      string  `json:"lang"`
	Lingua    string  `json:"lingua"`
	LinguaTop string  `json:"lingua_top"`
	Conf      float64 `json:"conf"`
	Text      string  `json:"text"`
}

func readAccuracySample(t *testing.T) []accuracyRecord {
	t.Helper()
	fh, err := os.Open(accuracySample)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	var out []accuracyRecord
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r accuracyRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s record %d: %v", accuracySample, len(out)+1, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// answerCode is curator's answer as the sample records lingua's: the ISO
// 639-1 code, "" for Unknown.
func answerCode(l lingua.Language) string {
	if l == lingua.Unknown {
		return ""
	}
	return isoCode(l)
}

// TestAccuracySampleMatchesLinguaHigh checks that curator's default detector
// (all 75 languages) gives, on every sample text, the language lingua-go's
// high-accuracy mode gave: the same top language (Top), the same
// DetectLanguageOf decision (Unknown on a tie) and the same confidence.
func TestAccuracySampleMatchesLinguaHigh(t *testing.T) {
	recs := readAccuracySample(t)
	langs := map[string]map[string]bool{}
	for _, r := range recs {
		if langs[r.Set] == nil {
			langs[r.Set] = map[string]bool{}
		}
		langs[r.Set][r.Lang] = true
	}
	if len(recs) < 800 || len(langs["sentences"]) != 75 || len(langs["udhr"]) < 20 {
		t.Fatalf("sample too small: %d texts, %d sentence languages, %d UDHR languages",
			len(recs), len(langs["sentences"]), len(langs["udhr"]))
	}
	m, err := loadModels()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ngram.NewDetector(m, ngram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type tally struct{ n, lingua, curator int }
	acc := map[string]*tally{}
	bad := 0
	for _, r := range recs {
		top, conf := d.Top(r.Text)
		vals := d.Detect(r.Text)
		decision := vals[0].Language
		if vals[0].Value == vals[1].Value {
			decision = lingua.Unknown
		}
		if answerCode(top) != r.LinguaTop || answerCode(decision) != r.Lingua || math.Abs(conf-r.Conf) > 1e-9 {
			bad++
			if bad <= 20 {
				t.Errorf("%s %s (label %s): curator top %q (%.6f) decision %q, lingua-go high top %q (%.6f) decision %q: %.80q",
					r.Set, r.ID, r.Lang, answerCode(top), conf, answerCode(decision), r.LinguaTop, r.Conf, r.Lingua, r.Text)
			}
		}
		a := acc[r.Set]
		if a == nil {
			a = &tally{}
			acc[r.Set] = a
		}
		a.n++
		if r.Lingua == r.Lang {
			a.lingua++
		}
		if answerCode(top) == r.Lang {
			a.curator++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d sample texts differ from lingua-go high accuracy", bad, len(recs))
	}
	for set, a := range acc {
		t.Logf("%s: %d texts, accuracy lingua-go high %.2f%%, curator default %.2f%%",
			set, a.n, 100*float64(a.lingua)/float64(a.n), 100*float64(a.curator)/float64(a.n))
	}
}
