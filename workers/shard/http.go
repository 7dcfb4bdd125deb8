package shard

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
)

// httpResponse is the part of an HTTP response a reader needs.
type httpResponse struct {
	status      int
	contentType []byte
	chunked     bool
	encodings   [][]byte // Content-Encoding codings, in the order applied
	body        []byte   // the raw body, a slice of the record block
}

var errBadHTTP = errors.New("bad HTTP response")

// parseHTTP parses an HTTP/1.x response held in block: status line, headers
// (folded lines allowed, LF or CRLF), body. The returned slices alias block.
func parseHTTP(block []byte) (httpResponse, error) {
	var resp httpResponse
	line, rest := cutLine(block)
	if !bytes.HasPrefix(line, []byte("HTTP/")) {
		return resp, errBadHTTP
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return resp, errBadHTTP
	}
	code := bytes.TrimLeft(line[sp:], " ")
	if len(code) < 3 || (len(code) > 3 && code[3] != ' ' && code[3] != '\t') {
		return resp, errBadHTTP
	}
	for _, c := range code[:3] {
		if c < '0' || c > '9' {
			return resp, errBadHTTP
		}
		resp.status = resp.status*10 + int(c-'0')
	}
	for {
		if len(rest) == 0 {
			// Headers without the blank line: no body.
			return resp, nil
		}
		line, rest = cutLine(rest)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // folded continuation: none of the headers we use folds
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue // tolerate garbage header lines, as browsers do
		}
		name, value := bytes.TrimSpace(line[:colon]), bytes.TrimSpace(line[colon+1:])
		switch {
		case asciiEqualFold(name, "content-type"):
			if resp.contentType == nil {
				resp.contentType = value
			}
		case asciiEqualFold(name, "transfer-encoding"):
			for _, c := range bytes.Split(value, []byte(",")) {
				if asciiEqualFold(bytes.TrimSpace(c), "chunked") {
					resp.chunked = true
				}
			}
		case asciiEqualFold(name, "content-encoding"):
			for _, c := range bytes.Split(value, []byte(",")) {
				c = bytes.TrimSpace(c)
				if len(c) > 0 && !asciiEqualFold(c, "identity") {
					resp.encodings = append(resp.encodings, c)
				}
			}
		}
	}
	resp.body = rest
	return resp, nil
}

// cutLine splits b after its first line, returning the line without its end
// of line.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return trimCR(b), nil
	}
	return trimCR(b[:i]), b[i+1:]
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

// mediaType returns the lower-cased media type of a Content-Type value.
func mediaType(ct []byte) string {
	if i := bytes.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = bytes.TrimSpace(ct)
	return string(bytes.ToLower(ct))
}

// isHTMLType reports whether a Content-Type names HTML.
func isHTMLType(ct []byte) bool {
	switch mediaType(ct) {
	case "text/html", "application/xhtml+xml":
		return true
	}
	return false
}

// sniffHTML reports whether a body without a usable Content-Type looks like
// HTML: one of a few tags near its start.
func sniffHTML(b []byte) bool {
	if len(b) > 1024 {
		b = b[:1024]
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n\f")
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	var low [1024]byte
	l := low[:len(b)]
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<title", "<meta"} {
		if bytes.Contains(l, []byte(tag)) {
			return true
		}
	}
	return false
}

// dechunk decodes a chunked body into dst. A body that does not start with a
// chunk-size line is taken as already decoded (crawlers often store it so);
// a chunked body cut short (Common Crawl truncates payloads) keeps what was
// decoded.
func dechunk(dst, b []byte) ([]byte, bool) {
	first := true
	for len(b) > 0 {
		line, rest := cutLine(b)
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		line = bytes.TrimSpace(line)
		size, err := strconv.ParseUint(string(line), 16, 63)
		if err != nil || len(line) == 0 {
			if first {
				return dst, false
			}
			return dst, true
		}
		first = false
		if size == 0 {
			return dst, true
		}
		if size > uint64(len(rest)) {
			return append(dst, rest...), true
		}
		dst = append(dst, rest[:size]...)
		b = rest[size:]
		if len(b) > 0 && b[0] == '\r' {
			b = b[1:]
		}
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
	return dst, !first
}

// errTooLarge reports a body over MaxDecompressedBytes.
var errTooLarge = errors.New("decompressed body too large")

// errEncoding reports a Content-Encoding that cannot be decoded.
var errEncoding = errors.New("bad content encoding")

// decoders holds the Content-Encoding decoders of one Reader, reused from
// record to record.
type decoders struct {
	gz  *gzip.Reader
	fl  io.ReadCloser
	zl  io.ReadCloser
	br  *brotli.Reader
	src bytes.Reader
}

// decode undoes one Content-Encoding of body into dst (reset first), reading
// at most limit bytes, and returns dst's bytes. It returns nil, nil for a
// gzip body without the gzip magic bytes: it is taken as already decoded
// (Common Crawl stores decoded payloads). A stream cut short keeps what was
// decoded.
func (d *decoders) decode(dst *bytes.Buffer, coding, body []byte, limit int64) ([]byte, error) {
	d.src.Reset(body)
	var r io.Reader
	var err error
	switch {
	case asciiEqualFold(coding, "gzip"), asciiEqualFold(coding, "x-gzip"):
		if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
			return nil, nil
		}
		if d.gz == nil {
			d.gz, err = gzip.NewReader(&d.src)
		} else {
			err = d.gz.Reset(&d.src)
		}
		if err != nil {
			return nil, errEncoding
		}
		r = d.gz
	case asciiEqualFold(coding, "deflate"):
		if len(body) >= 2 && body[0]&0x0f == 8 && (uint(body[0])<<8|uint(body[1]))%31 == 0 {
			if d.zl == nil {
				d.zl, err = zlib.NewReader(&d.src)
			} else {
				err = d.zl.(zlib.Resetter).Reset(&d.src, nil)
			}
			if err != nil {
				return nil, errEncoding
			}
			r = d.zl
		} else {
			if d.fl == nil {
				d.fl = flate.NewReader(&d.src)
			} else if err := d.fl.(flate.Resetter).Reset(&d.src, nil); err != nil {
				return nil, errEncoding
			}
			r = d.fl
		}
	case asciiEqualFold(coding, "br"):
		if d.br == nil {
			d.br = brotli.NewReader(&d.src)
		} else if err := d.br.Reset(&d.src); err != nil {
			return nil, errEncoding
		}
		r = d.br
	default:
		return nil, errEncoding
	}
	dst.Reset()
	n, err := dst.ReadFrom(io.LimitReader(r, limit+1))
	if n > limit {
		return nil, errTooLarge
	}
	// A stream cut short keeps its decoded prefix: crawlers cut pages.
	if err != nil && (n == 0 || !errors.Is(err, io.ErrUnexpectedEOF)) {
		return nil, errEncoding
	}
	return dst.Bytes(), nil
}
