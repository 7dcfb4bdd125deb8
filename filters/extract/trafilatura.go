//go:build trafilatura

package extract

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// trafilaturaBuilt says this build has the trafilatura engine.
const trafilaturaBuilt = true

// trafilaturaOptions maps datatrove's Trafilatura extractor, as FineWeb ran
// it (trafilatura.extract(html, favor_precision=True,
// include_comments=False, deduplicate=True), every other argument at
// trafilatura's default), onto go-trafilatura's options:
//
//   - favor_precision=True: Focus FavorPrecision.
//   - include_comments=False: ExcludeComments.
//   - deduplicate=True: Deduplicate, with trafilatura's default cache of
//     4096 segments and at most 2 repeats (Config nil). go-trafilatura's
//     cache lives for one document; Python's is process-wide, so there a
//     paragraph seen in earlier documents of the same process could be
//     dropped too, which depends on document order and is not reproduced.
//   - include_tables=True, include_images=False, include_links=False,
//     include_formatting=False, target_language=None, no size limit on the
//     output tree: go-trafilatura's zero values.
//   - no_fallback=False (fast=False): Fallback, see TrafilaturaOptions.
//   - with_metadata=False: the date search is skipped (HtmlDateOverride), so
//     nothing depends on the clock (go-htmldate bounds dates by time.Now).
//
// datatrove's per-document timeout of 0.1 s is not reproduced: it depends on
// the machine. No option fetches anything: go-domdistiller runs with
// SkipPagination, and no URL is given.
func trafilaturaOptions(fallback bool) trafilatura.Options {
	return trafilatura.Options{
		Focus:            trafilatura.FavorPrecision,
		ExcludeComments:  true,
		Deduplicate:      true,
		EnableFallback:   fallback,
		HtmlDateOverride: &htmldate.Result{},
	}
}

var decodeBufs = sync.Pool{New: func() any { return new([]byte) }}

// ExtractTrafilatura extracts the main text of an HTML page with
// go-trafilatura. The page is decoded to UTF-8 exactly as Extract decodes it
// (same charset rules and Result.Charset / CharsetSource) and then parsed
// by golang.org/x/net/html, so go-trafilatura's own charset detection and
// Unicode normalisation (go-shiori/dom.Parse) are not used. The text has one
// line per paragraph, heading, list item, quote line or table row (cells
// joined by " | "), white space runs collapsed and no empty lines, as
// Python trafilatura's txt output. A page trafilatura finds no main text in
// gives an empty Text and no error. The errors are ErrInvalidUTF8 (strict
// UTF-8 only) and ErrUnparsable.
func ExtractTrafilatura(page []byte, contentType string, o TrafilaturaOptions) (res Result, err error) {
	if o.StrictUTF8 && !utf8.Valid(page) {
		return Result{}, ErrInvalidUTF8
	}
	dec := Decoded{Body: page, Charset: "utf-8", Source: SourceStrict}
	bp := decodeBufs.Get().(*[]byte)
	if !o.StrictUTF8 {
		dec, *bp = decode(page, contentType, o.PreferUTF8, *bp)
	}
	defer func() {
		if r := recover(); r != nil {
			res, err = Result{}, fmt.Errorf("%w: go-trafilatura panicked: %v", ErrUnparsable, r)
		}
	}()
	res = Result{Charset: dec.Charset, CharsetSource: dec.Source}
	doc, perr := html.Parse(bytes.NewReader(dec.Body))
	if cap(*bp) <= 4<<20 {
		decodeBufs.Put(bp) // the tree holds copies: the buffer can be reused
	}
	if perr != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrUnparsable, perr)
	}
	out, terr := trafilatura.ExtractDocument(doc, trafilaturaOptions(o.Fallback))
	if terr != nil || out == nil || out.ContentNode == nil {
		// Every go-trafilatura error means "no main text" (too short,
		// duplicated body); none is about the input's bytes.
		return res, nil
	}
	res.Text = renderText(out.ContentNode)
	if !utf8.ValidString(res.Text) {
		res.Text = toValidUTF8([]byte(res.Text))
	}
	return res, nil
}

// lineTags end a line before and after them in renderText: trafilatura's
// NEWLINE_ELEMS (p, head, lb, list, quote, row, table, graphic) and item,
// in their HTML names, plus the containers go-trafilatura can leave.
var lineTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "summary": true,
	"br": true, "hr": true, "ul": true, "ol": true, "dl": true, "li": true, "dd": true, "dt": true,
	"blockquote": true, "pre": true, "q": true, "table": true, "tr": true,
	"thead": true, "tbody": true, "tfoot": true, "caption": true, "img": true, "div": true,
	"section": true, "article": true, "main": true, "body": true, "figure": true, "figcaption": true,
	"details": true, "header": true, "footer": true, "aside": true, "nav": true, "address": true,
}

// renderText lays out go-trafilatura's result tree as text: see
// ExtractTrafilatura.
func renderText(root *html.Node) string {
	var b strings.Builder
	pre := 0 // depth of <pre> elements, whose line breaks are kept
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if pre > 0 {
				b.WriteString(n.Data)
			} else {
				writeCollapsed(&b, n.Data)
			}
			return
		case html.ElementNode, html.DocumentNode:
		default:
			return
		}
		tag := n.Data
		if tag == "td" || tag == "th" {
			for p := n.PrevSibling; p != nil; p = p.PrevSibling {
				if p.Type == html.ElementNode {
					if p.Data == "td" || p.Data == "th" {
						b.WriteString(" | ")
					}
					break
				}
			}
		}
		line := lineTags[tag]
		if line {
			b.WriteByte('\n')
		}
		if tag == "pre" {
			pre++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if tag == "pre" {
			pre--
		}
		if line {
			b.WriteByte('\n')
		}
	}
	walk(root)
	return sanitize(b.String())
}

// writeCollapsed writes s with each run of white space (line breaks
// included) as one space: outside <pre>, only elements break lines.
func writeCollapsed(b *strings.Builder, s string) {
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
}

// sanitize collapses white space within each line, drops empty lines and
// joins the rest with "\n", as trafilatura's sanitize.
func sanitize(s string) string {
	var out strings.Builder
	out.Grow(len(s))
	for line := range strings.SplitSeq(s, "\n") {
		first := true
		for _, w := range strings.Fields(line) {
			if first {
				if out.Len() > 0 {
					out.WriteByte('\n')
				}
				first = false
			} else {
				out.WriteByte(' ')
			}
			out.WriteString(w)
		}
	}
	return out.String()
}
