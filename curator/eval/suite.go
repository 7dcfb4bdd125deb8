package eval

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"sort"
)

// Suite is a loaded evaluation suite: its manifest, its version and the
// bytes of its data files, checked against the manifest's SHA-256 sums.
//
// The version, Hash, is "sha256:" followed by the lower-case hex SHA-256
// of this byte sequence: for manifest.json first and then for every file
// the manifest names (human and held-out sets) in ascending byte order of
// their paths, one record each made of the path as written in the
// manifest ("manifest.json" for the manifest), one zero byte, the file's
// length as an 8-byte big-endian unsigned integer, and the file's bytes
// exactly as stored (compressed files are hashed compressed). Nothing else
// in the directory (README.md, ...) is hashed. Two suites with the same
// Hash hold the same manifest and the same data.
type Suite struct {
	// Dir is the directory the suite was loaded from; "" for the embedded
	// default suite and for LoadFS.
	Dir string
	// Manifest is the parsed manifest.
	Manifest Manifest
	// Hash is the suite's version, "sha256:<hex>" (see Suite).
	Hash string

	files map[string][]byte // path -> bytes, as hashed
}

// Load reads the suite in dir: its manifest and every file the manifest
// names, checking each file's SHA-256 (a mismatch is an error naming the
// file) and that each data file decodes with the declared number of
// records.
func Load(dir string) (*Suite, error) {
	s, err := LoadFS(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("suite %s: %w", dir, err)
	}
	s.Dir = dir
	return s, nil
}

// LoadFS is Load for a suite at the root of fsys.
func LoadFS(fsys fs.FS) (*Suite, error) {
	raw, err := fs.ReadFile(fsys, ManifestFile)
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	s := &Suite{Manifest: m, files: map[string][]byte{}}
	for _, f := range m.Files() {
		data, err := fs.ReadFile(fsys, f.File)
		if err != nil {
			return nil, fmt.Errorf("file %s named in %s: %w", f.File, ManifestFile, err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
			return nil, fmt.Errorf("file %s: sha256 %s, manifest says %s (file changed or corrupt)", f.File, got, f.SHA256)
		}
		s.files[f.File] = data
	}
	s.Hash = hashSuite(raw, s.files)
	if _, err := s.Human(); err != nil {
		return nil, err
	}
	if _, err := s.Heldout(); err != nil {
		return nil, err
	}
	return s, nil
}

// hashSuite computes a suite's version as documented on Suite.
func hashSuite(manifest []byte, files map[string][]byte) string {
	h := sha256.New()
	record := func(name string, data []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(data)))
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(n[:])
		h.Write(data)
	}
	record(ManifestFile, manifest)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		record(name, files[name])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Labelled is one human-labelled page.
type Labelled struct {
	// ID identifies the page within the suite ("human-0000").
	ID string `json:"id"`
	// Text is the page's text.
	Text string `json:"text"`
	// Label is 1 for a high-quality page, 0 otherwise.
	Label int `json:"label"`
}

// Document is one held-out reference document.
type Document struct {
	// ID identifies the document within the suite.
	ID string `json:"id"`
	// Text is the document's text.
	Text string `json:"text"`
}

// HeldoutSet is one held-out reference set with its documents.
type HeldoutSet struct {
	// Name names the set ("wikipedia").
	Name string
	// Source, License and Note are copied from the manifest.
	Source, License, Note string
	// Docs are the set's documents in file order.
	Docs []Document
}

// Human returns the suite's human-labelled pages in file order.
func (s *Suite) Human() ([]Labelled, error) {
	f := s.Manifest.Human
	var out []Labelled
	err := readJSONL(f.File, s.files[f.File], func(id, text string, label *int) error {
		if label == nil {
			return fmt.Errorf("missing \"label\"")
		}
		if *label != 0 && *label != 1 {
			return fmt.Errorf("label %d, want 0 or 1", *label)
		}
		out = append(out, Labelled{ID: id, Text: text, Label: *label})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) != f.Docs {
		return nil, fmt.Errorf("file %s: %d records, manifest says %d", f.File, len(out), f.Docs)
	}
	return out, nil
}

// Heldout returns the suite's held-out sets in manifest order.
func (s *Suite) Heldout() ([]HeldoutSet, error) {
	var out []HeldoutSet
	for _, h := range s.Manifest.Heldout {
		set := HeldoutSet{Name: h.Name, Source: h.Source, License: h.License, Note: h.Note}
		err := readJSONL(h.File, s.files[h.File], func(id, text string, _ *int) error {
			set.Docs = append(set.Docs, Document{ID: id, Text: text})
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(set.Docs) != h.Docs {
			return nil, fmt.Errorf("file %s: %d records, manifest says %d", h.File, len(set.Docs), h.Docs)
		}
		out = append(out, set)
	}
	return out, nil
}
