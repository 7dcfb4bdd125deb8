package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// Sample sizes of the committed test data.
const (
	sentencesPerLanguage  = 10
	paragraphsPerLanguage = 3
	minParagraphRunes     = 40
)

// udhrSampleLanguages are the languages whose UDHR paragraphs go into the
// sample: the large ones, several scripts, and the close pairs (Bosnian,
// Croatian, Serbian; the two Norwegians; Malay and Indonesian).
var udhrSampleLanguages = []string{"en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "uk", "bg", "zh",
	"ja", "ar", "fa", "ur", "hi", "tr", "bs", "hr", "sr", "nn", "nb", "ms", "id"}

// SampleRecord is one line of the test sample (testdata/langid/accuracy_sample.jsonl.gz).
type SampleRecord struct {
	Set  string `json:"set"`
	ID   string `json:"id"`
	Lang string `json:"lang"` // labelled language, ISO 639-1
	// Lingua is lingua-go high accuracy's DetectLanguageOf ("" for Unknown),
	// LinguaTop the top of ComputeLanguageConfidenceValues ("" when its
	// value is 0), Conf that value.
	Lingua    string  `json:"lingua"`
	LinguaTop string  `json:"lingua_top"`
	Conf      float64 `json:"conf"`
	Text      string  `json:"text"`
}

func code(l lingua.Language) string {
	if l == lingua.Unknown {
		return ""
	}
	return iso1(l)
}

// pick returns up to k items of each language, chosen by a seeded shuffle,
// among those accepted by keep, in the order of items.
func pick(items []item, k int, keep func(item) bool, seed uint64) []item {
	r := rand.New(rand.NewPCG(seed, 0x6c616e67))
	perm := r.Perm(len(items))
	chosen := make([]bool, len(items))
	n := map[lingua.Language]int{}
	for _, i := range perm {
		if n[items[i].Truth] < k && keep(items[i]) {
			n[items[i].Truth]++
			chosen[i] = true
		}
	}
	var out []item
	for i, c := range chosen {
		if c {
			out = append(out, items[i])
		}
	}
	return out
}

// writeSample selects the test sample, runs lingua-go on it and writes it.
func writeSample(ctx context.Context, c config, src *linguaSource) (err error) {
	if c.sentences == "" || c.udhr == "" {
		return errors.New("-sample-out needs -sentences and -udhr")
	}
	sents, err := loadSentences(c.sentences)
	if err != nil {
		return err
	}
	paras, err := loadUDHR(c.udhr)
	if err != nil {
		return err
	}
	wanted := map[lingua.Language]bool{}
	for _, s := range udhrSampleLanguages {
		wanted[lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(s))] = true
	}
	type part struct {
		set   string
		items []item
	}
	parts := []part{
		{"sentences", pick(sents, sentencesPerLanguage, func(item) bool { return true }, 1)},
		{"udhr", pick(paras, paragraphsPerLanguage, func(it item) bool {
			return wanted[it.Truth] && utf8.RuneCountInString(it.Text) >= minParagraphRunes
		}, 2)},
	}
	fh, err := os.Create(c.sample)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, fh.Close()) }()
	bw := bufio.NewWriter(fh)
	zw, err := gzip.NewWriterLevel(bw, gzip.BestCompression)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for _, p := range parts {
		t, err := runLingua(ctx, "sample "+p.set, p.items, src, c.workers, "")
		if err != nil {
			return err
		}
		for i, it := range p.items {
			l := t.Labels[i]
			rec := SampleRecord{Set: p.set, ID: it.ID, Lang: code(it.Truth), Lingua: code(l.Decision),
				LinguaTop: code(l.Top), Conf: l.Conf, Text: it.Text}
			if err := enc.Encode(rec); err != nil {
				return fmt.Errorf("%s: %w", c.sample, err)
			}
		}
		slog.Info("sample written", "set", p.set, "texts", len(p.items))
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}
