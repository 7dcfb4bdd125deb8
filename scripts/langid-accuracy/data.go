package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// item is one text to classify: its true language (Unknown in the pool,
// which has no labels) and an identifier for listings.
type item struct {
	ID    string
	Truth lingua.Language
	Text  string
}

// macroAlias maps the ISO 639-3 codes of UDHR translations written in an
// individual language to lingua's macrolanguage code (ISO 639-3 macrolanguage
// membership); lingua.GetLanguageFromIsoCode639_3 knows only the latter.
var macroAlias = map[string]string{
	"arb": "ara", // Standard Arabic -> Arabic
	"azj": "aze", // North Azerbaijani -> Azerbaijani
	"ekk": "est", // Standard Estonian -> Estonian
	"pes": "fas", // Western Farsi -> Persian
	"prs": "fas", // Dari -> Persian
	"lvs": "lav", // Standard Latvian -> Latvian
	"khk": "mon", // Halh Mongolian -> Mongolian
	"zlm": "msa", // Malay (individual) -> Malay
	"als": "sqi", // Tosk Albanian -> Albanian
	"swh": "swa", // Swahili (individual) -> Swahili
	"cmn": "zho", // Mandarin -> Chinese
}

// udhrSkip lists UDHR translations written in a script lingua has no model
// for in that language (Mongolian script, Han characters for Vietnamese,
// Baybayin, Jawi): no detector can get them right from lingua's models.
var udhrSkip = map[string]bool{
	"khk_mong": true,
	"vie_han":  true,
	"tgl_tglg": true,
	"mly_arab": true,
}

// openJSONL calls f with each line of a gzipped JSONL file and its offset in
// the decompressed stream.
func openJSONL(path string, f func(line []byte, off int64) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	br := bufio.NewReaderSize(zr, 1<<20)
	var off int64
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if ferr := f(line, off); ferr != nil {
				return fmt.Errorf("%s at %d: %w", path, off, ferr)
			}
			off += int64(len(line))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s at %d: %w", path, off, err)
		}
	}
}

// loadSentences reads lingua's labelled sentences (fields lang, kind, text).
func loadSentences(path string) ([]item, error) {
	var out []item
	n := map[lingua.Language]int{}
	err := openJSONL(path, func(line []byte, _ int64) error {
		var r struct{ Lang, Kind, Text string }
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(r.Lang))
		if l == lingua.Unknown {
			return fmt.Errorf("unknown language %q", r.Lang)
		}
		n[l]++
		out = append(out, item{ID: fmt.Sprintf("%s/%d", r.Lang, n[l]), Truth: l, Text: r.Text})
		return nil
	})
	return out, err
}

// udhrLanguage maps a UDHR translation's ISO 639-3 code to lingua's language.
func udhrLanguage(iso string) lingua.Language {
	if a, ok := macroAlias[iso]; ok {
		iso = a
	}
	return lingua.GetLanguageFromIsoCode639_3(lingua.GetIsoCode639_3FromValue(iso))
}

// loadUDHR reads the UDHR translations (fields code, iso6393, name, text) of
// lingua's languages and splits each into paragraphs at newlines, keeping
// the non-empty ones after the first line (the title).
func loadUDHR(path string) ([]item, error) {
	var out []item
	err := openJSONL(path, func(line []byte, _ int64) error {
		var r struct{ Code, Iso6393, Name, Text string }
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		l := udhrLanguage(r.Iso6393)
		if l == lingua.Unknown || udhrSkip[r.Code] {
			return nil
		}
		lines := strings.Split(r.Text, "\n")
		k := 0
		for _, p := range lines[1:] {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			k++
			out = append(out, item{ID: fmt.Sprintf("%s/%d", r.Code, k), Truth: l, Text: p})
		}
		return nil
	})
	return out, err
}

// loadPool reads the documents of a make_pool pool (jsonl/shard_*.jsonl.gz,
// fields id and text) having at least minRunes characters.
func loadPool(dir string, minRunes int) (docs []item, total int, err error) {
	shards, err := filepath.Glob(filepath.Join(dir, "jsonl", "shard_*.jsonl.gz"))
	if err != nil {
		return nil, 0, err
	}
	if len(shards) == 0 {
		return nil, 0, fmt.Errorf("no jsonl/shard_*.jsonl.gz under %s", dir)
	}
	sort.Strings(shards)
	for _, s := range shards {
		err := openJSONL(s, func(line []byte, _ int64) error {
			var r struct{ ID, Text string }
			if err := json.Unmarshal(line, &r); err != nil {
				return err
			}
			total++
			if utf8.RuneCountInString(r.Text) >= minRunes {
				docs = append(docs, item{ID: r.ID, Truth: lingua.Unknown, Text: r.Text})
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	return docs, total, nil
}
