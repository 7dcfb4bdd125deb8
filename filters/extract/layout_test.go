package extract

import (
	"strings"
	"testing"
)

func plain(t *testing.T, html string, mod func(*Options)) string {
	t.Helper()
	o := DefaultOptions()
	if mod != nil {
		mod(&o)
	}
	s, _, err := Text([]byte(html), "text/html; charset=utf-8", o)
	if err != nil {
		t.Fatalf("Text(%q): %v", html, err)
	}
	return s
}

func noMain(o *Options) { o.MainContent = false }

func TestLayout(t *testing.T) {
	cases := []struct {
		name, html, want string
		mod              func(*Options)
	}{
		{"collapse", "<p>  a \n\t b  </p>", "a b", nil},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo", nil},
		{"headings", "<h1>Title</h1>text<h3>Sub</h3><div>x</div>", "Title\n\ntext\n\nSub\n\nx", nil},
		{"blocks", "<div>a</div><div>b</div>c", "a\nb\nc", nil},
		{"inline", "<p>a<b>b</b> <i>c</i>d</p>", "ab cd", nil},
		{"br", "a<br>b<br><br>c<br><br><br>d", "a\nb\n\nc\n\nd", nil},
		{"ul", "<ul><li>one</li><li>two</li></ul>", "  • one\n  • two", nil},
		{"ol", "<ol><li>one<li>two<li>three</ol>", "  1. one\n  2. two\n  3. three", nil},
		{"nested list", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "  • a\n    • b\n  • c", nil},
		{"list continuation", "<ul><li><p>a</p><p>b</p></li></ul>", "  • a\n\n    b", nil},
		{"empty item", "<ul><li></li><li> </li><li>x</li></ul>", "  • x", nil},
		{"no bullets", "<ul><li>a</li><li>b</li></ul>", "  a\n  b", func(o *Options) { o.ListBullets = false }},
		{"table", "<table><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td></td><td>c</td></tr></table>",
			"h1\t\th2\na\t\tc", nil},
		{"pre", "<p>x</p><pre>  a  b\n   c</pre><p>y</p>", "x\n\n  a  b\n   c\n\ny", nil},
		{"entities", "<p>a &amp; b &lt;c&gt; &eacute;</p>", "a & b <c> é", nil},
		{"nbsp kept", "<p>a&nbsp;b</p>", "a\u00a0b", nil},
		{"nbsp only", "<p>&nbsp;</p><p>a</p>", "a", nil},
		{"alt", "<p>see<img alt='a cat'>here</p>", "see a cat here", nil},
		{"no alt", "<p>see<img alt='a cat'>here</p>", "seehere", func(o *Options) { o.AltTexts = false }},
		{"links", "<p>go <a href='/x'>there</a> now</p>", "go there (/x) now", func(o *Options) { o.Links = true }},
		{"no links", "<p>go <a href='/x'>there</a> now</p>", "go there now", nil},
		{"skipped", "<head><title>T</title><style>p{}</style></head><body><script>var x</script><p>a</p>" +
			"<noscript>enable js</noscript><template>t</template><svg><text>s</text></svg>" +
			"<textarea>ta</textarea><select><option>o</option></select><button>b</button><iframe>i</iframe></body>", "a", noMain},
		{"noscript on", "<p>a</p><noscript><p>enable <b>js</b></p></noscript>", "a\n\nenable js", func(o *Options) { o.Noscript = true }},
		{"form fields", "<p>a</p><input value=v><input type=hidden value=h><textarea>t x</textarea><button>go</button>",
			"a\n\n[ v ] [ t x ] [ go ]", func(o *Options) { o.FormFields = true; o.MainContent = false }},
		{"no formatting", "<h1>T</h1><ul><li>a</li><li>b</li></ul><table><tr><td>c</td><td>d</td></tr></table>",
			"T a b c d", func(o *Options) { o.PreserveFormatting = false }},
		{"icons", "<p><span>\ue001</span> text <a>¶</a></p>", "text", nil},
		{"controls", "<p>a\x01b\x00c</p>", "abc", nil},
		{"no head end", "<html><head><title>t</title><meta charset=utf-8><div>body text</div>", "body text", nil},
		{"text outside body", "just text", "just text", nil},
		{"unclosed", "<div><p>a<div>b<span>c", "a\n\nbc", nil},
		{"stray end tags", "</div></span>a</p>b</li>", "a\n\nb", nil},
		{"p closes p", "<p>a<p>b", "a\n\nb", nil},
		{"self-closed block", "a<div/>b<p/>c", "a\nb\n\nc", nil},
		{"noscript ends in raw tag", "<noscript><p>n</p><script></noscript>after", "n\n\nafter", func(o *Options) { o.Noscript = true }},
		{"trailing ws", "<p>a</p>  \n <div> </div>", "a", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := plain(t, c.html, c.mod); got != c.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", c.html, got, c.want)
			}
		})
	}
}

