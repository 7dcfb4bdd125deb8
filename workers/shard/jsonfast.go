package shard

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSONLFast decodes the common JSONL line (an object whose keys are
// plain ASCII, whose "text" and "url" are strings without unusual escapes)
// several times faster than encoding/json. It returns ok=false for anything
// else (invalid JSON, a key that encoding/json would match case-insensitively,
// a duplicate key, a lone surrogate, invalid UTF-8, deep nesting), and the
// caller then decodes the line with encoding/json. When ok, the result is
// what json.Unmarshal gives for the same line.
func parseJSONLFast(line []byte) (doc jsonlLine, ok bool) {
	p := fastParser{b: line}
	p.ws()
	if !p.eat('{') {
		return doc, false
	}
	var text, url string
	var seen [4]bool
	p.ws()
	if p.eat('}') {
		return doc, p.end()
	}
	for {
		p.ws()
		key, ok := p.key()
		if !ok {
			return doc, false
		}
		p.ws()
		if !p.eat(':') {
			return doc, false
		}
		p.ws()
		field := fieldIndex(key)
		if field < 0 {
			if foldsToField(key) {
				return doc, false // encoding/json matches keys case-insensitively
			}
			if !p.skipValue(0) {
				return doc, false
			}
		} else {
			if seen[field] {
				return doc, false
			}
			seen[field] = true
			switch field {
			case 0, 1:
				if p.literal("null") {
					break // json.Unmarshal leaves the pointer nil
				}
				s, ok := p.str()
				if !ok {
					return doc, false
				}
				if field == 0 {
					text, doc.Text = s, &text
				} else {
					url, doc.URL = s, &url
				}
			case 2, 3:
				start := p.i
				if !p.skipValue(0) {
					return doc, false
				}
				raw := bytes.Clone(line[start:p.i])
				if field == 2 {
					doc.ID = raw
				} else {
					doc.Metadata = raw
				}
			}
		}
		p.ws()
		if p.eat('}') {
			return doc, p.end()
		}
		if !p.eat(',') {
			return doc, false
		}
	}
}

var jsonlFields = [4]string{"text", "url", "id", "metadata"}

func fieldIndex(key []byte) int {
	for i, f := range jsonlFields {
		if string(key) == f {
			return i
		}
	}
	return -1
}

// foldsToField reports whether an ASCII key equals a field name but for case.
func foldsToField(key []byte) bool {
	for _, f := range jsonlFields {
		if bytes.EqualFold(key, []byte(f)) {
			return true
		}
	}
	return false
}

// fastParser walks one JSON text; every method returns false (or leaves the
// position) on anything it does not handle.
type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether only whitespace is left.
func (p *fastParser) end() bool {
	p.ws()
	return p.i == len(p.b)
}

// key reads an object key made of printable ASCII without escapes.
func (p *fastParser) key() ([]byte, bool) {
	if !p.eat('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], true
		case c < 0x20 || c >= utf8.RuneSelf || c == '\\':
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// str reads a string value: valid UTF-8, the escapes of JSON, and \u
// escapes that are not lone surrogates.
func (p *fastParser) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	// The usual case first: no escapes.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := p.b[start:p.i]
			p.i++
			if !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	buf := make([]byte, 0, p.i-start+64)
	buf = append(buf, p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", false
			}
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			j := p.i + 1
			for j < len(p.b) && p.b[j] != '"' && p.b[j] != '\\' && p.b[j] >= 0x20 {
				j++
			}
			buf = append(buf, p.b[p.i:j]...)
			p.i = j
			continue
		}
		if p.i+1 >= len(p.b) {
			return "", false
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				if !p.eat('\\') || !p.eat('u') {
					return "", false
				}
				r2, ok := p.hex4()
				if !ok {
					return "", false
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", false
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (p *fastParser) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}

// skipValue moves past one JSON value, checking its grammar.
func (p *fastParser) skipValue(depth int) bool {
	if p.i >= len(p.b) || depth > 256 {
		return false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		_, ok := p.str()
		return ok
	case c == '{':
		p.i++
		p.ws()
		if p.eat('}') {
			return true
		}
		for {
			p.ws()
			if _, ok := p.str(); !ok {
				return false
			}
			p.ws()
			if !p.eat(':') {
				return false
			}
			p.ws()
			if !p.skipValue(depth + 1) {
				return false
			}
			p.ws()
			if p.eat('}') {
				return true
			}
			if !p.eat(',') {
				return false
			}
		}
	case c == '[':
		p.i++
		p.ws()
		if p.eat(']') {
			return true
		}
		for {
			p.ws()
			if !p.skipValue(depth + 1) {
				return false
			}
			p.ws()
			if p.eat(']') {
				return true
			}
			if !p.eat(',') {
				return false
			}
		}
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	default:
		return p.number()
	}
}

func (p *fastParser) literal(s string) bool {
	if bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		p.i += len(s)
		return true
	}
	return false
}

// number moves past -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (p *fastParser) number() bool {
	p.eat('-')
	digits := func() int {
		n := 0
		for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.eat('0') {
		// no more integer digits after a leading zero
	} else if digits() == 0 {
		return false
	}
	if p.eat('.') && digits() == 0 {
		return false
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}
