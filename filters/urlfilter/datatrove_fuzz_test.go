package urlfilter

import (
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// FuzzSplitHost checks tldextract's parts on any string: the registered
// domain ends the full host name, which is a host of the URL (no path,
// query, fragment, user or port), and whose labels beyond the registered
// domain's are the URL's own.
func FuzzSplitHost(f *testing.F) {
	for _, s := range []string{"http://www.google.co.uk/x", "a+-.://example.com", "http://xn--zckzap6140b352by.blog.so-net.教育.hk",
		"angelinablog。com.de", "http://a..b.google.com/", "http://[2001:db8::1]:80/", "www.ck", "foo.bar.kawasaki.jp", "\u2028x.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		h := splitHost(url)
		if h.registered == "" {
			if h.fqdn != "" {
				t.Fatalf("%q: fqdn %q without a registered domain", url, h.fqdn)
			}
			return
		}
		if h.fqdn != h.registered && !strings.HasSuffix(h.fqdn, "."+h.registered) {
			t.Fatalf("%q: fqdn %q does not end with %q", url, h.fqdn, h.registered)
		}
		if strings.ContainsAny(h.fqdn, "/?#@") || strings.HasSuffix(h.fqdn, ".") {
			t.Fatalf("%q: fqdn %q", url, h.fqdn)
		}
		if strings.ContainsRune(h.fqdn, ':') || strings.ContainsFunc(h.fqdn, isPySpace) {
			return // not a host that survives being put back in a URL
		}
		if h2 := splitHost("http://" + h.fqdn + "/"); h2 != h {
			t.Fatalf("%q: %+v, but its fqdn gives %+v", url, h, h2)
		}
	})
}

// FuzzURLFilter checks url_filter on any URL: no panic, Measure and Decide
// give Filter's reason.
func FuzzURLFilter(f *testing.F) {
	step := buildDT(f, func(p *DatatroveParams) { p.ExtraDomains = Strings{"blocked.com"} }, filters.Env{})
	for _, s := range []string{"https://blocked.com/x", "https://a.b/sexy-nude", "https://a.b/bigtits", "-", "https://x.com/porn/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		d := &filters.Doc{ID: "fuzz", URL: url}
		if _, err := step.Filter(d); err != nil {
			t.Fatalf("%q: %v", url, err)
		}
		if err := filters.CheckDecision(step, d); err != nil {
			t.Fatal(err)
		}
	})
}
