package extract

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// verdict is what the main-content rules say of an element.
type verdict struct {
	drop    bool
	article bool    // an article-like element: headers and footers inside stay
	ratio   float32 // drop at the end if link text / text exceeds this
	maxLen  int32   // ... and the text is at most this long (0: any length)
	minLen  int32   // drop at the end if the text is shorter than this
}

func (v verdict) check() bool { return v.ratio > 0 || v.minLen > 0 }

// readAttrs reads the attribute list of the current start tag (raw bytes,
// as rawTag returns it) into x.at, lower-casing names, class, id and the
// enumerated values in place. As in the tokenizer, the first of two
// attributes with the same name wins.
func (x *extractor) readAttrs(list []byte) {
	at := &x.at
	for {
		k, v, rest, ok := nextAttr(list)
		if !ok {
			return
		}
		list = rest
		switch string(lowerInPlace(k)) {
		case "class":
			if at.class == nil {
				at.class = lowerInPlace(v)
			}
		case "id":
			if at.id == nil {
				at.id = lowerInPlace(v)
			}
		case "role":
			if at.role == nil {
				at.role = lowerInPlace(bytes.TrimSpace(v))
			}
		case "style":
			at.style = lowerInPlace(v)
		case "alt":
			at.alt = v
		case "href":
			at.href = v
		case "type":
			at.typ = lowerInPlace(bytes.TrimSpace(v))
		case "value":
			at.value = v
		case "placeholder":
			at.placeholder = v
		case "rel":
			at.rel = lowerInPlace(bytes.TrimSpace(v))
		case "itemprop":
			at.itemprop = lowerInPlace(bytes.TrimSpace(v))
		case "hidden":
			at.hidden = true
		case "aria-hidden":
			at.ariaHidden = bytes.EqualFold(bytes.TrimSpace(v), []byte("true"))
		case "data-ad", "data-advertisement", "data-advertisment", "data-text-ad", "data-ad-slot":
			at.dataAd = true
		case "open":
			at.open = true
		}
	}
}

// unescaped resolves the character references of an attribute value that
// becomes text.
func unescaped(v []byte) []byte {
	if bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return []byte(html.UnescapeString(string(v)))
}

// dropped decides whether the element a (attributes in x.at) is dropped.
func (x *extractor) dropped(a atom.Atom, props uint16) verdict {
	o := x.opts
	switch {
	case props&tSkip != 0:
		return verdict{drop: true}
	case props&tForm != 0 && !o.FormFields:
		return verdict{drop: true}
	case a == atom.Dialog && !x.at.open:
		return verdict{drop: true}
	case a == atom.Img || a == atom.Area:
		return verdict{drop: !o.AltTexts}
	}
	if !o.MainContent {
		return verdict{}
	}
	return x.mainContent(a)
}

// mainContent applies the main-content rules to element a.
func (x *extractor) mainContent(a atom.Atom) verdict {
	at := &x.at
	depth := len(x.stack) + 1 // 1 for a child of <body>
	var v verdict
	switch a {
	case atom.Main:
		return verdict{article: true}
	case atom.H1:
		return v
	case atom.Nav, atom.Aside:
		return verdict{drop: true}
	case atom.Footer:
		if x.articles == 0 {
			return verdict{drop: true}
		}
		v.ratio = 0.2
	case atom.Header:
		if x.articles == 0 && depth <= 3 {
			return verdict{drop: true}
		}
	case atom.Ul, atom.Menu:
		v.ratio = 0.5
	case atom.Article:
		v.article = true
		if depth > 2 {
			v.ratio, v.maxLen = 0.2, 500
		}
	case atom.Form:
		v.ratio, v.maxLen, v.minLen = 0.5, 1500, 400
	}
	if at.hidden || at.ariaHidden || at.dataAd ||
		badRels[string(at.rel)] || badItemprops[string(at.itemprop)] || hiddenStyle(at.style) {
		return verdict{drop: true}
	}
	if len(at.role) > 0 {
		if string(at.role) == "main" || string(at.role) == "article" {
			return verdict{article: true}
		}
		if badRoles[string(at.role)] {
			return verdict{drop: true}
		}
	}
	if len(at.class) == 0 && len(at.id) == 0 {
		if a == atom.Div && depth > 5 && !v.check() {
			v.ratio, v.maxLen = 0.6, 800
		}
		return v
	}
	cls := x.ws.classify(at.class, false)
	ids := x.ws.classify(at.id, true)
	both := cls | ids
	switch {
	case cls&catHidden != 0:
		return verdict{drop: true}
	case both&catSkipLink != 0 && (a == atom.A || a == atom.Div || a == atom.Li || a == atom.Span):
		return verdict{drop: true}
	case depth > 2 && cls&(catSignin|catPostMeta|catSocial) != 0:
		return verdict{drop: true}
	case both&(catLogo|catAds) != 0:
		return verdict{drop: true}
	}
	if !isBlock(a) && a != atom.Td {
		return v
	}
	if both&catArticle != 0 {
		v.article = true
		return v
	}
	const drop = catHeader | catFooter | catNav | catRecommended | catSearch | catSidebar |
		catModal | catGallery | catPrint | catLandmark
	if both&drop != 0 || (!x.opts.Comments && both&catComments != 0) {
		return verdict{drop: true}
	}
	if a == atom.Div && depth > 2 && !v.check() {
		v.ratio, v.maxLen = 0.6, 1500
	}
	return v
}

