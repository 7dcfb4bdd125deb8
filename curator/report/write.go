package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/curator-dev/curator/internal/atomicfile"
)

// Write builds the report of the run in dir and writes report.json,
// report.md and report.html there, each atomically.
func Write(dir string) (*Report, error) {
	r, err := Build(dir)
	if err != nil {
		return nil, err
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var md, page bytes.Buffer
	if err := Markdown(&md, r); err != nil {
		return nil, err
	}
	if err := HTML(&page, r); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{JSONFile, js.Bytes()}, {MarkdownFile, md.Bytes()}, {HTMLFile, page.Bytes()}} {
		err := atomicfile.Write(filepath.Join(dir, f.name), func(w io.Writer) error { _, err := w.Write(f.data); return err })
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	return r, nil
}
