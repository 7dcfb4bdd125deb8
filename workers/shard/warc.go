package shard

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// readLine reads one line of a WARC header block, end of line included.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("%w: line longer than %d bytes", errHeader, bufSize)
	}
	if err != nil {
		return line, fmt.Errorf("truncated WARC header: %w", noEOF(err))
	}
	return line, nil
}

// readHeaders reads the version line and the header block of a record.
func (r *Reader) readHeaders() error {
	h := &r.hdr
	h.reset()
	line, err := r.readLine()
	if err != nil {
		return err
	}
	if !isVersionLine(line) {
		return fmt.Errorf("%w: expected a WARC version line, found %q", errHeader, clip(trimEOL(line)))
	}
	h.version = append(h.version, trimEOL(line)...)
	for {
		line, err := r.readLine()
		if err != nil {
			return err
		}
		line = trimEOL(line)
		if len(line) == 0 {
			return nil
		}
		if err := h.addLine(line); err != nil {
			return err
		}
	}
}

// skipReasons are the WARC record types that hold no document.
var skipReasons = map[string]string{
	"warcinfo":     "warcinfo",
	"request":      "request",
	"metadata":     "metadata",
	"revisit":      "revisit",
	"continuation": "continuation",
}

// warcHead reads a record's headers and returns the length of its block.
func (r *Reader) warcHead() (int64, error) {
	if err := r.readHeaders(); err != nil {
		return 0, err
	}
	h := &r.hdr
	clen, ok := parseContentLength(h.get("Content-Length"))
	if !ok {
		if h.get("Content-Length") == nil {
			return 0, fmt.Errorf("%w: no Content-Length", errHeader)
		}
		return 0, fmt.Errorf("%w: bad Content-Length %q", errHeader, clip(h.get("Content-Length")))
	}
	if fixed, ok := r.checkLength(clen); ok {
		clen = fixed
		r.counts.LengthRepairs++
	}
	return clen, nil
}

// readWARC reads one WARC record. It returns the record, or a skip reason, or
// an error (a *RecordError for a bad record, any other error is fatal).
func (r *Reader) readWARC() (*Record, string, error) {
	clen, err := r.warcHead()
	if err != nil {
		return nil, "", err
	}
	h := &r.hdr
	typ := strings.ToLower(string(bytes.TrimSpace(h.get("WARC-Type"))))
	skip := ""
	switch typ {
	case "response", "resource", "conversion":
		if clen > r.opts.MaxRecordBytes {
			skip = "record_too_large"
		}
	default:
		if s, ok := skipReasons[typ]; ok {
			skip = s
		} else {
			skip = "unknown_type"
		}
	}
	if skip != "" {
		return nil, skip, r.discard(clen)
	}
	block, err := r.readFull(clen)
	if err != nil {
		return nil, "", err
	}
	defer r.releaseBlock()

	url := trimAngle(h.get("WARC-Target-URI"))
	if len(url) == 0 {
		return nil, "", r.recordErr("%s record without WARC-Target-URI", typ)
	}
	rec := &Record{URL: string(url), Format: "warc"}
	switch typ {
	case "conversion":
		rec.Format = "wet"
		if utf8.Valid(block) {
			rec.Text = string(block)
		} else {
			rec.Text = strings.ToValidUTF8(string(block), "\ufffd")
		}
	case "resource":
		ct := h.get("Content-Type")
		if !(isHTMLType(ct) || len(bytes.TrimSpace(ct)) == 0 && sniffHTML(block)) {
			return nil, "non_html", nil
		}
		rec.ContentType = string(ct)
		rec.HTML = bytes.Clone(block)
	case "response":
		if reason := r.httpBody(rec, block); reason != "" {
			return nil, reason, nil
		}
	}
	if id := trimAngle(h.get("WARC-Record-ID")); len(id) > 0 {
		rec.ID = string(id)
	}
	r.meta = h.appendMetadata(r.meta[:0])
	rec.Metadata = bytes.Clone(r.meta)
	return rec, "", nil
}

// httpBody fills rec from the HTTP response in block, or returns why the
// record is skipped.
func (r *Reader) httpBody(rec *Record, block []byte) string {
	if !bytes.HasPrefix(block, []byte("HTTP/")) {
		return "non_http"
	}
	resp, err := parseHTTP(block)
	if err != nil {
		return "bad_http"
	}
	if resp.status != 200 {
		return "http_status_" + strconv.Itoa(resp.status)
	}
	ct := bytes.TrimSpace(resp.contentType)
	if len(ct) > 0 && !isHTMLType(ct) {
		return "non_html"
	}
	body := resp.body
	owned := false // body is a fresh buffer the record may keep
	if resp.chunked {
		var ok bool
		if r.chunked, ok = dechunk(r.chunked[:0], body); ok {
			body = r.chunked
		}
	}
	for i := len(resp.encodings) - 1; i >= 0; i-- {
		var decoded bytes.Buffer
		out, err := r.dec.decode(&decoded, resp.encodings[i], body, r.opts.MaxDecompressedBytes)
		switch {
		case errors.Is(err, errTooLarge):
			return "decompressed_too_large"
		case err != nil:
			if sniffHTML(body) {
				// The header names a coding the stored body no longer has.
				continue
			}
			return "bad_content_encoding"
		}
		if out != nil {
			body, owned = out, true
		}
	}
	if len(ct) == 0 && !sniffHTML(body) {
		return "non_html"
	}
	rec.ContentType = string(ct)
	if owned {
		rec.HTML = body
	} else {
		rec.HTML = bytes.Clone(body)
	}
	return ""
}

// checkLength looks past a record's block, when the block and what follows
// fit in the parser's buffer: if no WARC record (or the end of the stream)
// follows the block, the Content-Length is wrong, and the start of the next
// record, found by its version line followed by a WARC header, gives the
// record's true length. Hand-made files (cc_net's sample WET counts
// characters, not bytes) need this; well-formed files never do.
func (r *Reader) checkLength(clen int64) (int64, bool) {
	if clen+64 > bufSize {
		return clen, false
	}
	b, err := r.br.Peek(int(clen + 64))
	if int64(len(b)) < clen || followsRecord(b[clen:], err != nil) {
		return clen, false
	}
	b, err = r.br.Peek(bufSize)
	atEOF := err != nil
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("\nWARC/"))
		if j < 0 && !atEOF {
			return clen, false
		}
		if j < 0 {
			i = len(b) // the last record runs to the end of the stream
		} else {
			i += j + 1
		}
		line, rest := cutLine(b[i:])
		if j < 0 || isVersionLine(line) && bytes.HasPrefix(rest, []byte("WARC-")) {
			end := i
			for end > 0 && (b[end-1] == '\n' || b[end-1] == '\r') {
				end--
			}
			if end < i && b[end] == '\r' {
				end++
			}
			if end < i && b[end] == '\n' {
				end++
			}
			return int64(end), int64(end) != clen
		}
	}
}

// followsRecord reports whether b, what follows a record's block, holds
// blank lines and then a WARC version line, or the end of the stream. A
// window too short to tell counts as yes.
func followsRecord(b []byte, atEOF bool) bool {
	b = bytes.TrimLeft(b, "\r\n")
	if len(b) == 0 {
		return true
	}
	line, rest := cutLine(b)
	if rest == nil && !atEOF {
		return true // the line may go on past the window
	}
	return isVersionLine(line)
}