// voidElement handles an element without content.
func (x *extractor) voidElement(a atom.Atom) {
	w := &x.w
	switch a {
	case atom.Br:
		w.lineBreak()
	case atom.Hr:
		w.block(1)
	case atom.Img, atom.Area:
		if x.opts.AltTexts && trimmedLen(x.at.alt) > 0 {
			w.space = len(w.out) > 0
			w.text(unescaped(x.at.alt))
			w.space = true
		}
	case atom.Input:
		switch string(x.at.typ) {
		case "checkbox", "color", "file", "hidden", "radio", "reset", "image", "password":
			return
		}
		if len(x.at.value) > 0 {
			x.bracketed(unescaped(x.at.value))
		} else {
			x.bracketed(unescaped(x.at.placeholder))
		}
	default:
		// A self-closed element ("<div/>", "<p/>") is an empty one.
		if props := tagProps[a]; props&tPara != 0 {
			w.block(2)
		} else if props&tBlock != 0 {
			w.block(1)
		}
	}
}

// startElement opens an element that is extracted.
func (x *extractor) startElement(a atom.Atom, key uint32, props uint16, flags uint16, v verdict) {
	w := &x.w
	if props&tPara != 0 {
		w.block(2)
	} else if props&tBlock != 0 {
		w.block(1)
	}
	ord := int32(-1)
	if v.article || a == atom.Article || a == atom.Main {
		flags |= fArticle
		x.articles++
	}
	switch a {
	case atom.Ul, atom.Ol, atom.Menu:
		flags |= fList
		w.listDepth++
		if a == atom.Ol {
			ord = 0
		}
	case atom.Li:
		flags |= fLi
		n, found := x.nextItem()
		if !found {
			flags |= fImplicitList
			w.listDepth++
		}
		w.listItem(n)
	case atom.Pre, atom.Listing:
		flags |= fPre
		w.pre++
	case atom.Tr:
		x.rowCells = 0
	case atom.Td, atom.Th:
		if x.rowCells > 0 {
			w.cellSep()
		}
		x.rowCells++
	case atom.A:
		if x.opts.Links && trimmedLen(x.at.href) > 0 {
			flags |= fLink
		}
	case atom.Button:
		flags |= fButton
		w.text([]byte(" [ "))
	}
	if v.check() {
		flags |= fCheck
	}
	f := x.push(key, flags)
	f.ord = ord
	if flags&fLink != 0 {
		f.href = append(f.href[:0], bytes.TrimSpace(unescaped(x.at.href))...)
	}
	if v.check() {
		f.snap = w.snap()
		f.text, f.links = x.textTot, x.linkTot
		f.ratio, f.maxLen, f.minLen = v.ratio, v.maxLen, v.minLen
	}
}

// nextItem returns the number of a new list item (0 for a bullet) and
// whether it is inside a list.
func (x *extractor) nextItem() (int32, bool) {
	for i := len(x.stack) - 1; i >= 0 && i >= len(x.stack)-scanLimit; i-- {
		f := &x.stack[i]
		if f.flags&fList != 0 {
			if f.ord < 0 {
				return 0, true
			}
			f.ord++
			return f.ord, true
		}
		if f.flags&fLi != 0 {
			break
		}
	}
	return 0, false
}

// endElement closes an element that was extracted.
func (x *extractor) endElement(f *frame) {
	w := &x.w
	a := atom.Atom(f.key)
	if f.flags&fCheck != 0 {
		t, l := x.textTot-f.text, x.linkTot-f.links
		if (f.ratio > 0 && (f.maxLen == 0 || t <= int(f.maxLen)) && l > 0 && float32(l) > f.ratio*float32(t)) ||
			(f.minLen > 0 && t < int(f.minLen)) {
			w.rollback(f.snap)
			x.zone.rolledBack(f.snap.n)
			x.textTot, x.linkTot = f.text, f.links
		}
	}
	if f.flags&fLink != 0 {
		w.text([]byte(" ("))
		w.text(f.href)
		w.text([]byte(") "))
	}
	if f.flags&fButton != 0 {
		w.text([]byte(" ] "))
	}
	if f.flags&(fList|fImplicitList) != 0 {
		w.listDepth--
	}
	if f.flags&fLi != 0 {
		w.bullet = false
	}
	if f.flags&fPre != 0 {
		w.pre--
	}
	if f.flags&fArticle != 0 {
		x.articles--
	}
	props := tagProps[a]
	if props&tPara != 0 {
		w.block(2)
	} else if props&tBlock != 0 || f.flags&fLi != 0 {
		w.block(1)
	}
}

// hiddenStyle reports whether an inline style hides the element.
func hiddenStyle(s []byte) bool {
	return len(s) > 0 && (styleIs(s, "display", "none") || styleIs(s, "visibility", "hidden"))
}

// styleIs reports whether style s sets property prop to value val.
func styleIs(s []byte, prop, val string) bool {
	for {
		i := bytes.Index(s, []byte(prop))
		if i < 0 {
			return false
		}
		s = s[i+len(prop):]
		j := 0
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != ':' {
			continue
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if bytes.HasPrefix(s[j:], []byte(val)) {
			k := j + len(val)
			if k == len(s) || s[k] == ';' || s[k] == '!' || isSpace(s[k]) {
				return true
			}
		}
	}
}

// lowerInPlace lower-cases ASCII letters of b in place.
func lowerInPlace(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// trimmedLen is the length of t without leading and trailing white space.
func trimmedLen(t []byte) int {
	i, j := 0, len(t)
	for i < j && isSpace(t[i]) {
		i++
	}
	for j > i && isSpace(t[j-1]) {
		j--
	}
	return j - i
}
