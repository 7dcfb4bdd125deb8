package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// TestLegacyCharsets encodes a page in a legacy charset, declares the charset
// in each of the ways a page can, and checks the text comes back.
func TestLegacyCharsets(t *testing.T) {
	cases := []struct {
		label, want string
		enc         encoding.Encoding
		text        string
	}{
		{"koi8-r", "koi8-r", charmap.KOI8R, "Съешь же ещё этих мягких французских булок"},
		{"shift_jis", "shift_jis", japanese.ShiftJIS, "いろはにほへと ちりぬるを 日本語のテキスト"},
		{"gb18030", "gb18030", simplifiedchinese.GB18030, "中华人民共和国 汉字文本"},
		{"GBK", "gbk", simplifiedchinese.GBK, "中文网页 简体字"},
		{"iso-8859-1", "windows-1252", charmap.ISO8859_1, "Größe, Ærø, déjà vu"},
		{"windows-1252", "windows-1252", charmap.Windows1252, "“Smart quotes” – and € signs"},
		{"windows-1251", "windows-1251", charmap.Windows1251, "Пожарная безопасность"},
	}
	for _, c := range cases {
		enc := func(s string) []byte {
			b, err := c.enc.NewEncoder().Bytes([]byte(s))
			if err != nil {
				t.Fatalf("%s: encode %q: %v", c.label, s, err)
			}
			return b
		}
		body := "<p>" + c.text + "</p>"
		ways := map[string]struct {
			html        []byte
			contentType string
			source      string
		}{
			"header":        {enc("<html><body>" + body), "text/html; charset=" + c.label, SourceHeader},
			"header quoted": {enc("<html><body>" + body), `text/html; charset="` + c.label + `"`, SourceHeader},
			"meta charset":  {enc(`<html><head><meta charset="` + c.label + `"></head><body>` + body), "text/html", SourceMeta},
			"http-equiv": {enc(`<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=` + c.label +
				`"></head><body>` + body), "", SourceMeta},
			"late meta": {enc(`<html><head>` + strings.Repeat(`<link rel="preload" href="/x.css">`, 60) +
				`<meta charset=` + c.label + `></head><body>` + body), "", SourceMeta},
			"header wins": {enc(`<meta charset="utf-8"><p>` + c.text), "text/html;charset=" + c.label, SourceHeader},
		}
		for name, w := range ways {
			r, err := Extract(w.html, w.contentType, DefaultOptions())
			if err != nil {
				t.Fatalf("%s/%s: %v", c.label, name, err)
			}
			if r.Text != c.text || r.Charset != c.want || r.CharsetSource != w.source {
				t.Errorf("%s/%s: got %q (%s from %s), want %q (%s from %s)", c.label, name,
					r.Text, r.Charset, r.CharsetSource, c.text, c.want, w.source)
			}
			if _, err := Extract(w.html, w.contentType, Options{StrictUTF8: true}); err != ErrInvalidUTF8 {
				t.Errorf("%s/%s: strict UTF-8 accepted a %s page", c.label, name, c.label)
			}
		}
	}
}

