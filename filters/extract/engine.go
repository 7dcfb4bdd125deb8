package extract

import "errors"

// Engines of the extract step.
const (
	// EngineCurator is this package's streaming extractor (Extract), in the
	// manner of resiliparse's extract_plain_text, as DCLM used it.
	EngineCurator = "curator"
	// EngineTrafilatura is go-trafilatura (a Go port of Python trafilatura)
	// with the settings of FineWeb's datatrove Trafilatura extractor
	// (ExtractTrafilatura).
	EngineTrafilatura = "trafilatura"
)

// ErrUnparsable is returned by ExtractTrafilatura for a page it cannot
// build a document tree of: golang.org/x/net/html refuses pages with more
// than 512 open elements, and a panic inside go-trafilatura is recovered
// into this error.
var ErrUnparsable = errors.New("html cannot be parsed into a tree")

// TrafilaturaOptions choose what ExtractTrafilatura does.
type TrafilaturaOptions struct {
	// Fallback runs go-trafilatura's external fallback extractors
	// (go-readability, then go-domdistiller) when its own result is short,
	// as Python trafilatura does by default (no_fallback=False / fast=False,
	// with readability-lxml and jusText there).
	Fallback bool
	// StrictUTF8 and PreferUTF8 decode the page as Options' fields do.
	StrictUTF8 bool
	// PreferUTF8 decodes a valid UTF-8 body as UTF-8 whatever it declares.
	PreferUTF8 bool
}

// DefaultTrafilaturaOptions are FineWeb's settings with the step's default
// charset handling.
func DefaultTrafilaturaOptions() TrafilaturaOptions {
	return TrafilaturaOptions{Fallback: true, PreferUTF8: true}
}

// errNoTrafilatura is the error of a build without the trafilatura engine.
var errNoTrafilatura = errors.New("engine trafilatura: this curator was built without go-trafilatura " +
	"(its date parser costs every process about 0.4 s and 80 MB at start-up); build with -tags trafilatura " +
	"(make build TAGS=trafilatura)")
