package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
)

// ManifestFile is the name of a suite's manifest inside its directory.
const ManifestFile = "manifest.json"

// ManifestFormat is the manifest format this package reads.
const ManifestFormat = 1

// Manifest is a suite's manifest.json. Unknown keys are errors.
type Manifest struct {
	// Format is the manifest format, ManifestFormat.
	Format int `json:"format"`
	// Name names the suite.
	Name string `json:"name"`
	// Description says what the suite measures, in a sentence or two.
	Description string `json:"description"`
	// Human is the JSONL file of human-labelled pages {"id","text","label"}.
	Human FileRef `json:"human"`
	// Heldout lists the held-out reference sets, JSONL files of {"id","text"}.
	Heldout []HeldoutRef `json:"heldout"`
	// LM holds the proxy language model's parameters.
	LM LMParams `json:"lm"`
	// Bootstrap holds the parameters of the agreement intervals.
	Bootstrap Bootstrap `json:"bootstrap"`
	// NearDup holds the MinHash near-duplicate parameters.
	NearDup NearDupParams `json:"near_dup"`
}

// FileRef names a data file of a suite and says where it came from.
type FileRef struct {
	// File is the path relative to the suite directory, slash-separated;
	// a name ending in ".zst" is zstd-compressed JSONL, any other plain JSONL.
	File string `json:"file"`
	// SHA256 is the lower-case hex SHA-256 of the file's bytes as stored.
	SHA256 string `json:"sha256"`
	// Docs is the number of JSONL records in the file.
	Docs int `json:"docs"`
	// Source says where the content came from and how it was converted.
	Source string `json:"source"`
	// License is the content's licence.
	License string `json:"license"`
	// Note holds anything else a user must know (overlap with pools, ...).
	Note string `json:"note,omitempty"`
}

// HeldoutRef is one named held-out reference set in a manifest.
type HeldoutRef struct {
	// Name names the set ("wikipedia"); lower-case letters, digits, '_' and '-'.
	Name string `json:"name"`
	FileRef
}

// LMParams are the proxy n-gram language model's parameters.
type LMParams struct {
	// Order is the n-gram order of the model (5).
	Order int `json:"order"`
	// BudgetTokens is the number of tokens of each recipe's kept documents
	// the model is trained on (see SampleBudget).
	BudgetTokens int `json:"budget_tokens"`
	// Seed seeds the training sample.
	Seed uint64 `json:"seed"`
	// Ngram is n of the distinct-n-gram ratio (see DistinctNgramRatio).
	Ngram int `json:"ngram"`
}

// Validate reports parameters out of range.
func (p LMParams) Validate() error {
	switch {
	case p.Order < 1 || p.Order > 16:
		return fmt.Errorf("lm.order %d not in [1, 16]", p.Order)
	case p.BudgetTokens < 1:
		return fmt.Errorf("lm.budget_tokens %d must be positive", p.BudgetTokens)
	case p.Ngram < 1 || p.Ngram > 16:
		return fmt.Errorf("lm.ngram %d not in [1, 16]", p.Ngram)
	}
	return nil
}

// Validate reports parameters out of range.
func (b Bootstrap) Validate() error {
	switch {
	case b.Samples < 1 || b.Samples > 1_000_000:
		return fmt.Errorf("bootstrap.samples %d not in [1, 1000000]", b.Samples)
	case !(b.Confidence > 0 && b.Confidence < 1):
		return fmt.Errorf("bootstrap.confidence %v not in (0, 1)", b.Confidence)
	}
	return nil
}

var (
	setName = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)
	hexSum  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// ParseManifest decodes and validates a manifest: one JSON object, no
// unknown keys, every file reference a valid local path (fs.ValidPath, not
// the manifest itself) with a lower-case hex SHA-256, named once, held-out
// set names unique, parameters in range.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("%s at %d: %w", ManifestFile, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Manifest{}, fmt.Errorf("%s at %d: data after the manifest object", ManifestFile, dec.InputOffset())
	}
	if err := m.validate(); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	return m, nil
}

func (m *Manifest) validate() error {
	if m.Format != ManifestFormat {
		return fmt.Errorf("format %d, this curator reads format %d", m.Format, ManifestFormat)
	}
	if m.Name == "" {
		return errors.New("name is empty")
	}
	seen := map[string]string{}
	check := func(what string, f FileRef) error {
		switch {
		case !fs.ValidPath(f.File) || f.File == "." || f.File == ManifestFile:
			return fmt.Errorf("%s: file %q is not a valid path inside the suite", what, f.File)
		case !hexSum.MatchString(f.SHA256):
			return fmt.Errorf("%s: sha256 %q is not 64 lower-case hex digits", what, f.SHA256)
		case f.Docs < 0:
			return fmt.Errorf("%s: docs %d is negative", what, f.Docs)
		}
		if prev, ok := seen[f.File]; ok {
			return fmt.Errorf("%s: file %q already named by %s", what, f.File, prev)
		}
		seen[f.File] = what
		return nil
	}
	if err := check("human", m.Human); err != nil {
		return err
	}
	names := map[string]bool{}
	for i, h := range m.Heldout {
		if !setName.MatchString(h.Name) {
			return fmt.Errorf("heldout[%d]: name %q must match %s", i, h.Name, setName)
		}
		if names[h.Name] {
			return fmt.Errorf("heldout[%d]: name %q used twice", i, h.Name)
		}
		names[h.Name] = true
		if err := check("heldout "+h.Name, h.FileRef); err != nil {
			return err
		}
	}
	if err := m.LM.Validate(); err != nil {
		return err
	}
	if err := m.Bootstrap.Validate(); err != nil {
		return err
	}
	return m.NearDup.Validate()
}

// Files returns every file reference of the manifest: human first, then the
// held-out sets in manifest order.
func (m *Manifest) Files() []FileRef {
	out := []FileRef{m.Human}
	for _, h := range m.Heldout {
		out = append(out, h.FileRef)
	}
	return out
}