func TestBOM(t *testing.T) {
	text := "Grüße aus Köln"
	html := "<p>" + text + "</p>"
	for _, c := range []struct {
		name string
		enc  encoding.Encoding
		want string
	}{
		{"utf-8", unicode.UTF8BOM, "utf-8"},
		{"utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"},
		{"utf-16be", unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be"},
	} {
		b, err := c.enc.NewEncoder().Bytes([]byte(html))
		if err != nil {
			t.Fatal(err)
		}
		// The BOM wins over a contradicting header.
		r, err := Extract(b, "text/html; charset=iso-8859-1", DefaultOptions())
		if err != nil || r.Text != text || r.Charset != c.want || r.CharsetSource != SourceBOM {
			t.Errorf("%s BOM: got %q (%s from %s), %v", c.name, r.Text, r.Charset, r.CharsetSource, err)
		}
	}
}

func TestUndeclared(t *testing.T) {
	// Valid UTF-8 without a declaration is UTF-8, even when the first
	// kilobyte is ASCII (x/net's DetermineEncoding would say windows-1252).
	html := []byte(strings.Repeat("<div>ascii only</div>", 100) + "<p>naïve café</p>")
	r, _ := Extract(html, "text/html", DefaultOptions())
	if r.Charset != "utf-8" || !strings.HasSuffix(r.Text, "naïve café") {
		t.Errorf("undeclared UTF-8: %q (%s)", r.Text[len(r.Text)-20:], r.Charset)
	}
	// Invalid UTF-8 without a declaration is windows-1252 (WHATWG).
	r, _ = Extract([]byte("<p>caf\xe9 \x93quoted\x94</p>"), "", DefaultOptions())
	if r.Text != "café “quoted”" || r.Charset != "windows-1252" || r.CharsetSource != SourceDefault {
		t.Errorf("undeclared legacy: %q (%s from %s)", r.Text, r.Charset, r.CharsetSource)
	}
	// An unknown label is ignored.
	r, _ = Extract([]byte("<p>caf\xe9</p>"), "text/html; charset=x-no-such-charset", DefaultOptions())
	if r.Text != "café" || r.Charset != "windows-1252" {
		t.Errorf("unknown label: %q (%s)", r.Text, r.Charset)
	}
	// Declared UTF-8 with invalid bytes: replacement characters, valid output.
	r, _ = Extract([]byte("<p>bad \xff\xfe bytes</p>"), "text/html; charset=utf-8", DefaultOptions())
	if r.Text != "bad \ufffd bytes" {
		t.Errorf("invalid UTF-8: %q", r.Text)
	}
}

func TestPreferUTF8(t *testing.T) {
	html := []byte("<p>Grüße</p>")
	r, _ := Extract(html, "text/html; charset=iso-8859-1", DefaultOptions())
	if r.Text != "Grüße" || r.Charset != "utf-8" || r.CharsetSource != SourceUTF8 {
		t.Errorf("prefer_utf8: %q (%s from %s)", r.Text, r.Charset, r.CharsetSource)
	}
	o := DefaultOptions()
	o.PreferUTF8 = false
	r, _ = Extract(html, "text/html; charset=iso-8859-1", o)
	if r.Text != "GrÃ¼ÃŸe" || r.Charset != "windows-1252" {
		t.Errorf("prefer_utf8=false: %q (%s)", r.Text, r.Charset)
	}
	// Pure ASCII keeps its declared charset name.
	r, _ = Extract([]byte("<p>plain</p>"), "text/html; charset=koi8-r", DefaultOptions())
	if r.Charset != "koi8-r" || r.CharsetSource != SourceHeader {
		t.Errorf("ASCII page: %s from %s", r.Charset, r.CharsetSource)
	}
}

// TestRealLegacyPages checks the charsets the Common Crawl pages of the
// resiliparse WARC declare, and that their text decodes.
func TestRealLegacyPages(t *testing.T) {
	want := map[string]struct{ charset, source, text string }{
		"cc2020_01spb_ru.html.gz":         {"windows-1251", SourceHeader, "Стратегия пожарной безопасности"},
		"cc2020_037426_cn.html.gz":        {"gbk", SourceHeader, "TEL：0512-55111066"},
		"cc2020_041696_com.html.gz":       {"gbk", SourceMeta, "企业公告"},
		"cc2020_jxtdw_com.html.gz":        {"gbk", SourceHeader, "热门招聘信息"},
		"cc2020_live_radsport_ch.html.gz": {"windows-1252", SourceMeta, "Übersichten Transfer-Karussell"},
		"cc2020_hovenier_nl.html.gz":      {"utf-8", SourceHeader, "Oosterbeek"},
		"whirlwind_escopete.html.gz":      {"utf-8", SourceHeader, "Escopete"},
	}
	for _, p := range pages(t) {
		w, ok := want[p.name]
		if !ok {
			t.Errorf("no expectation for %s", p.name)
			continue
		}
		o := DefaultOptions()
		o.MainContent = false
		r, err := Extract(p.body, p.contentType, o)
		if err != nil || r.Charset != w.charset || r.CharsetSource != w.source {
			t.Errorf("%s: %s from %s (%v), want %s from %s", p.name, r.Charset, r.CharsetSource, err, w.charset, w.source)
		}
		if !strings.Contains(r.Text, w.text) {
			t.Errorf("%s: text lacks %q", p.name, w.text)
		}
		if strings.ContainsRune(r.Text, '\uFFFD') {
			t.Errorf("%s: replacement characters in the text", p.name)
		}
		_, err = Extract(p.body, p.contentType, Options{StrictUTF8: true})
		if legacy := w.charset != "utf-8"; legacy != (err == ErrInvalidUTF8) {
			t.Errorf("%s: strict UTF-8 gave %v", p.name, err)
		}
	}
}

func TestCharsetFromContent(t *testing.T) {
	for in, want := range map[string]string{
		"text/html; charset=koi8-r":          "koi8-r",
		"text/html;charset='gbk'":            "gbk",
		`text/html; CHARSET = "x y"`:         "x y",
		"text/html; charset=":                "",
		"text/html; charset=\"open":          "",
		"text/html; charsetx; charset=utf-8": "utf-8",
		"text/html":                          "",
	} {
		if got := charsetFromContent(in); got != want {
			t.Errorf("charsetFromContent(%q) = %q, want %q", in, got, want)
		}
	}
}
