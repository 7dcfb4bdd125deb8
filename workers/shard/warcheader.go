package shard

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limits on a WARC header block; beyond them the stream is not a WARC file
// worth trusting.
const (
	maxHeaderBytes  = 1 << 20
	maxHeaderFields = 4096
)

// field is one header, as spans of headers.buf.
type field struct{ ns, ne, vs, ve int }

// headers is a parsed WARC header block. Its storage is reused from record to
// record.
type headers struct {
	version []byte
	buf     []byte
	fields  []field
}

func (h *headers) reset() {
	h.version = h.version[:0]
	h.buf = h.buf[:0]
	h.fields = h.fields[:0]
}

func (h *headers) name(i int) []byte  { f := h.fields[i]; return h.buf[f.ns:f.ne] }
func (h *headers) value(i int) []byte { f := h.fields[i]; return h.buf[f.vs:f.ve] }

// get returns the value of the first header named name (ASCII case
// insensitive), or nil.
func (h *headers) get(name string) []byte {
	for i := range h.fields {
		if asciiEqualFold(h.name(i), name) {
			return h.value(i)
		}
	}
	return nil
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c, d := b[i], s[i]
		if c == d {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

var errHeader = errors.New("malformed WARC header")

// trimEOL removes a trailing "\n" or "\r\n".
func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line
}

// isVersionLine reports whether line is a WARC version line such as
// "WARC/1.0", "WARC/1.1", "WARC/0.17" or "WARC/0.18".
func isVersionLine(line []byte) bool {
	line = trimEOL(line)
	if !bytes.HasPrefix(line, []byte("WARC/")) {
		return false
	}
	v := bytes.TrimRight(line[5:], " \t")
	if len(v) == 0 || len(v) > 16 {
		return false
	}
	for _, c := range v {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// addLine adds one header line (without its end of line) to h. A line
// starting with a space or tab continues the previous header's value.
func (h *headers) addLine(line []byte) error {
	if len(h.buf)+len(line) > maxHeaderBytes {
		return fmt.Errorf("%w: header block longer than %d bytes", errHeader, maxHeaderBytes)
	}
	if line[0] == ' ' || line[0] == '\t' {
		if len(h.fields) == 0 {
			return fmt.Errorf("%w: continuation line before any header", errHeader)
		}
		v := bytes.TrimSpace(line)
		f := &h.fields[len(h.fields)-1]
		if len(v) > 0 {
			if f.ve > f.vs {
				h.buf = append(h.buf, ' ')
			}
			h.buf = append(h.buf, v...)
			f.ve = len(h.buf)
		}
		return nil
	}
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return fmt.Errorf("%w: no colon in line %q", errHeader, clip(line))
	}
	if len(h.fields) >= maxHeaderFields {
		return fmt.Errorf("%w: more than %d fields", errHeader, maxHeaderFields)
	}
	name := bytes.TrimSpace(line[:colon])
	if len(name) == 0 {
		return fmt.Errorf("%w: empty name in line %q", errHeader, clip(line))
	}
	value := bytes.TrimSpace(line[colon+1:])
	var f field
	f.ns = len(h.buf)
	h.buf = append(h.buf, name...)
	f.ne = len(h.buf)
	f.vs = len(h.buf)
	h.buf = append(h.buf, value...)
	f.ve = len(h.buf)
	h.fields = append(h.fields, f)
	return nil
}

// clip shortens b for an error message.
func clip(b []byte) []byte {
	if len(b) > 60 {
		return b[:60]
	}
	return b
}

// parseContentLength parses a non-negative decimal length.
func parseContentLength(v []byte) (int64, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// trimAngle removes one pair of enclosing angle brackets.
func trimAngle(v []byte) []byte {
	v = bytes.TrimSpace(v)
	if len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>' {
		v = bytes.TrimSpace(v[1 : len(v)-1])
	}
	return v
}

// appendMetadata appends the headers as a JSON object in header order; a
// repeated name keeps its first position and its last value, as Python's
// dict(record.headers) does.
func (h *headers) appendMetadata(dst []byte) []byte {
	dst = append(dst, '{')
	first := true
	for i := range h.fields {
		name := h.name(i)
		dup := false
		for j := 0; j < i; j++ {
			if bytes.Equal(h.name(j), name) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		v := h.value(i)
		for j := i + 1; j < len(h.fields); j++ {
			if bytes.Equal(h.name(j), name) {
				v = h.value(j)
			}
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, name)
		dst = append(dst, ':')
		dst = appendJSONString(dst, v)
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
