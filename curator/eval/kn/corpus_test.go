package kn

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// brownSample is 20 whole Brown documents (see testdata/kn/SOURCES.md).
const brownSample = "../../../testdata/kn/brown_every25th.jsonl.gz"

// readDocs returns the "text" field of every line of a .jsonl.gz file.
func readDocs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var docs []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		var d struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		docs = append(docs, d.Text)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// wordIDs is the tests' stand-in tokenizer: whitespace-separated words, each new
// word getting the next id, in order of first appearance.
type wordIDs map[string]uint32

func (w wordIDs) ids(text string) []uint32 {
	var out []uint32
	for _, f := range strings.Fields(text) {
		id, ok := w[f]
		if !ok {
			id = uint32(len(w))
			w[f] = id
		}
		out = append(out, id)
	}
	return out
}

// sampleLines loads the Brown sample and returns, per document, its non-empty
// lines as id sequences (ids assigned over all documents in file order).
func sampleLines(t testing.TB) ([][][]uint32, wordIDs) {
	t.Helper()
	docs, err := readDocs(brownSample)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 20 {
		t.Fatalf("%s: %d documents, want 20", brownSample, len(docs))
	}
	w := wordIDs{}
	out := make([][][]uint32, len(docs))
	for i, d := range docs {
		for _, line := range strings.Split(d, "\n") {
			if ids := w.ids(line); len(ids) > 0 {
				out[i] = append(out[i], ids)
			}
		}
	}
	return out, w
}

// build trains a model of the given order on seqs.
func build(t testing.TB, order, vocab int, seqs [][]uint32) *Model {
	t.Helper()
	b, err := NewBuilder(order, vocab)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seqs {
		if err := b.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// flatten concatenates the sequences of several documents.
func flatten(docs [][][]uint32) [][]uint32 {
	var out [][]uint32
	for _, d := range docs {
		out = append(out, d...)
	}
	return out
}
