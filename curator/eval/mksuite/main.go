// Command mksuite builds curator's default evaluation suite from the
// project's shared real data:
//
//	go run ./curator/eval/mksuite -data /work/shared/data -out curator/eval/suite
//
// It writes, under -out:
//
//   - human.jsonl.zst: DCLM's 499 human-labelled pages
//     (DATA/quality/dclm_human_majority_data.jsonl), as {"id","text","label"}
//     with ids "human-NNNN" (NNNN = 0-based line number, 4 digits) in file
//     order, texts and labels unchanged.
//   - heldout_wikipedia.jsonl.zst: the text of the five English Wikipedia
//     pages DATA/html/dclm_wikipedia_paragraph{1..5}.html, extracted by
//     curator's own extractor (filters/extract, DefaultOptions, content type
//     "text/html; charset=utf-8"), ids "wikipedia-N" from the file names.
//   - heldout_brown.jsonl.zst: every BrownStride-th document of the Brown
//     corpus (DATA/text/brown_corpus_plain.jsonl.gz) in file order, starting
//     with the first (ca01, ca11, ...), ids "brown-" + the Brown id.
//   - manifest.json: the suite's name, description, files with their
//     sha256, record counts, sources and licences, and the LM, bootstrap and
//     near-duplicate parameters.
//   - README.md: what each file is, its source and licence.
//
// Output is deterministic: JSON lines are written by encoding/json (HTML
// characters not escaped, "\n" after each record) and compressed by
// klauspost/compress zstd at SpeedBestCompression with one encoder
// goroutine, so the same inputs, extractor and library versions give the
// same bytes, hence the same suite hash. A change of the extractor that
// changes the Wikipedia text changes the suite's version, as it should.
// After writing, the suite is loaded back with eval.Load and its hash
// printed.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/curator-dev/curator/curator/eval"
	"github.com/curator-dev/curator/filters/extract"
	"github.com/klauspost/compress/zstd"
)

// BrownStride selects the Brown subset: documents 0, BrownStride, 2*BrownStride, ...
const BrownStride = 10

func main() {
	data := flag.String("data", "/work/shared/data", "the shared data directory (quality/, html/, text/)")
	out := flag.String("out", "curator/eval/suite", "the suite directory to write")
	flag.Parse()
	s, err := build(*data, *out)
	if err != nil {
		slog.Error("mksuite", "err", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %s\n", s.Dir, s.Hash)
}

// build writes the suite from the data directory into out and loads it back.
func build(dataDir, out string) (*eval.Suite, error) {
	human, err := humanPages(filepath.Join(dataDir, "quality", "dclm_human_majority_data.jsonl"))
	if err != nil {
		return nil, err
	}
	wiki, err := wikipedia(filepath.Join(dataDir, "html"))
	if err != nil {
		return nil, err
	}
	brown, err := brownSubset(filepath.Join(dataDir, "text", "brown_corpus_plain.jsonl.gz"))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	m := manifest()
	if m.Human, err = writeSet(out, "human.jsonl.zst", human, m.Human); err != nil {
		return nil, err
	}
	sets := [][]any{wiki, brown}
	for i := range m.Heldout {
		if m.Heldout[i].FileRef, err = writeSet(out, "heldout_"+m.Heldout[i].Name+".jsonl.zst", sets[i], m.Heldout[i].FileRef); err != nil {
			return nil, err
		}
	}
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(out, eval.ManifestFile), raw.Bytes()); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(out, "README.md"), readme(m)); err != nil {
		return nil, err
	}
	return eval.Load(out)
}

// humanPages reads DCLM's labelled pages and gives them ids.
func humanPages(path string) ([]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	var off int64
	for sc.Scan() {
		line := sc.Bytes()
		var r struct {
			Text  *string `json:"text"`
			Label *int    `json:"label"`
		}
		if err := json.Unmarshal(line, &r); err != nil || r.Text == nil || r.Label == nil {
			return nil, fmt.Errorf("%s at %d: want {\"text\",\"label\"}: %v", path, off, err)
		}
		out = append(out, eval.Labelled{ID: fmt.Sprintf("human-%04d", len(out)), Text: *r.Text, Label: *r.Label})
		off += int64(len(line)) + 1
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s at %d: %w", path, off, err)
	}
	return out, nil
}

var wikiName = regexp.MustCompile(`^dclm_wikipedia_paragraph([0-9]+)\.html$`)

// wikipedia extracts the text of the Wikipedia pages in dir, in the order
// of their numbers.
func wikipedia(dir string) ([]any, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type page struct{ n, name string }
	var pages []page
	for _, e := range ents {
		if m := wikiName.FindStringSubmatch(e.Name()); m != nil {
			pages = append(pages, page{m[1], e.Name()})
		}
	}
	sort.Slice(pages, func(i, j int) bool {
		if len(pages[i].n) != len(pages[j].n) {
			return len(pages[i].n) < len(pages[j].n)
		}
		return pages[i].n < pages[j].n
	})
	if len(pages) == 0 {
		return nil, fmt.Errorf("%s: no dclm_wikipedia_paragraph*.html", dir)
	}
	var out []any
	for _, p := range pages {
		html, err := os.ReadFile(filepath.Join(dir, p.name))
		if err != nil {
			return nil, err
		}
		text, _, err := extract.Text(html, "text/html; charset=utf-8", extract.DefaultOptions())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		if text == "" {
			return nil, fmt.Errorf("%s: no text extracted", p.name)
		}
		out = append(out, eval.Document{ID: "wikipedia-" + p.n, Text: text})
	}
	return out, nil
}

// brownSubset takes every BrownStride-th Brown document.
func brownSubset(path string) ([]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dec := json.NewDecoder(zr)
	var out []any
	for i := 0; ; i++ {
		var d struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		off := dec.InputOffset()
		if err := dec.Decode(&d); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s at %d (decompressed): %w", path, off, err)
		}
		if d.ID == "" {
			return nil, fmt.Errorf("%s at %d (decompressed): document without id", path, off)
		}
		if i%BrownStride == 0 {
			out = append(out, eval.Document{ID: "brown-" + d.ID, Text: d.Text})
		}
	}
	return out, nil
}

// writeSet writes recs as zstd JSONL to dir/name and fills ref's file, sum
// and count.
func writeSet(dir, name string, recs []any, ref eval.FileRef) (eval.FileRef, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return ref, err
		}
	}
	zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return ref, err
	}
	z := zw.EncodeAll(buf.Bytes(), nil)
	if err := zw.Close(); err != nil {
		return ref, err
	}
	if err := writeFile(filepath.Join(dir, name), z); err != nil {
		return ref, err
	}
	sum := sha256.Sum256(z)
	ref.File, ref.SHA256, ref.Docs = name, hex.EncodeToString(sum[:]), len(recs)
	return ref, nil
}

// writeFile writes data to a temporary file and renames it into place.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
