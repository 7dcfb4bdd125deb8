package extract

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Frame flags.
const (
	fSkip         uint16 = 1 << iota // this element starts a dropped subtree
	fList                            // ul, ol or menu: a list level
	fImplicitList                    // an <li> outside any list: its own level
	fLi                              // a list item
	fPre                             // pre-formatted
	fArticle                         // an article or main element: context for header/footer
	fZone                            // the main-content zone (role=main, ...)
	fButton                          // a button extracted as a form field
	fCheck                           // dropped at its end if its content says so
	fLink                            // an <a> whose URL is to be appended
)

// maxDepth bounds the stack of open elements, as browsers bound the depth of
// the DOM: deeper start tags are treated as if they had no content.
const maxDepth = 512

// maxNoscript bounds the re-tokenizing of <noscript> contents.
const maxNoscript = 2

// scanLimit bounds the search for an element that a start tag closes
// implicitly (an open <p>, <li>, ...), so that malformed input stays linear.
const scanLimit = 64

// frame is an open element.
type frame struct {
	key    uint32 // atom, or customKey|id for names without an atom
	flags  uint16
	ord    int32 // ol: the number of the last item
	snap   snapshot
	text   int // x.textTotal when the element started
	links  int // x.linkTotal when the element started
	ratio  float32
	maxLen int32
	minLen int32
	href   []byte
}

const customKey = 1 << 31

// attrs holds the attributes of the current start tag that matter. The
// slices point into the tokenizer's buffer and live until its next token.
type attrs struct {
	class, id, role, style, alt, href, typ, value, placeholder, rel, itemprop []byte
	hidden, ariaHidden, dataAd, open                                          bool
}

// extractor holds the state of one extraction; instances are pooled.
type extractor struct {
	opts     *Options
	w        writer
	stack    []frame
	open     map[uint32]int32
	custom   map[string]uint32
	skipAt   int // index of the frame that started the dropped subtree, or -1
	headAt   int // index of the open <head> frame, or -1
	raw      atom.Atom
	textTot  int
	linkTot  int
	articles int
	rowCells int
	links    int // open <a> elements
	zone     zone
	at       attrs
	ws       wordScanner
	name     []byte // scratch: the lower-cased tag name
	dec      []byte // scratch: the document decoded to UTF-8
	rd       bytes.Reader
}

func (x *extractor) release() {
	x.opts = nil
	x.at = attrs{}
	x.rd.Reset(nil)
	if cap(x.w.out) > 1<<20 {
		x.w.out = nil
	}
	if cap(x.dec) > 4<<20 {
		x.dec = nil
	}
	if cap(x.stack) > 4*maxDepth {
		x.stack = nil
	}
}

// run extracts the text of body (UTF-8) and returns it (valid until the
// extractor is reused).
func (x *extractor) run(body []byte, o *Options) []byte {
	x.opts = o
	x.w.reset(o.PreserveFormatting, o.ListBullets)
	x.stack = x.stack[:0]
	if x.open == nil {
		x.open = make(map[uint32]int32, 64)
		x.custom = make(map[string]uint32)
	}
	clear(x.open)
	clear(x.custom)
	x.skipAt, x.headAt = -1, -1
	x.raw = 0
	x.textTot, x.linkTot, x.articles, x.rowCells, x.links = 0, 0, 0, 0, 0
	x.zone = zone{}
	x.walk(body, 0)
	if o.MainContent {
		if t, ok := x.zone.text(x.w.out); ok {
			return t
		}
	}
	return x.w.finish()
}

