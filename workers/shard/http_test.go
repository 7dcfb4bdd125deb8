package shard

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

const page = "<!DOCTYPE html><html><head><title>T</title></head><body>héllo</body></html>"

func deflateBytes(t *testing.T, p []byte, zl bool) []byte {
	var b bytes.Buffer
	if zl {
		w := zlib.NewWriter(&b)
		w.Write(p)
		w.Close()
	} else {
		w, _ := flate.NewWriter(&b, 5)
		w.Write(p)
		w.Close()
	}
	return b.Bytes()
}

func brotliBytes(p []byte) []byte {
	var b bytes.Buffer
	w := brotli.NewWriter(&b)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

func chunk(p []byte, size int) []byte {
	var b bytes.Buffer
	for len(p) > 0 {
		n := min(size, len(p))
		fmt.Fprintf(&b, "%x;ext=1\r\n", n)
		b.Write(p[:n])
		b.WriteString("\r\n")
		p = p[n:]
	}
	b.WriteString("0\r\nTrailer: x\r\n\r\n")
	return b.Bytes()
}

// TestHTTPPayloads builds response records with every body encoding and
// skip reason and reads them back.
func TestHTTPPayloads(t *testing.T) {
	html := []byte(page)
	bomb := gzipBytes(t, make([]byte, 3<<20))
	cases := []struct {
		name    string
		status  int
		headers []string
		body    []byte
		want    string // "" for the page, else a skip reason
		ct      string
	}{
		{"plain", 200, []string{"Content-Type: text/html; charset=utf-8"}, html, "", "text/html; charset=utf-8"},
		{"xhtml", 200, []string{"Content-Type: application/xhtml+xml"}, html, "", "application/xhtml+xml"},
		{"upper-case type", 200, []string{"content-type: TEXT/HTML"}, html, "", "TEXT/HTML"},
		{"sniffed", 200, nil, html, "", ""},
		{"sniffed not html", 200, nil, []byte("just text"), "non_html", ""},
		{"chunked", 200, []string{"Content-Type: text/html", "Transfer-Encoding: chunked"}, chunk(html, 7), "", "text/html"},
		{"chunked stored decoded", 200, []string{"Content-Type: text/html", "Transfer-Encoding: chunked"}, html, "", "text/html"},
		{"chunked cut", 200, []string{"Content-Type: text/html", "Transfer-Encoding: chunked"}, chunk(html, 10)[:40], "", "text/html"},
		{"gzip", 200, []string{"Content-Type: text/html", "Content-Encoding: gzip"}, gzipBytes(t, html), "", "text/html"},
		{"gzip chunked", 200, []string{"Content-Type: text/html", "Content-Encoding: gzip", "Transfer-Encoding: chunked"}, chunk(gzipBytes(t, html), 5), "", "text/html"},
		{"gzip stored decoded", 200, []string{"Content-Type: text/html", "Content-Encoding: gzip"}, html, "", "text/html"},
		{"deflate zlib", 200, []string{"Content-Type: text/html", "Content-Encoding: deflate"}, deflateBytes(t, html, true), "", "text/html"},
		{"deflate raw", 200, []string{"Content-Type: text/html", "Content-Encoding: deflate"}, deflateBytes(t, html, false), "", "text/html"},
		{"br", 200, []string{"Content-Type: text/html", "Content-Encoding: br"}, brotliBytes(html), "", "text/html"},
		{"gzip then br", 200, []string{"Content-Type: text/html", "Content-Encoding: gzip, br"}, brotliBytes(gzipBytes(t, html)), "", "text/html"},
		{"br garbage", 200, []string{"Content-Type: text/html", "Content-Encoding: br"}, []byte("\x00\x01garbage"), "bad_content_encoding", ""},
		{"unknown coding", 200, []string{"Content-Type: text/html", "Content-Encoding: compress"}, []byte("\x1f\x9dxx"), "bad_content_encoding", ""},
		{"bomb", 200, []string{"Content-Type: text/html", "Content-Encoding: gzip"}, bomb, "decompressed_too_large", ""},
		{"404", 404, []string{"Content-Type: text/html"}, html, "http_status_404", ""},
		{"301", 301, []string{"Location: x"}, nil, "http_status_301", ""},
		{"image", 200, []string{"Content-Type: image/png"}, []byte("\x89PNG"), "non_html", ""},
	}
	var file []byte
	for i, c := range cases {
		file = append(file, warcRec("response", fmt.Sprintf("http://x/%d", i), []string{"Content-Type: application/http; msgtype=response"},
			httpResp(c.status, c.headers, c.body))...)
	}
	file = append(file, warcRec("response", "dns:x", []string{"Content-Type: text/dns"}, []byte("1.2.3.4"))...)
	file = append(file, warcRec("response", "http://x/bad", nil, []byte("HTTP/1.1 abc\r\n\r\n"))...)
	p := writeTemp(t, "http.warc", file)
	res := mustReadAll(t, Whole(p), Options{MaxDecompressedBytes: 1 << 20})
	want := map[string]int64{"non_http": 1, "bad_http": 1}
	var pages []string
	for _, c := range cases {
		if c.want == "" {
			pages = append(pages, c.name)
		} else {
			want[c.want]++
		}
	}
	if len(res.recs) != len(pages) {
		t.Fatalf("%d pages, want %d; skipped %v", len(res.recs), len(pages), res.counts.Skipped)
	}
	for k, v := range want {
		if res.counts.Skipped[k] != v {
			t.Errorf("skipped %s: %d, want %d (%v)", k, res.counts.Skipped[k], v, res.counts.Skipped)
		}
	}
	i := 0
	for n, c := range cases {
		if c.want != "" {
			continue
		}
		r := res.recs[i]
		i++
		if r.URL != fmt.Sprintf("http://x/%d", n) {
			t.Errorf("%s: url %s", c.name, r.URL)
			continue
		}
		wantHTML := page
		if c.name == "chunked cut" {
			wantHTML = page[:len(r.HTML)]
			if len(r.HTML) < 20 {
				t.Errorf("%s: kept %q", c.name, r.HTML)
			}
		}
		if string(r.HTML) != wantHTML || r.ContentType != c.ct {
			t.Errorf("%s: got %q (%q)", c.name, r.HTML, r.ContentType)
		}
	}
}

func TestParseHTTP(t *testing.T) {
	resp, err := parseHTTP([]byte("HTTP/1.0 200\nContent-Type: text/html\n X-Folded: more\nTransfer-Encoding: gzip, chunked\n\nbody"))
	if err != nil || resp.status != 200 || string(resp.contentType) != "text/html" || !resp.chunked || string(resp.body) != "body" {
		t.Errorf("%+v %v", resp, err)
	}
	for _, bad := range []string{"", "HTTP/1.1", "HTTP/1.1 20", "HTTP/1.1 2000 OK", "FTP/1.0 200 OK", "HTTP/1.1 abc OK"} {
		if _, err := parseHTTP([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if !sniffHTML([]byte("\xef\xbb\xbf  <!doctype HTML><p>")) || sniffHTML([]byte("{\"a\":1}")) {
		t.Error("sniffHTML")
	}
	if got, ok := dechunk(nil, []byte("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")); !ok || string(got) != "abcde" {
		t.Errorf("dechunk %q %v", got, ok)
	}
	if _, ok := dechunk(nil, []byte("<html>")); ok {
		t.Error("dechunk of a plain body")
	}
	if strings.Contains(string(appendJSONString(nil, []byte("a\"\\\n\x01\xff"))), "\xff") {
		t.Error("invalid UTF-8 in JSON")
	}
}
