//go:build trafilatura

package extract

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
)

// articlePages are testdata pages that are articles: each engine must find
// their main text, and the phrase must be in it.
var articlePages = map[string]string{
	"whirlwind_escopete.html.gz":        "Escopete ye un municipio d'a provincia de Guadalachara",
	"dclm_wikipedia_paragraph1.html.gz": "",
	"dclm_wikipedia_paragraph3.html.gz": "Earth's crust is Earth's thick outer shell of rock",
	"dclm_wikipedia_paragraph5.html.gz": "",
	"cc2020_hovenier_nl.html.gz":        "In Oosterbeek zijn wij uw tuinspecialist.",
	"cc2020_01spb_ru.html.gz":           "",
	"cc2020_live_radsport_ch.html.gz":   "",
}

// TestTrafilaturaArticles checks trafilatura's text of real article pages:
// non-empty, the article's words, no page chrome, well-formed lines, and
// the same charset decision as the default engine (legacy charsets decoded
// first: the Cyrillic and German pages must read as such).
func TestTrafilaturaArticles(t *testing.T) {
	found := 0
	docs, res, errs := extracted(t)
	for i, p := range docs {
		cur, r := res[i][0], res[i][1]
		if errs[i] != nil {
			t.Fatalf("%s: %v", p.name, errs[i])
		}
		if r.Charset != cur.Charset || r.CharsetSource != cur.CharsetSource {
			t.Errorf("%s: charset %s/%s, default engine %s/%s", p.name, r.Charset, r.CharsetSource, cur.Charset, cur.CharsetSource)
		}
		if !utf8.ValidString(r.Text) || strings.Contains(r.Text, "\n\n") || strings.Contains(r.Text, "  ") ||
			strings.TrimSpace(r.Text) != r.Text || strings.ContainsRune(r.Text, '\uFFFD') {
			t.Errorf("%s: malformed text (invalid UTF-8, blank lines, double spaces, edges or U+FFFD)", p.name)
		}
		phrase, ok := articlePages[p.name]
		if !ok {
			continue
		}
		found++
		if len(r.Text) < 500 || strings.Count(r.Text, "\n") < 2 {
			t.Errorf("%s: article text of %d bytes, %d lines", p.name, len(r.Text), strings.Count(r.Text, "\n")+1)
		}
		if phrase != "" && !strings.Contains(r.Text, phrase) {
			t.Errorf("%s: lacks %q", p.name, phrase)
		}
		// Most of trafilatura's words are the default engine's too.
		if c := coverage(tokens(r.Text), tokens(cur.Text)); c < 0.9 {
			t.Errorf("%s: only %.3f of trafilatura's words are in the default engine's text", p.name, c)
		}
	}
	if found != len(articlePages) {
		t.Errorf("found %d of %d article pages", found, len(articlePages))
	}
	ww := readGz(t, "whirlwind_escopete.html.gz")
	r, _ := ExtractTrafilatura(ww, "text/html; charset=UTF-8", DefaultTrafilaturaOptions())
	for _, nav := range []string{"Menú principal", "Una pachina a l'azar", "Politica de privacidat"} {
		if strings.Contains(r.Text, nav) {
			t.Errorf("whirlwind: navigation %q kept", nav)
		}
	}
	ru := readGz(t, "cc2020_01spb_ru.html.gz")
	r, _ = ExtractTrafilatura(ru, "text/html; charset=windows-1251", DefaultTrafilaturaOptions())
	if r.Charset != "windows-1251" || strings.Count(r.Text, "о") < 50 {
		t.Errorf("windows-1251 page: charset %s, %d Cyrillic o's", r.Charset, strings.Count(r.Text, "о"))
	}
}

