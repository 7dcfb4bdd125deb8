package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters/langid"
	"github.com/curator-dev/curator/filters/langid/ngram"
)

// langidFlags are the flags of `curator langid`.
type langidFlags struct {
	fast, accurate, reference bool
	raw                       bool
	languages                 string
	field                     string
}

// identify names the most likely language of a text and its confidence.
type identify func(text string) (lingua.Language, float64)

// cmdLangid runs "curator langid": one JSON object per input line with the
// language of its text.
func cmdLangid(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("curator langid", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f langidFlags
	fs.BoolVar(&f.fast, "fast", false, "trigram models only (lingua's low-accuracy mode): less memory, the same answer on texts of 120 letters or more")
	fs.BoolVar(&f.accurate, "accurate", false, "lingua's high-accuracy rule (the default): 1- to 5-gram models on texts under 120 letters")
	fs.BoolVar(&f.reference, "lingua", false, "run lingua-go itself (high accuracy unless --fast), the reference curator's engine reproduces; slow")
	fs.BoolVar(&f.raw, "raw", false, "report lingua's own confidence instead of the calibrated probability")
	fs.StringVar(&f.languages, "languages", "", "candidate languages, ISO 639-1 codes separated by commas (default: all 75)")
	fs.StringVar(&f.field, "field", "text", "the JSON field holding the text, for JSONL input")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: curator langid [--fast|--accurate] [--lingua] [--languages en,de,...] < INPUT

Reads JSONL (the text in --field; "id" is copied) or plain text lines on standard input
and writes one JSON object a line: {"id": ..., "lang": "en", "score": 0.97}, lang being
the ISO 639-1 code of the most likely language ("" when there is none) and score the
calibrated probability that it is right (--raw: lingua's own confidence, 1.0 for almost any
text longer than a sentence; --lingua always reports lingua's).`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: langid reads standard input and takes no arguments", errUsage)
	}
	if f.fast && f.accurate {
		return fmt.Errorf("%w: --fast or --accurate, not both", errUsage)
	}
	id, err := newIdentify(f)
	if err != nil {
		return err
	}
	return langidLines(stdin, stdout, f.field, id)
}

// newIdentify builds the engine the flags ask for.
func newIdentify(f langidFlags) (identify, error) {
	var langs []lingua.Language
	if f.languages != "" {
		for _, c := range strings.Split(f.languages, ",") {
			l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(strings.TrimSpace(c)))
			if l == lingua.Unknown {
				return nil, fmt.Errorf("%w: --languages: %q is not an ISO 639-1 code lingua knows", errUsage, c)
			}
			langs = append(langs, l)
		}
		if len(langs) < 2 {
			return nil, fmt.Errorf("%w: --languages: give at least two", errUsage)
		}
	} else {
		langs = lingua.AllLanguages()
	}
	if f.reference {
		b := lingua.NewLanguageDetectorBuilder().FromLanguages(langs...)
		if f.fast {
			b = b.WithLowAccuracyMode()
		}
		det := b.Build()
		return func(text string) (lingua.Language, float64) {
			vals := det.ComputeLanguageConfidenceValues(text)
			if len(vals) == 0 || vals[0].Value() <= 0 {
				return lingua.Unknown, 0
			}
			return vals[0].Language(), vals[0].Value()
		}, nil
	}
	m, err := ngram.LoadModels()
	if err != nil {
		return nil, err
	}
	det, err := ngram.NewDetector(m, ngram.Options{Languages: langs, LowAccuracy: f.fast})
	if err != nil {
		return nil, err
	}
	if f.raw {
		return det.Top, nil
	}
	var ev ngram.Evidence
	return func(text string) (lingua.Language, float64) {
		det.EvidenceInto(&ev, text)
		return langid.DefaultCalibration.Top(&ev)
	}, nil
}

// langidLine is one output line.
type langidLine struct {
	ID    json.RawMessage `json:"id,omitempty"`
	Lang  string          `json:"lang"`
	Score float64         `json:"score"`
}

// langidLines identifies every line of r and writes the results to w.
func langidLines(r io.Reader, w io.Writer, field string, id identify) error {
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("langid: standard input line %d: %w", n, err)
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		text := string(line)
		var out langidLine
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("{")) {
			var obj map[string]json.RawMessage
			if jerr := json.Unmarshal(line, &obj); jerr != nil {
				return fmt.Errorf("langid: standard input line %d: not a JSON object: %w", n, jerr)
			}
			raw, ok := obj[field]
			if !ok {
				return fmt.Errorf("langid: standard input line %d: no %q field", n, field)
			}
			if jerr := json.Unmarshal(raw, &text); jerr != nil {
				return fmt.Errorf("langid: standard input line %d: field %q: %w", n, field, jerr)
			}
			out.ID = obj["id"]
		}
		lang, score := id(text)
		if lang != lingua.Unknown {
			out.Lang = strings.ToLower(lang.IsoCode639_1().String())
			out.Score = math.Round(score*1e9) / 1e9
		}
		if err := enc.Encode(&out); err != nil {
			return err
		}
		if err == io.EOF {
			break
		}
	}
	return bw.Flush()
}