func TestMainContentRules(t *testing.T) {
	page := func(body string) string {
		return "<html><head><title>t</title></head><body>" + body + "</body></html>"
	}
	cases := []struct {
		name, body string
		keep, drop []string
	}{
		{"semantic", `<header>Site name</header><nav><a href=/>Home</a></nav><div><p>Article text here.</p></div>` +
			`<aside>Related stuff</aside><footer>Copyright 2024</footer>`,
			[]string{"Article text here."}, []string{"Site name", "Home", "Related stuff", "Copyright"}},
		{"article header stays", `<main><article><header><h1>The title</h1></header><p>Body.</p>` +
			`<footer>Posted by a writer who writes a great many words here</footer></article></main>`,
			[]string{"The title", "Body.", "Posted by"}, nil},
		{"classes", `<div class="site-header">Logo text</div><div id="main"><div class="content"><p>Real content.</p>` +
			`<div class="share-buttons">Share this</div><div class="cookie-banner">We use cookies</div>` +
			`<div class="sidebar">Side</div><div class="ad-slot">Buy now</div><div class="breadcrumbs">A > B</div>` +
			`<div class="searchbox">Search</div><div class="modal">Sign up!</div></div></div>` +
			`<div id="footer">Footer links</div>`,
			[]string{"Real content."},
			[]string{"Logo text", "Share this", "We use cookies", "Side", "Buy now", "A > B", "Search", "Sign up", "Footer links"}},
		{"roles and hidden", `<div role="navigation">Nav</div><div role="contentinfo">Info</div><p>Kept.</p>` +
			`<p hidden>Hidden attr</p><p aria-hidden="true">Aria hidden</p><p style="display: none">Styled</p>` +
			`<span class="sr-only">Screen reader</span><div class="hidden">Class hidden</div>`,
			[]string{"Kept."}, []string{"Nav", "Info", "Hidden attr", "Aria hidden", "Styled", "Screen reader", "Class hidden"}},
		{"link list", `<div><div><div><p>Story text that matters and goes on.</p><ul><li><a href=/a>One</a></li>` +
			`<li><a href=/b>Two</a></li></ul><ul><li>Plain item one</li><li>Plain item two</li></ul></div></div></div>`,
			[]string{"Story text", "Plain item one"}, []string{"One\n", "Two"}},
		{"small form", `<p>Kept text.</p><form><label>Email</label><input name=e><p>Subscribe to our list</p></form>`,
			[]string{"Kept text."}, []string{"Subscribe"}},
		{"comments param", `<p>Post.</p><div class="comments">Nice post!</div>`,
			[]string{"Post.", "Nice post!"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := plain(t, page(c.body), nil)
			for _, k := range c.keep {
				if !strings.Contains(got, k) {
					t.Errorf("main content lost %q:\n%s", k, got)
				}
			}
			for _, d := range c.drop {
				if strings.Contains(got, d) {
					t.Errorf("main content kept %q:\n%s", d, got)
				}
			}
			all := plain(t, page(c.body), noMain)
			for _, k := range append(c.keep, c.drop...) {
				if !strings.Contains(all, k) && !strings.Contains(k, "\n") {
					t.Errorf("main_content=false lost %q:\n%s", k, all)
				}
			}
		})
	}
	got := plain(t, page(`<p>Post.</p><div class="comments">Nice post!</div>`), func(o *Options) { o.Comments = false })
	if strings.Contains(got, "Nice post") || !strings.Contains(got, "Post.") {
		t.Errorf("comments=false: got %q", got)
	}
}

