package urlfilter

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
)

func stripBuild(t testing.TB, fix bool) *urlRemoval {
	t.Helper()
	e, ok := filters.Lookup("url_removal_modifier")
	if !ok {
		t.Fatal("url_removal_modifier is not registered")
	}
	p := e.Defaults().(URLRemovalParams)
	p.FixTLDGate = fix
	s, err := e.Build(p, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(*urlRemoval)
}

func stripRun(t testing.TB, u *urlRemoval, s string) (string, string) {
	d := &filters.Doc{Text: s}
	reason, err := u.Modify(d)
	if err != nil {
		t.Fatal(err)
	}
	return d.Text, reason
}

func TestURLRemoval(t *testing.T) {
	u := stripBuild(t, false)
	fixed := stripBuild(t, true)
	for _, c := range []struct{ in, dclm, fixed string }{
		// Verified by running DCLM's function (reference notes §1.3).
		{"Hello, visit www.example.com today.", "Hello, visit www.example.com today.", "Hello, visit today."},
		{"This page: visit www.example.com today.", "This page: visit today.", "This page: visit today."},
		{"Welcome to www.example.com and 192.168.0.1 ok", "Welcome to www.example.com and ok", "Welcome to and ok"},
		// No IGNORECASE in url_regex: upper-case TLDs stay.
		{"This EXAMPLE.COM stays, example.com goes", "This EXAMPLE.COM stays, goes", "This EXAMPLE.COM stays, goes"},
		// \b after the TLD is Unicode: "comé" is no TLD end, but ".co" + "m" neither.
		{"This x.comé y.com/a?b=1 z", "This x.comé z", "This x.comé z"},
		// Up to 10 whitespace characters (newlines too) go with the URL.
		{"This a\n\n   x.org\nb", "This a\nb", "This a\nb"},
		{"This a" + strings.Repeat(" ", 12) + "x.org b", "This a   b", "This a   b"}, // 2 spaces stay
		// IPv4 needs a word boundary before it.
		{"Go v1.2.3.4 or 版本1.2.3.4 or 1.2.3.4", "Go v1.2.3.4 or 版本1.2.3.4 or", "Go v1.2.3.4 or 版本1.2.3.4 or"},
		{"a 999.1.1.1 b 10.0.0.256/x c", "a 999.1.1.1 b c", "a 999.1.1.1 b c"},
		{"This scheme: https://example.org/path?q=1#x done", "This scheme: done", "This scheme: done"},
		{"This site.测试 and site.中国x", "This and site.中国x", "This and site.中国x"},
	} {
		if got, _ := stripRun(t, u, c.in); got != c.dclm {
			t.Errorf("%q: %q, want %q", c.in, got, c.dclm)
		}
		if got, _ := stripRun(t, fixed, c.in); got != c.fixed {
			t.Errorf("fix_tld_gate %q: %q, want %q", c.in, got, c.fixed)
		}
	}
	if _, reason := stripRun(t, u, " 10.0.0.1"); reason != "empty" {
		t.Errorf("a page of one IP address: reason %q, want empty", reason)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{{"This", true}, {"THIS", true}, {"xyz", true}, {"Hello", false}, {"Welcome", false}, {"", false}, {"ſhop x", true}} {
		if got := u.gate.prefixMatch(c.s); got != c.want {
			t.Errorf("gate(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// stripRetriePattern builds the regex retrie's Trie.pattern() makes of keys
// (alternatives sorted as strings, greedy optional groups).
func stripRetriePattern(keys []string) string {
	type node struct {
		kids map[rune]*node
		leaf bool
	}
	root := &node{kids: map[rune]*node{}}
	for _, k := range keys {
		n := root
		for _, r := range k {
			c := n.kids[r]
			if c == nil {
				c = &node{kids: map[rune]*node{}}
				n.kids[r] = c
			}
			n = c
		}
		n.leaf = true
	}
	var pat func(n *node) (string, bool)
	pat = func(n *node) (string, bool) {
		if len(n.kids) == 0 {
			return "", false
		}
		var deeper, current []string
		keys := make([]rune, 0, len(n.kids))
		for r := range n.kids {
			keys = append(keys, r)
		}
		slices.Sort(keys)
		for _, r := range keys {
			if p, ok := pat(n.kids[r]); ok {
				deeper = append(deeper, regexp.QuoteMeta(string(r))+p)
			} else {
				current = append(current, regexp.QuoteMeta(string(r)))
			}
		}
		final := slices.Clone(deeper)
		if len(current) == 1 {
			final = append(final, current[0])
		} else if len(current) > 1 {
			final = append(final, "["+strings.Join(current, "")+"]")
		}
		res := final[0]
		if len(final) > 1 {
			slices.Sort(final)
			res = "(?:" + strings.Join(final, "|") + ")"
		}
		if n.leaf {
			if len(deeper) == 0 {
				res += "?"
			} else {
				res = "(?:" + res + ")?"
			}
		}
		return res, true
	}
	p, _ := pat(root)
	return p
}

// FuzzStripURLs compares the hand-written matchers with DCLM's regular
// expressions run by Go's regexp, on ASCII text, where Python's \s and \b
// and Go's (with \s spelled out) agree; leftmost-first alternation and
// greedy repetition are the same in both engines.
func FuzzStripURLs(f *testing.F) {
	var keys []string
	for _, l := range splitLinesPy(ianaTLDs) {
		keys = append(keys, pyReEscape(l))
	}
	tp := stripRetriePattern(keys)
	sp := `[\t-\r\x1c-\x20]`
	urlRe := regexp.MustCompile(sp + `{0,10}(?:((https?|ftp)://))?[-a-zA-Z0-9@:%._\+~#=]{1,256}\.(` + tp + `)\b([-a-zA-Z0-9()@:%_\+.~#?&//=]*)`)
	ipRe := regexp.MustCompile(sp + `{0,10}\b((https?|ftp)://)?(?:[0-2]?[0-9]{1,2}\.){3}[0-2]?[0-9]{1,2}[-a-zA-Z0-9()@:%_\+.~#?&//=]*`)
	gateRe := regexp.MustCompile(`(?i)^(?:` + tp + `)`)
	u := stripBuild(f, false)
	for _, s := range []string{"This page: visit www.example.com today.", "Welcome to www.example.com and 192.168.0.1 ok",
		"x.co.uk.comx a.b.c 1.2.3.4.5 http://1.2.3.4:80/x", strings.Repeat("a", 300) + ".com", "\x1c\x1d\x1e\x1f x.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return
			}
		}
		if got, want := u.gate.prefixMatch(s), gateRe.MatchString(s); got != want {
			t.Fatalf("gate(%q) = %v, want %v", s, got, want)
		}
		if got, want := u.stripURLs(s), urlRe.ReplaceAllString(s, ""); got != want {
			t.Fatalf("URLs of %q: %q, want %q", s, got, want)
		}
		if got, want := stripIPv4(s), ipRe.ReplaceAllString(s, ""); got != want {
			t.Fatalf("IPv4 of %q: %q, want %q", s, got, want)
		}
	})
}
