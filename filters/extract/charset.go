package extract

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// ErrInvalidUTF8 is returned by Text in strict UTF-8 mode when the HTML is
// not valid UTF-8 (DCLM's `.decode("utf-8")` would have raised).
var ErrInvalidUTF8 = errors.New("html is not valid UTF-8")

// Where the charset used to decode a page came from.
const (
	SourceBOM     = "bom"     // a byte order mark
	SourceHeader  = "header"  // the charset parameter of the HTTP Content-Type
	SourceMeta    = "meta"    // <meta charset> or <meta http-equiv="Content-Type">
	SourceUTF8    = "utf8"    // undeclared, or overridden: the bytes are valid UTF-8
	SourceDefault = "default" // undeclared and not UTF-8: WHATWG's windows-1252
	SourceStrict  = "strict"  // strict UTF-8 mode
)

// metaScanLimit bounds how far into a document a <meta> charset is looked
// for. WHATWG's prescan stops at 1024 bytes; real pages often declare it
// later, after long <script> or <link> runs in <head>, so the whole head is
// scanned up to this limit.
const metaScanLimit = 16 << 10

var boms = []struct {
	bom  []byte
	name string
}{
	{[]byte{0xEF, 0xBB, 0xBF}, "utf-8"},
	{[]byte{0xFE, 0xFF}, "utf-16be"},
	{[]byte{0xFF, 0xFE}, "utf-16le"},
}

// Decoded is the result of Decode: UTF-8 bytes, the WHATWG name of the
// charset they were decoded from and where that charset came from.
type Decoded struct {
	Body    []byte
	Charset string
	Source  string
}

// Decode converts an HTML body to UTF-8. The charset is taken, in order, from
// a byte order mark, the charset parameter of contentType, or a <meta> in the
// document's head (golang.org/x/net/html/charset names, WHATWG labels). When
// preferUTF8 is set and the body is valid UTF-8 with non-ASCII bytes, UTF-8
// wins over a declared charset (servers often declare one they do not use).
// Undeclared bodies that are valid UTF-8 are UTF-8; others are windows-1252,
// the WHATWG fallback. Invalid sequences decode to U+FFFD; Decode never
// fails. Body may alias doc when no conversion was needed.
func Decode(doc []byte, contentType string, preferUTF8 bool) Decoded {
	d, _ := decode(doc, contentType, preferUTF8, nil)
	return d
}

// decode is Decode writing converted text into buf (grown as needed), which
// it returns for reuse.
func decode(doc []byte, contentType string, preferUTF8 bool, buf []byte) (Decoded, []byte) {
	for _, b := range boms {
		if bytes.HasPrefix(doc, b.bom) {
			return decodeWith(doc[len(b.bom):], b.name, SourceBOM, buf)
		}
	}
	name, source := declared(doc, contentType)
	if name == "utf-8" || name == "" || preferUTF8 {
		if valid, ascii := utf8Status(doc); valid {
			switch {
			case name == "":
				return Decoded{Body: doc, Charset: "utf-8", Source: SourceUTF8}, buf
			case name == "utf-8" || ascii:
				// ASCII decodes alike in every ASCII-compatible charset.
				return Decoded{Body: doc, Charset: name, Source: source}, buf
			default:
				return Decoded{Body: doc, Charset: "utf-8", Source: SourceUTF8}, buf
			}
		}
	}
	if name == "" {
		name, source = "windows-1252", SourceDefault
	}
	return decodeWith(doc, name, source, buf)
}

// declared returns the charset named by contentType, else by a <meta> in the
// head, as a canonical WHATWG name, with its source; "" when none is known.
func declared(doc []byte, contentType string) (name, source string) {
	if contentType != "" {
		if n := canonical(charsetFromContent(contentType)); n != "" {
			return n, SourceHeader
		}
	}
	if n := metaCharset(doc); n != "" {
		return n, SourceMeta
	}
	return "", ""
}

// canonical maps a charset label to its WHATWG name, "" when unknown.
// UTF-16 labels in a <meta> or header of an 8-bit document mean UTF-8
// (WHATWG), and x-user-defined is treated as windows-1252.
func canonical(label string) string {
	if label == "" {
		return ""
	}
	_, name := charset.Lookup(label)
	switch name {
	case "utf-16be", "utf-16le":
		return "utf-8"
	case "x-user-defined":
		return "windows-1252"
	}
	return name
}