func TestZone(t *testing.T) {
	html := `<body><div class="top">Top bar words</div><div role="main"><p>Inside main.</p></div><div>Below</div></body>`
	got := plain(t, html, nil)
	if got != "Inside main." {
		t.Errorf("zone: got %q", got)
	}
	// Two candidates: no zone, the heuristics alone decide.
	two := `<body><div role="main"><p>One.</p></div><div class="main-content"><p>Two.</p></div><p>Three.</p></body>`
	if got := plain(t, two, nil); got != "One.\n\nTwo.\n\nThree." {
		t.Errorf("two zones: got %q", got)
	}
	if got := plain(t, html, noMain); !strings.Contains(got, "Top bar words") || !strings.Contains(got, "Below") {
		t.Errorf("zone without main_content: got %q", got)
	}
}

func TestDeepNesting(t *testing.T) {
	n := 20000
	html := strings.Repeat("<div>", n) + "deep" + strings.Repeat("</div>", n) + "<p>after</p>"
	got := plain(t, html, noMain)
	if !strings.Contains(got, "deep") || !strings.HasSuffix(got, "after") {
		t.Errorf("deep nesting: got %q", got)
	}
	html = strings.Repeat("<span><b>", n) + "x" + strings.Repeat("</p>", n)
	if got := plain(t, html, nil); got != "x" {
		t.Errorf("unclosed nesting: got %q", got)
	}
}

func TestHugeAttribute(t *testing.T) {
	big := strings.Repeat("a", 1<<20)
	html := `<div class="` + big + `" title="` + big + `"><p>text</p></div>`
	if got := plain(t, html, nil); got != "text" {
		t.Errorf("huge attribute: got %q", got)
	}
}

func TestZoneRolledBack(t *testing.T) {
	// The marked element sits in a list of links that main content drops:
	// the zone is abandoned and the heuristics' text is kept.
	html := `<body><ul><li><div role="main"><a href=/a>Link one</a> <a href=/b>Link two</a></div></li></ul><p>After.</p></body>`
	if got := plain(t, html, nil); got != "After." {
		t.Errorf("got %q", got)
	}
	// A zone left open at the end of the document runs to the end.
	if got := plain(t, `<p>Before.</p><div class="post-content"><p>Inside.`, nil); got != "Inside." {
		t.Errorf("open zone: got %q", got)
	}
}

func TestNoscriptNesting(t *testing.T) {
	html := strings.Repeat("<noscript>", 50) + "<p>deep</p>" + strings.Repeat("</noscript>", 50) + "<p>after</p>"
	got := plain(t, html, func(o *Options) { o.Noscript = true })
	if !strings.HasSuffix(got, "after") {
		t.Errorf("got %q", got)
	}
	if got := plain(t, html, nil); got != "after" {
		t.Errorf("noscript=false: got %q", got)
	}
}

func TestAttributeReferences(t *testing.T) {
	got := plain(t, `<p><a href="/q?a=1&amp;b=2">x</a><img alt="Tom &amp; Jerry"></p>`, func(o *Options) { o.Links = true })
	if got != "x (/q?a=1&b=2) Tom & Jerry" {
		t.Errorf("got %q", got)
	}
}
