package extract

import (
	"errors"
	"fmt"

	"github.com/curator-dev/curator/filters"
)

// Signals written by the extract step.
const (
	// SignalCharset is the WHATWG name of the charset the page was decoded from.
	SignalCharset = "extract_charset"
	// SignalCharsetSource says where that charset came from: bom, header,
	// meta, utf8 (undeclared or overridden by a valid UTF-8 body), default
	// (undeclared, not UTF-8: windows-1252) or strict.
	SignalCharsetSource = "extract_charset_source"
)

// Removal reasons of the extract step.
const (
	ReasonEmpty       = "empty"
	ReasonInvalidUTF8 = "invalid_utf8"
	ReasonTooShort    = "too_short"
)

// Params are the parameters of the extract step. They mirror resiliparse's
// extract_plain_text flags, so that recipes can compare extractors.
type Params struct {
	MainContent        bool `yaml:"main_content" doc:"keep only the main content: drop navigation, headers, footers, sidebars, ads, cookie banners, share bars, small forms and hidden elements (class/id/role heuristics, as resiliparse's main_content=True)"`
	Comments           bool `yaml:"comments" doc:"with main_content, keep comment sections"`
	PreserveFormatting bool `yaml:"preserve_formatting" doc:"lay out blocks, paragraphs, lists and table rows on lines; false gives one line of words"`
	ListBullets        bool `yaml:"list_bullets" doc:"prefix list items with '• ' (or '1. ' in ordered lists), indented two spaces per list level"`
	AltTexts           bool `yaml:"alt_texts" doc:"include the alt text of images"`
	Links              bool `yaml:"links" doc:"append ' (URL)' after the text of each link"`
	FormFields         bool `yaml:"form_fields" doc:"include form fields (input values, text areas, buttons, options, labels) as '[ value ]'"`
	Noscript           bool `yaml:"noscript" doc:"include the contents of <noscript> elements"`
	StrictUTF8         bool `yaml:"strict_utf8" doc:"as DCLM's .decode(\"utf-8\"): remove pages that are not valid UTF-8 (reason invalid_utf8) instead of detecting and decoding their charset"`
	PreferUTF8         bool `yaml:"prefer_utf8" doc:"decode a body that is valid UTF-8 as UTF-8 even if it declares another charset (servers often declare one they do not use)"`
	MinTextChars       int  `yaml:"min_text_chars" doc:"remove pages whose extracted text has fewer bytes than this (reason too_short); 0 removes only empty pages (reason empty)"`
}

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.MinTextChars < 0 {
		return fmt.Errorf("min_text_chars %d: must not be negative", p.MinTextChars)
	}
	return nil
}

// Options returns the extraction options the parameters stand for.
func (p Params) Options() Options {
	return Options{
		MainContent:        p.MainContent,
		Comments:           p.Comments,
		PreserveFormatting: p.PreserveFormatting,
		ListBullets:        p.ListBullets,
		AltTexts:           p.AltTexts,
		Links:              p.Links,
		FormFields:         p.FormFields,
		Noscript:           p.Noscript,
		StrictUTF8:         p.StrictUTF8,
		PreferUTF8:         p.PreferUTF8,
	}
}

// DefaultParams are the step's defaults: DefaultOptions.
func DefaultParams() Params {
	o := DefaultOptions()
	return Params{
		MainContent:        o.MainContent,
		Comments:           o.Comments,
		PreserveFormatting: o.PreserveFormatting,
		ListBullets:        o.ListBullets,
		AltTexts:           o.AltTexts,
		Links:              o.Links,
		FormFields:         o.FormFields,
		Noscript:           o.Noscript,
		StrictUTF8:         o.StrictUTF8,
		PreferUTF8:         o.PreferUTF8,
	}
}

func init() {
	filters.Register(filters.Spec{
		Name: "extract",
		Kind: filters.KindModifier,
		Doc: "Turns the raw HTML of a WARC response into text, as resiliparse's extract_plain_text does " +
			"(DCLM ran it with main_content=True). The charset comes from a byte order mark, the HTTP " +
			"Content-Type or a <meta> element, and legacy charsets are decoded (undeclared non-UTF-8 pages " +
			"are read as windows-1252); strict_utf8 instead removes pages that are not valid UTF-8, as DCLM " +
			"did. Documents that arrived as text (WET, JSONL) pass unchanged. Pages with no text left are " +
			"removed (reason empty).",
		Writes: []string{SignalCharset, SignalCharsetSource},
	}, DefaultParams(), func(p Params, _ filters.Env) (any, error) {
		return &step{p: p, opts: p.Options()}, nil
	})
}

// step is the extract modifier.
type step struct {
	p    Params
	opts Options
}

// Modify replaces the document's raw HTML with its text.
func (s *step) Modify(d *filters.Doc) (string, error) {
	if d.HTML == nil {
		return "", nil
	}
	r, err := Extract(d.HTML, d.ContentType, s.opts)
	if errors.Is(err, ErrInvalidUTF8) {
		d.HTML = nil
		return ReasonInvalidUTF8, nil
	}
	if err != nil {
		return "", fmt.Errorf("extract %s (shard %s at %d): %w", d.URL, d.Source.Shard, d.Source.Offset, err)
	}
	d.HTML = nil
	d.SetSignal(SignalCharset, r.Charset)
	d.SetSignal(SignalCharsetSource, r.CharsetSource)
	d.SetText(r.Text)
	switch {
	case r.Text == "":
		return ReasonEmpty, nil
	case len(r.Text) < s.p.MinTextChars:
		return ReasonTooShort, nil
	}
	return "", nil
}