// walk tokenizes body; nest > 0 for the contents of a <noscript>.
func (x *extractor) walk(body []byte, nest int) {
	var z *html.Tokenizer
	if nest == 0 {
		x.rd.Reset(body)
		z = html.NewTokenizer(&x.rd)
	} else {
		z = html.NewTokenizer(bytes.NewReader(body))
	}
	base := len(x.stack)
	for {
		tt := z.Next()
		raw := x.raw
		x.raw = 0
		switch tt {
		case html.ErrorToken:
			if nest > 0 {
				x.popTo(base)
			}
			return
		case html.TextToken:
			if raw != 0 {
				x.rawText(raw, z.Text(), nest)
			} else {
				x.onText(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			x.onStart(z.Raw(), tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			x.onEnd(z.Raw())
		}
	}
}

// active reports whether text and elements are extracted at this point.
func (x *extractor) active() bool { return x.skipAt < 0 }

// onText writes a text token, counting its length (and, inside a link, its
// link length) for the elements that are dropped when mostly links.
func (x *extractor) onText(t []byte) {
	if x.skipAt >= 0 {
		return
	}
	n := trimmedLen(t)
	x.textTot += n
	if x.links > 0 {
		x.linkTot += n
	}
	x.w.text(t)
}

// rawText handles the contents of script, style, textarea, noscript, ...
func (x *extractor) rawText(a atom.Atom, t []byte, nest int) {
	if !x.active() {
		return
	}
	switch a {
	case atom.Noscript:
		if x.opts.Noscript && nest < maxNoscript {
			x.walk(t, nest+1)
			x.raw = 0 // the contents may end in a raw-text start tag
		}
	case atom.Textarea:
		if x.opts.FormFields {
			x.bracketed(t)
		}
	case atom.Plaintext, atom.Xmp:
		x.w.text(t)
	}
}

// bracketed writes a form field value as "[ value ]".
func (x *extractor) bracketed(v []byte) {
	if trimmedLen(v) == 0 {
		return
	}
	x.w.text([]byte(" [ "))
	x.w.text(v)
	x.w.text([]byte(" ] "))
}

func (x *extractor) onStart(raw []byte, selfClosing bool) {
	var name, attrList []byte
	name, attrList, x.name = rawTag(raw, x.name)
	a := atom.Lookup(name)
	props := tagProps[a]
	if a == atom.Html {
		return
	}
	if a == atom.Body {
		if x.headAt >= 0 {
			x.popTo(x.headAt)
		}
		return
	}
	if x.headAt >= 0 && props&tHeadOK == 0 {
		x.popTo(x.headAt)
	}
	if props&tRaw != 0 {
		x.raw = a
		if props&tBlock != 0 && x.active() {
			x.w.block(1)
		}
		return
	}
	x.implicitClose(a, props)
	// At maxDepth a start tag is treated as if it had no content.
	void := selfClosing || props&tVoid != 0 || len(x.stack) >= maxDepth
	key := uint32(a)
	if a == 0 {
		key = x.customKey(name)
	}
	if !x.active() {
		if !void {
			x.push(key, 0)
		}
		return
	}
	x.at = attrs{}
	x.readAttrs(attrList)
	v := x.dropped(a, props)
	if v.drop {
		if props&tBlock != 0 {
			x.w.block(1)
		}
		if !void {
			x.push(key, fSkip)
			x.skipAt = len(x.stack) - 1
			if a == atom.Head {
				x.headAt = x.skipAt
			}
		}
		return
	}
	if void {
		x.voidElement(a)
		return
	}
	var flags uint16
	if x.opts.MainContent && x.zoneMark() {
		flags = x.zone.open(len(x.w.out))
	}
	x.startElement(a, key, props, flags, v)
}

// implicitClose closes the elements that a start tag of a closes.
func (x *extractor) implicitClose(a atom.Atom, props uint16) {
	if props&tClosesP != 0 && x.open[uint32(atom.P)] > 0 {
		x.closeNearest(atom.P, 0, atom.Table, atom.Td, atom.Th, atom.Button, atom.Caption)
	}
	switch a {
	case atom.Li:
		x.closeNearest(atom.Li, 0, atom.Ul, atom.Ol, atom.Menu)
	case atom.Dt, atom.Dd:
		x.closeNearest(atom.Dt, atom.Dd, atom.Dl)
	case atom.Tr:
		x.closeNearest(atom.Tr, 0, atom.Table)
	case atom.Td, atom.Th:
		x.closeNearest(atom.Td, atom.Th, atom.Tr, atom.Table)
	case atom.Option, atom.Optgroup:
		x.closeNearest(atom.Option, 0, atom.Select)
	case atom.A:
		x.closeNearest(atom.A, 0)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if n := len(x.stack); n > 0 {
			switch atom.Atom(x.stack[n-1].key) {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				x.popTo(n - 1)
			}
		}
	}
}

// closeNearest closes the nearest open t1 or t2 unless one of stops is open
// above it, looking at most scanLimit frames down.
func (x *extractor) closeNearest(t1, t2 atom.Atom, stops ...atom.Atom) {
	if x.open[uint32(t1)] == 0 && (t2 == 0 || x.open[uint32(t2)] == 0) {
		return
	}
	for i := len(x.stack) - 1; i >= 0 && i >= len(x.stack)-scanLimit; i-- {
		k := atom.Atom(x.stack[i].key)
		if k == t1 || (t2 != 0 && k == t2) {
			x.popTo(i)
			return
		}
		for _, s := range stops {
			if k == s {
				return
			}
		}
	}
}

// customKey returns the key of an element name that has no atom.
func (x *extractor) customKey(name []byte) uint32 {
	if id, ok := x.custom[string(name)]; ok {
		return id
	}
	id := uint32(len(x.custom)) | customKey
	x.custom[string(name)] = id
	return id
}

// push opens an element. At maxDepth the element is not pushed: it behaves
// as if empty, and a dummy frame is returned.
func (x *extractor) push(key uint32, flags uint16) *frame {
	if len(x.stack) >= maxDepth {
		var dummy frame
		return &dummy
	}
	x.stack = append(x.stack, frame{key: key, flags: flags})
	x.open[key]++
	if key == uint32(atom.A) {
		x.links++
	}
	return &x.stack[len(x.stack)-1]
}

func (x *extractor) onEnd(raw []byte) {
	var name []byte
	name, _, x.name = rawTag(raw, x.name)
	a := atom.Lookup(name)
	key := uint32(a)
	if a == 0 {
		var ok bool
		if key, ok = x.custom[string(name)]; !ok {
			return
		}
	}
	switch a {
	case atom.Html, atom.Body:
		return
	case atom.Br:
		if x.active() {
			x.w.lineBreak()
		}
		return
	}
	if x.open[key] == 0 {
		if a == atom.P && x.active() {
			x.w.block(2)
		}
		return
	}
	for i := len(x.stack) - 1; i >= 0; i-- {
		if x.stack[i].key == key {
			x.popTo(i)
			return
		}
	}
}

// popTo closes the elements from the top of the stack down to index i.
func (x *extractor) popTo(i int) {
	for len(x.stack) > i {
		x.pop()
	}
}

// pop closes the top element.
func (x *extractor) pop() {
	top := len(x.stack) - 1
	f := x.stack[top]
	x.stack = x.stack[:top]
	x.open[f.key]--
	if f.key == uint32(atom.A) {
		x.links--
	}
	if top == x.headAt {
		x.headAt = -1
	}
	switch {
	case top == x.skipAt:
		x.skipAt = -1
		if isBlock(atom.Atom(f.key)) {
			x.w.block(1)
		}
	case x.skipAt < 0:
		x.endElement(&f)
		if f.flags&fZone != 0 {
			x.zone.close(len(x.w.out))
		}
	}
}