// TestTrafilaturaDeterministic extracts the (small) Common Crawl pages of
// testdata again, with and without fallback, from concurrent goroutines (run
// with -race), and compares.
func TestTrafilaturaDeterministic(t *testing.T) {
	var docs []page
	for _, d := range testdataPages(t) {
		if !strings.HasPrefix(d.name, "dclm_wikipedia") {
			docs = append(docs, d)
		}
	}
	noFallback := DefaultTrafilaturaOptions()
	noFallback.Fallback = false
	for _, o := range []TrafilaturaOptions{DefaultTrafilaturaOptions(), noFallback} {
		want := make([]string, len(docs))
		for i, d := range docs {
			r, err := ExtractTrafilatura(d.body, d.contentType, o)
			if err != nil {
				t.Fatal(err)
			}
			want[i] = r.Text
		}
		errs := make(chan error, 2)
		for g := range 2 {
			go func() {
				for k := range docs {
					i := (k + g*5) % len(docs)
					r, _ := ExtractTrafilatura(docs[i].body, docs[i].contentType, o)
					if r.Text != want[i] {
						errs <- fmt.Errorf("fallback %v, %s: second extraction differs", o.Fallback, docs[i].name)
						return
					}
				}
				errs <- nil
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
}

// TestTrafilaturaEdgeCases: bad charsets, empty and tiny pages, too deep a
// tree, and the layout of the rendered text.
func TestTrafilaturaEdgeCases(t *testing.T) {
	para := strings.Repeat("The quick brown fox jumps over the lazy dog near the river bank. ", 8)
	o := DefaultTrafilaturaOptions()
	for _, c := range []struct {
		name, ct, html string
		want           string // substring of the text; "" means the text must be empty
		charset        string
	}{
		{"empty", "", "", "", "utf-8"},
		{"no text", "", "<html><head><title>t</title></head><body><nav><a href=/>home</a></nav></body></html>", "", "utf-8"},
		{"latin1 header", "text/html; charset=iso-8859-1", "<article><p>caf\xe9 " + para + "</p></article>", "café The quick", "windows-1252"},
		{"utf8 declared, bytes invalid", "text/html; charset=utf-8", "<article><p>caf\xe9 " + para + "</p></article>", "caf\uFFFD The", "utf-8"},
		{"unknown charset", "text/html; charset=x-nonsense", "<article><p>caf\xe9 " + para + "</p></article>", "café", "windows-1252"},
		{"meta gbk", "", "<meta charset=gbk><article><p>\xc4\xe3\xba\xc3 " + para + "</p></article>", "你好 The", "gbk"},
		{"utf-16 bom", "", "\xff\xfe<\x00p\x00>\x00h\x00i\x00", "hi", "utf-16le"},
	} {
		r, err := ExtractTrafilatura([]byte(c.html), c.ct, o)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r.Charset != c.charset {
			t.Errorf("%s: charset %q, want %q", c.name, r.Charset, c.charset)
		}
		if (c.want == "") != (r.Text == "") || !strings.Contains(r.Text, c.want) || !utf8.ValidString(r.Text) {
			t.Errorf("%s: text %.80q, want it to contain %q", c.name, r.Text, c.want)
		}
	}

	// Strict UTF-8, as the default engine.
	strict := o
	strict.StrictUTF8 = true
	if _, err := ExtractTrafilatura([]byte("<p>caf\xe9</p>"), "", strict); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("strict, invalid UTF-8: %v", err)
	}
	if r, err := ExtractTrafilatura([]byte("<article><p>café "+para+"</p></article>"), "", strict); err != nil ||
		r.CharsetSource != SourceStrict || !strings.Contains(r.Text, "café") {
		t.Errorf("strict, valid: %v %q %.40q", err, r.CharsetSource, r.Text)
	}

	// More than 512 nested open elements: golang.org/x/net/html gives up.
	deep := strings.Repeat("<div>", 600) + "<p>" + para + "</p>"
	if _, err := ExtractTrafilatura([]byte(deep), "", o); !errors.Is(err, ErrUnparsable) {
		t.Errorf("deep page: %v, want ErrUnparsable", err)
	}

	// Layout: one line per paragraph, heading, list item and table row,
	// cells joined by " | ", white space collapsed.
	page := "<html><body><article><h1>Title  here</h1><p>" + para + "</p><p>Second\n  paragraph <b>bold</b> end.</p>" +
		"<ul><li>one item of the list</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>" +
		"<p>" + para + "</p></article></body></html>"
	r, err := ExtractTrafilatura([]byte(page), "", o)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(r.Text, "\n")
	for _, want := range []string{"Title here", strings.TrimSpace(para), "Second paragraph bold end.", "one item of the list", "two", "a | b", "c | d"} {
		ok := false
		for _, l := range lines {
			ok = ok || l == want
		}
		if !ok {
			t.Errorf("layout: no line %.40q in %q", want, r.Text)
		}
	}
}

// TestTrafilaturaStep runs the extract step with engine trafilatura: its
// parameters, removal reasons and signals.
func TestTrafilaturaStep(t *testing.T) {
	e, _ := filters.Lookup("extract")
	params := map[string]any{}
	for _, p := range e.Params() {
		params[p.Name] = p.Default
	}
	for name, want := range map[string]any{"engine": EngineCurator, "trafilatura_fallback": true, "trafilatura_max_bytes": 1 << 20} {
		if params[name] != want {
			t.Errorf("parameter %s: default %v, want %v", name, params[name], want)
		}
	}
	for _, bad := range []Params{{Engine: "resiliparse"}, {Engine: ""}, {Engine: EngineTrafilatura, TrafilaturaMaxBytes: -1}} {
		if _, err := e.Build(bad, filters.Env{}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}

	s := buildStep(t, func(p *Params) { p.Engine = EngineTrafilatura })
	ww := readGz(t, "whirlwind_escopete.html.gz")
	d := &filters.Doc{HTML: ww, ContentType: "text/html; charset=UTF-8"}
	want, _ := ExtractTrafilatura(ww, d.ContentType, DefaultTrafilaturaOptions())
	if r, err := s.Modify(d); r != "" || err != nil || d.Text != want.Text || d.HTML != nil {
		t.Errorf("article: reason %q, %v, text matches %v", r, err, d.Text == want.Text)
	}
	if cs, _ := d.Signal(SignalCharset); cs != "utf-8" {
		t.Errorf("charset signal %v", cs)
	}
	cur := buildStep(t, nil)
	dc := &filters.Doc{HTML: ww, ContentType: "text/html; charset=UTF-8"}
	if _, _ = cur.Modify(dc); dc.Text == d.Text {
		t.Error("the engines gave the same text: engine is not passed on")
	}

	for _, c := range []struct {
		name   string
		mod    func(*Params)
		html   string
		reason string
	}{
		{"empty", nil, "<nav>menu</nav><script>x</script>", ReasonEmpty},
		{"deep", nil, strings.Repeat("<div>", 600) + "<p>x</p>", ReasonUnparsable},
		{"too large", func(p *Params) { p.TrafilaturaMaxBytes = 100 }, "<p>" + strings.Repeat("word ", 30) + "</p>", ReasonTooLarge},
		{"strict", func(p *Params) { p.StrictUTF8 = true }, "<p>caf\xe9</p>", ReasonInvalidUTF8},
		{"too short", func(p *Params) { p.MinTextChars = 1 << 20 }, string(ww), ReasonTooShort},
	} {
		s := buildStep(t, func(p *Params) {
			p.Engine = EngineTrafilatura
			if c.mod != nil {
				c.mod(p)
			}
		})
		d := &filters.Doc{HTML: []byte(c.html)}
		if r, err := s.Modify(d); r != c.reason || err != nil || d.HTML != nil {
			t.Errorf("%s: reason %q (%v), want %q", c.name, r, err, c.reason)
		}
	}
	// A huge page (over the default 1 MiB) is removed before it is parsed.
	huge := "<p>" + strings.Repeat("many words in a huge page ", (1<<20)/26+1) + "</p>"
	if r, _ := s.Modify(&filters.Doc{HTML: []byte(huge)}); r != ReasonTooLarge {
		t.Errorf("huge page of %d bytes: reason %q, want %q", len(huge), r, ReasonTooLarge)
	}
	// The limit counts bytes: a page of exactly the limit is extracted.
	lim := buildStep(t, func(p *Params) { p.Engine = EngineTrafilatura; p.TrafilaturaMaxBytes = len(ww) })
	if r, _ := lim.Modify(&filters.Doc{HTML: ww}); r != "" {
		t.Errorf("page of exactly trafilatura_max_bytes: reason %q", r)
	}
	// Text documents pass unchanged.
	d = &filters.Doc{Text: "already text"}
	if r, err := s.Modify(d); r != "" || err != nil || d.Text != "already text" {
		t.Errorf("text doc: %q %v", r, err)
	}
}

// FuzzTrafilatura runs the trafilatura engine on arbitrary pages: no panic
// (a recovered panic inside go-trafilatura fails the target too), only the
// documented errors, well-formed and deterministic text.
func FuzzTrafilatura(f *testing.F) {
	para := strings.Repeat("Some words of a paragraph long enough to be kept. ", 6)
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), "", uint8(0))
		f.Add([]byte("<article>"+s+"<p>"+para+"</p></article>"), "text/html; charset=gb18030", uint8(3))
	}
	f.Add([]byte("<html><body><main><h2>h</h2><p>"+para+"</p><pre>a\n  b</pre><table><tr><th>x<td>y</table></main></body></html>"), "", uint8(1))
	f.Fuzz(func(t *testing.T, doc []byte, contentType string, bits uint8) {
		o := TrafilaturaOptions{Fallback: bits&1 != 0, PreferUTF8: bits&2 != 0, StrictUTF8: bits&4 != 0}
		r, err := ExtractTrafilatura(doc, contentType, o)
		if err != nil {
			switch {
			case errors.Is(err, ErrInvalidUTF8) && o.StrictUTF8 && !utf8.Valid(doc):
			case errors.Is(err, ErrUnparsable) && !strings.Contains(err.Error(), "panicked"):
			default:
				t.Fatalf("error %v", err)
			}
			return
		}
		if r.Charset == "" || r.CharsetSource == "" {
			t.Fatalf("no charset: %+v", r)
		}
		if !utf8.ValidString(r.Text) {
			t.Fatalf("invalid UTF-8 output %q", r.Text)
		}
		if strings.TrimSpace(r.Text) != r.Text || strings.Contains(r.Text, "\n\n") {
			t.Fatalf("untrimmed text or empty line in %q", r.Text)
		}
		if again, _ := ExtractTrafilatura(doc, contentType, o); again != r {
			t.Fatalf("second run differs: %q vs %q", again.Text, r.Text)
		}
	})
}
