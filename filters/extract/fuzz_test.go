package extract

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var fuzzSeeds = []string{
	"<p>a<b>b</b></p>",
	"<ul><li>a<ol><li>b</ol></ul><table><tr><td>x<td>y</table>",
	"<div class='nav menu' id=footer role=main>x</div><main><p>y</main>",
	"<pre>\n a\n  b</pre><br/><hr><img alt='&amp;x'>",
	"<noscript><p>n<noscript>m</noscript></noscript>",
	"<script>var a = '</scr' + 'ipt>';</script><style>p{}</style>",
	"<meta charset=koi8-r><p>\xf0\xd2\xc9</p>",
	"\xef\xbb\xbf<p>bom</p>",
	"\xff\xfe<\x00p\x00>\x00",
	"<a href=x><a href=y>z</a></a><form><input value=v><button>b</button></form>",
	"<div hidden><p>h</div><p style='display:none'>s</p>",
	"<<>><</ ><!-- c --><!doctype html><?x?><![CDATA[d]]>",
	"<div role=main><p>one</div><article class=post-content><p>two</article>",
}

func FuzzText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), "", uint16(0xffff))
		f.Add([]byte(s), "text/html; charset=gb18030", uint16(0x0155))
	}
	f.Fuzz(func(t *testing.T, doc []byte, contentType string, bits uint16) {
		o := Options{
			MainContent: bits&1 != 0, Comments: bits&2 != 0, PreserveFormatting: bits&4 != 0,
			ListBullets: bits&8 != 0, AltTexts: bits&16 != 0, Links: bits&32 != 0,
			FormFields: bits&64 != 0, Noscript: bits&128 != 0, StrictUTF8: bits&256 != 0,
			PreferUTF8: bits&512 != 0,
		}
		s, cs, err := Text(doc, contentType, o)
		if err != nil {
			if err != ErrInvalidUTF8 || !o.StrictUTF8 || utf8.Valid(doc) {
				t.Fatalf("error %v (strict %v)", err, o.StrictUTF8)
			}
			return
		}
		if cs == "" {
			t.Fatal("no charset")
		}
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 output %q", s)
		}
		if strings.TrimRight(s, " \t\n\r\f\v") != s {
			t.Fatalf("trailing white space in %q", s)
		}
		if strings.Contains(s, "\n\n\n") && !containsFold(doc, "<pre") && !containsFold(doc, "<listing") {
			t.Fatalf("two blank lines in %q", s)
		}
		if !o.PreserveFormatting && strings.ContainsAny(s, "\n\t") && !bytes.Contains(doc, []byte("\n")) {
			t.Fatalf("line breaks without preserve_formatting: %q", s)
		}
		// Deterministic, and the pooled state leaks nothing between calls.
		if again, _, _ := Text(doc, contentType, o); again != s {
			t.Fatalf("second run differs: %q vs %q", again, s)
		}
	})
}

// FuzzRawTag checks the tag and attribute reader against the tokenizer's
// own TagName and TagAttr.
func FuzzRawTag(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`<DIV Class="A b" ID='x' data-x=1 hidden=  checked a=b=c =d/e f/ g>`))
	f.Add([]byte(`<a href="x" href="y" b="unterminated`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		z := html.NewTokenizer(bytes.NewReader(doc))
		var scratch []byte
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
				continue
			}
			raw := bytes.Clone(z.Raw())
			var name, list []byte
			name, list, scratch = rawTag(raw, scratch)
			want, _ := z.TagName()
			if bytes.ContainsRune(want, utf8.RuneError) || bytes.IndexByte(raw, 0) >= 0 {
				continue // the tokenizer replaces NUL; rawTag keeps it
			}
			if !bytes.Equal(name, want) {
				t.Fatalf("%q: name %q, tokenizer %q", raw, name, want)
			}
			if tt == html.EndTagToken {
				continue
			}
			type kv struct{ k, v string }
			var got, exp []kv
			seen := map[string]bool{}
			for {
				k, v, rest, ok := nextAttr(list)
				if !ok {
					break
				}
				list = rest
				lk := string(lowerInPlace(bytes.Clone(k)))
				if !seen[lk] {
					seen[lk] = true
					got = append(got, kv{lk, string(v)})
				}
			}
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				if k == nil {
					break
				}
				exp = append(exp, kv{string(k), string(v)})
			}
			if len(got) != len(exp) {
				t.Fatalf("%q: attributes %q, tokenizer %q", raw, got, exp)
			}
			for i := range got {
				// The tokenizer resolves references and CRLF in values.
				if got[i].k != exp[i].k || (got[i].v != exp[i].v && !strings.ContainsAny(got[i].v, "&\r")) {
					t.Fatalf("%q: attribute %d %q, tokenizer %q", raw, i, got[i], exp[i])
				}
			}
		}
	})
}
