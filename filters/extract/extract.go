// Package extract turns raw HTML into plain text, in the manner of
// resiliparse's extract_plain_text, which DCLM used with main_content=True.
//
// Charset: a byte order mark wins; then the charset parameter of the HTTP
// Content-Type; then a <meta charset> or <meta http-equiv="Content-Type">
// found before the body starts (within the first 16 KiB, not only WHATWG's
// first 1024 bytes). Labels are WHATWG's (golang.org/x/net/html/charset), so
// iso-8859-1 and ascii mean windows-1252, gb2312 means gbk, and a declared
// UTF-16 means UTF-8. Legacy charsets are decoded, not dropped. A body that is
// valid UTF-8 is read as UTF-8 when nothing is declared and, with PreferUTF8
// (the default), even when another charset is declared, since servers often
// declare one they do not use. An undeclared or unknown charset on a body
// that is not UTF-8 falls back to windows-1252, WHATWG's default; the charset
// used and where it came from are returned (the step records them as the
// signals extract_charset and extract_charset_source). StrictUTF8 instead
// rejects bodies that are not valid UTF-8 (DCLM's `.decode("utf-8")`).
//
// Layout: white space runs become one space (U+00A0 is kept), block
// elements end lines, headings and paragraphs are followed by a blank line,
// <br> breaks a line, list items get "• " (or "1. " in an ordered list)
// indented two spaces per list level, table cells of a row are separated by
// two tabs, <pre> keeps its white space, and the text is right-trimmed.
// Skipped always: head, script, style, template, svg, math, iframe, object,
// embed, audio, video, canvas, closed dialogs; textarea, input, button,
// select, option and label unless form fields are asked for; noscript unless
// asked for.
//
// Main content: subtrees are dropped by tag (nav, aside, page-level header
// and footer), by ARIA role (navigation, banner, contentinfo, complementary,
// search, menu, dialog, ...), when hidden (hidden, aria-hidden, display:none,
// hidden classes), and by the words of their class and id (navigation, menus,
// breadcrumbs, headers, footers, copyright and cookie notices, sidebars, ads,
// share and social bars, sign-in, search boxes, modals, galleries, related
// articles, post metadata, skip links, logos). Lists, articles, forms and deep
// divs whose text is mostly link text (or, for forms, short) are dropped when
// they end, by rolling their output back. When exactly one element is marked
// as the main content (role="main" or a class such as "post-content"), only
// its text is kept.
//
// The document is streamed through golang.org/x/net/html's tokenizer, never
// built into a tree: a stack of open elements (bounded at 512, deeper tags
// are treated as empty) tells which subtree a token is in, end tags close the
// nearest open element of their name, and start tags close what HTML says
// they close (an open <p>, <li>, <td>, ...). Nothing recurses on the
// document's nesting.
//
// The step "extract" (a modifier) runs it on documents that carry raw HTML.
// With engine: trafilatura the step runs ExtractTrafilatura instead:
// go-trafilatura with the settings FineWeb ran Python trafilatura with
// (datatrove's Trafilatura extractor), on the page decoded to UTF-8 by the
// same charset rules.
package extract

import (
	"sync"
	"unicode/utf8"
)

// Options choose what Text extracts. The zero value keeps little; start from
// DefaultOptions.
type Options struct {
	// MainContent drops navigation, headers, footers, sidebars, ads, cookie
	// banners, share bars, forms and hidden elements.
	MainContent bool
	// Comments keeps comment sections in main-content mode.
	Comments bool
	// PreserveFormatting lays out blocks, lists and tables on lines; when
	// false the text is one line of words.
	PreserveFormatting bool
	// ListBullets prefixes list items with "• " or "N. ".
	ListBullets bool
	// AltTexts includes the alt text of images.
	AltTexts bool
	// Links appends " (URL)" after the text of each link.
	Links bool
	// FormFields includes form fields (values of inputs, text areas, buttons,
	// select options and labels) as "[ value ]".
	FormFields bool
	// Noscript includes the contents of <noscript> elements.
	Noscript bool
	// StrictUTF8 rejects documents that are not valid UTF-8 with
	// ErrInvalidUTF8, as DCLM's `.decode("utf-8")` does, and never decodes
	// a legacy charset.
	StrictUTF8 bool
	// PreferUTF8 decodes a valid UTF-8 body as UTF-8 whatever charset it
	// declares.
	PreferUTF8 bool
}

// DefaultOptions are resiliparse's defaults as DCLM used them
// (main_content=True), with charset detection instead of strict UTF-8.
func DefaultOptions() Options {
	return Options{
		MainContent:        true,
		Comments:           true,
		PreserveFormatting: true,
		ListBullets:        true,
		AltTexts:           true,
		PreferUTF8:         true,
	}
}

// Result is what Extract returns.
type Result struct {
	// Text is the extracted text, possibly empty.
	Text string
	// Charset is the WHATWG name of the charset the page was decoded from.
	Charset string
	// CharsetSource says where the charset came from (SourceBOM, ...).
	CharsetSource string
}

var pool = sync.Pool{New: func() any { return new(extractor) }}

// Text extracts the text of an HTML document. contentType is the HTTP
// Content-Type of the body ("" if unknown); it may name the charset. It
// returns the text and the charset used. The only error is ErrInvalidUTF8,
// in strict UTF-8 mode; malformed HTML is never an error.
func Text(html []byte, contentType string, opts Options) (text, charset string, err error) {
	r, err := Extract(html, contentType, opts)
	return r.Text, r.Charset, err
}

// Extract is Text with the source of the charset.
func Extract(html []byte, contentType string, opts Options) (Result, error) {
	if opts.StrictUTF8 && !utf8.Valid(html) {
		return Result{}, ErrInvalidUTF8
	}
	x := pool.Get().(*extractor)
	dec := Decoded{Body: html, Charset: "utf-8", Source: SourceStrict}
	if !opts.StrictUTF8 {
		dec, x.dec = decode(html, contentType, opts.PreferUTF8, x.dec)
	}
	out := x.run(dec.Body, &opts)
	var s string
	if utf8.Valid(out) {
		s = string(out)
	} else {
		s = toValidUTF8(out)
	}
	x.release()
	pool.Put(x)
	return Result{Text: s, Charset: dec.Charset, CharsetSource: dec.Source}, nil
}

// toValidUTF8 replaces each run of invalid bytes with U+FFFD.
func toValidUTF8(b []byte) string {
	out := make([]byte, 0, len(b)+8)
	bad := false
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			if !bad {
				out = append(out, "\uFFFD"...)
			}
			bad = true
		} else {
			out = append(out, b[:n]...)
			bad = false
		}
		b = b[n:]
	}
	return string(out)
}
