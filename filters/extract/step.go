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
	// ReasonUnparsable: the trafilatura engine could not build the page's
	// tree (more than 512 nested open elements) or go-trafilatura panicked
	// (recovered; ErrUnparsable).
	ReasonUnparsable = "unparsable"
	// ReasonTooLarge: with engine trafilatura, the page's HTML is larger
	// than trafilatura_max_bytes.
	ReasonTooLarge = "too_large"
)

// Params are the parameters of the extract step. They mirror resiliparse's
// extract_plain_text flags, so that recipes can compare extractors; engine
// trafilatura swaps in go-trafilatura with FineWeb's settings.
type Params struct {
	Engine              string `yaml:"engine" doc:"extractor: curator (this package's resiliparse-style extractor, as DCLM used resiliparse) or trafilatura (go-trafilatura with FineWeb's datatrove settings: favor_precision, no comments, deduplicate; only the charset, strict_utf8, prefer_utf8, trafilatura_fallback and min_text_chars parameters apply to it)"`
	TrafilaturaFallback bool   `yaml:"trafilatura_fallback" doc:"with engine trafilatura, try go-readability and go-domdistiller when trafilatura's own result is short, as Python trafilatura does by default (FineWeb); false is faster"`
	TrafilaturaMaxBytes int    `yaml:"trafilatura_max_bytes" doc:"with engine trafilatura, remove pages whose HTML has more bytes than this (reason too_large) instead of building their tree (about 2 s of CPU and some hundred MB of allocations per MB of HTML); 0 is no limit. The default, 1 MiB, is Common Crawl's payload truncation, so it removes nothing from Common Crawl WARCs; it stands in for datatrove's 0.1 s per-page timeout, which depends on the machine"`
	MainContent         bool   `yaml:"main_content" doc:"keep only the main content: drop navigation, headers, footers, sidebars, ads, cookie banners, share bars, small forms and hidden elements (class/id/role heuristics, as resiliparse's main_content=True)"`
	Comments            bool   `yaml:"comments" doc:"with main_content, keep comment sections"`
	PreserveFormatting  bool   `yaml:"preserve_formatting" doc:"lay out blocks, paragraphs, lists and table rows on lines; false gives one line of words"`
	ListBullets         bool   `yaml:"list_bullets" doc:"prefix list items with '• ' (or '1. ' in ordered lists), indented two spaces per list level"`
	AltTexts            bool   `yaml:"alt_texts" doc:"include the alt text of images"`
	Links               bool   `yaml:"links" doc:"append ' (URL)' after the text of each link"`
	FormFields          bool   `yaml:"form_fields" doc:"include form fields (input values, text areas, buttons, options, labels) as '[ value ]'"`
	Noscript            bool   `yaml:"noscript" doc:"include the contents of <noscript> elements"`
	StrictUTF8          bool   `yaml:"strict_utf8" doc:"as DCLM's .decode(\"utf-8\"): remove pages that are not valid UTF-8 (reason invalid_utf8) instead of detecting and decoding their charset"`
	PreferUTF8          bool   `yaml:"prefer_utf8" doc:"decode a body that is valid UTF-8 as UTF-8 even if it declares another charset (servers often declare one they do not use)"`
	MinTextChars        int    `yaml:"min_text_chars" doc:"remove pages whose extracted text has fewer bytes than this (reason too_short); 0 removes only empty pages (reason empty)"`
}

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.Engine != EngineCurator && p.Engine != EngineTrafilatura {
		return fmt.Errorf("engine %q: must be %q or %q", p.Engine, EngineCurator, EngineTrafilatura)
	}
	if p.Engine == EngineTrafilatura && !trafilaturaBuilt {
		return errNoTrafilatura
	}
	if p.TrafilaturaMaxBytes < 0 {
		return fmt.Errorf("trafilatura_max_bytes %d: must not be negative", p.TrafilaturaMaxBytes)
	}
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
		Engine:              EngineCurator,
		TrafilaturaFallback: true,
		TrafilaturaMaxBytes: 1 << 20,
		MainContent:         o.MainContent,
		Comments:            o.Comments,
		PreserveFormatting:  o.PreserveFormatting,
		ListBullets:         o.ListBullets,
		AltTexts:            o.AltTexts,
		Links:               o.Links,
		FormFields:          o.FormFields,
		Noscript:            o.Noscript,
		StrictUTF8:          o.StrictUTF8,
		PreferUTF8:          o.PreferUTF8,
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
			"removed (reason empty). engine: trafilatura extracts with go-trafilatura as FineWeb did with " +
			"trafilatura (favor_precision, no comments, deduplicate), after the same charset decoding; pages " +
			"it cannot parse (over 512 nested elements) are removed (reason unparsable), and so are pages over " +
			"trafilatura_max_bytes (reason too_large).",
		Writes: []string{SignalCharset, SignalCharsetSource},
	}, DefaultParams(), func(p Params, _ filters.Env) (any, error) {
		return &step{p: p, opts: p.Options(), traf: TrafilaturaOptions{
			Fallback: p.TrafilaturaFallback, StrictUTF8: p.StrictUTF8, PreferUTF8: p.PreferUTF8}}, nil
	})
}

// step is the extract modifier.
type step struct {
	p    Params
	opts Options
	traf TrafilaturaOptions
}

// Modify replaces the document's raw HTML with its text.
func (s *step) Modify(d *filters.Doc) (string, error) {
	if d.HTML == nil {
		return "", nil
	}
	var r Result
	var err error
	if s.p.Engine == EngineTrafilatura {
		if s.p.TrafilaturaMaxBytes > 0 && len(d.HTML) > s.p.TrafilaturaMaxBytes {
			d.HTML = nil
			return ReasonTooLarge, nil
		}
		r, err = ExtractTrafilatura(d.HTML, d.ContentType, s.traf)
	} else {
		r, err = Extract(d.HTML, d.ContentType, s.opts)
	}
	switch {
	case errors.Is(err, ErrInvalidUTF8):
		d.HTML = nil
		return ReasonInvalidUTF8, nil
	case errors.Is(err, ErrUnparsable):
		d.HTML = nil
		return ReasonUnparsable, nil
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