// metaCharset finds a charset declared by a <meta> element before the body
// starts, looking at most metaScanLimit bytes into the document.
func metaCharset(doc []byte) string {
	if len(doc) > metaScanLimit {
		doc = doc[:metaScanLimit]
	}
	if !containsFold(doc, "charset") {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Meta:
				if hasAttr {
					if n := metaTagCharset(z); n != "" {
						return n
					}
				}
			case atom.Body, atom.P, atom.Div, atom.Table, atom.H1, atom.Ul:
				return ""
			}
		}
	}
}

// metaTagCharset reads the attributes of a <meta> start tag.
func metaTagCharset(z *html.Tokenizer) string {
	var cs, content string
	httpEquiv := false
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "charset":
			cs = string(v)
		case "content":
			content = string(v)
		case "http-equiv":
			httpEquiv = bytes.EqualFold(bytes.TrimSpace(v), []byte("content-type"))
		}
	}
	if n := canonical(cs); n != "" {
		return n
	}
	if httpEquiv {
		return canonical(charsetFromContent(content))
	}
	return ""
}

// charsetFromContent extracts the value of "charset=" from a Content-Type
// string (an HTTP header or a <meta> content attribute) as WHATWG's "extract
// a character encoding from a meta element" does.
func charsetFromContent(s string) string {
	for i := 0; i+7 <= len(s); i++ {
		if !equalFoldASCII(s[i:i+7], "charset") {
			continue
		}
		j := i + 7
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			i = j - 1
			continue
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return ""
		}
		if q := s[j]; q == '"' || q == '\'' {
			end := j + 1
			for end < len(s) && s[end] != q {
				end++
			}
			if end >= len(s) {
				return ""
			}
			return s[j+1 : end]
		}
		end := j
		for end < len(s) && !isSpace(s[end]) && s[end] != ';' {
			end++
		}
		return s[j:end]
	}
	return ""
}

// decodeWith decodes body from the charset called name (a WHATWG name) into
// buf, grown as needed; it returns the result and buf for reuse.
func decodeWith(body []byte, name, source string, buf []byte) (Decoded, []byte) {
	if name == "utf-8" {
		return Decoded{Body: body, Charset: name, Source: source}, buf
	}
	enc, canon := charset.Lookup(name)
	if enc == nil {
		enc, canon = charmap.Windows1252, "windows-1252"
	}
	out, err := transformInto(enc.NewDecoder(), body, buf)
	if err != nil {
		// x/text decoders replace invalid input rather than fail; should
		// one fail all the same, windows-1252 maps every byte.
		out, _ = transformInto(charmap.Windows1252.NewDecoder(), body, buf)
		canon = "windows-1252"
	}
	return Decoded{Body: out, Charset: canon, Source: source}, out
}

// transformInto runs t over src into buf's storage, growing it as needed.
func transformInto(t transform.Transformer, src, buf []byte) ([]byte, error) {
	t.Reset()
	if want := 2*len(src) + 64; cap(buf) < want {
		buf = make([]byte, want)
	}
	dst := buf[:cap(buf)]
	nDst := 0
	for {
		n, m, err := t.Transform(dst[nDst:], src, true)
		nDst += n
		src = src[m:]
		switch err {
		case nil:
			return dst[:nDst], nil
		case transform.ErrShortDst:
			grown := make([]byte, 2*len(dst)+64)
			copy(grown, dst[:nDst])
			dst = grown
		default:
			return dst[:nDst], err
		}
	}
}

// utf8Status reports whether b is valid UTF-8 and whether it is pure ASCII.
func utf8Status(b []byte) (valid, ascii bool) {
	i := 0
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			break
		}
	}
	if i == len(b) {
		return true, true
	}
	return utf8.Valid(b[i:]), false
}

// containsFold reports whether b contains lower (lower-case ASCII) in any
// ASCII case.
func containsFold(b []byte, lower string) bool {
	n := len(lower)
outer:
	for i := 0; i+n <= len(b); i++ {
		for k := 0; k < n; k++ {
			c := b[i+k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[k] {
				continue outer
			}
		}
		return true
	}
	return false
}

func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
