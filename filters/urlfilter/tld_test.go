package urlfilter

import "testing"

// TestSplitHost reproduces tldextract's own expectations for fqdn and, from
// its domain and suffix, registered_domain (john-kurkowski/tldextract
// tests/main_test.py at commit 02374f963779c3c707ab33193971753131283004),
// under its defaults (ICANN suffixes only).
func TestSplitHost(t *testing.T) {
	for _, c := range []struct{ url, fqdn, domain, suffix string }{
		{"http://www.google.com", "www.google.com", "google", "com"},
		{"http://www.theregister.co.uk", "www.theregister.co.uk", "theregister", "co.uk"},
		{"http://gmail.com", "gmail.com", "gmail", "com"},
		{"http://media.forums.theregister.co.uk", "media.forums.theregister.co.uk", "theregister", "co.uk"},
		{"http://www.www.com", "www.www.com", "www", "com"},
		{"http://www.com", "www.com", "www", "com"},
		{"com", "", "", "com"},
		{"co.uk", "", "", "co.uk"},
		{"example.ck", "", "", "example.ck"},
		{"www.example.ck", "www.example.ck", "www", "example.ck"},
		{"sub.www.example.ck", "sub.www.example.ck", "www", "example.ck"},
		{"www.ck", "www.ck", "www", "ck"},
		{"nes.buskerud.no", "", "", "nes.buskerud.no"},
		{"buskerud.no", "buskerud.no", "buskerud", "no"},
		{"http://internalunlikelyhostname/", "", "internalunlikelyhostname", ""},
		{"http://internalunlikelyhostname.bizarre", "", "bizarre", ""},
		{"http://internalunlikelyhostname.info/", "internalunlikelyhostname.info", "internalunlikelyhostname", "info"},
		{"http://internalunlikelyhostname.information/", "", "information", ""},
		{"http://216.22.0.192/", "", "216.22.0.192", ""},
		{"http://216.22.project.coop/", "216.22.project.coop", "project", "coop"},
		{"1\u00e9", "", "1\u00e9", ""},
		{"http://xn--h1alffa9f.xn--p1ai", "xn--h1alffa9f.xn--p1ai", "xn--h1alffa9f", "xn--p1ai"},
		{"http://xN--h1alffa9f.xn--p1ai", "xN--h1alffa9f.xn--p1ai", "xN--h1alffa9f", "xn--p1ai"},
		{"http://XN--h1alffa9f.xn--p1ai", "XN--h1alffa9f.xn--p1ai", "XN--h1alffa9f", "xn--p1ai"},
		{"xn--tub-1m9d15sfkkhsifsbqygyujjrw602gk4li5qqk98aca0w.google.com", "xn--tub-1m9d15sfkkhsifsbqygyujjrw602gk4li5qqk98aca0w.google.com", "google", "com"},
		{"xn--tub-1m9d15sfkkhsifsbqygyujjrw60.google.com", "xn--tub-1m9d15sfkkhsifsbqygyujjrw60.google.com", "google", "com"},
		{"http://xn--zckzap6140b352by.blog.so-net.xn--wcvs22d.hk", "xn--zckzap6140b352by.blog.so-net.xn--wcvs22d.hk", "so-net", "xn--wcvs22d.hk"},
		{"http://xn--&.so-net.com", "xn--&.so-net.com", "so-net", "com"},
		{"http://xn--zckzap6140b352by.blog.so-net.教育.hk", "xn--zckzap6140b352by.blog.so-net.教育.hk", "so-net", "教育.hk"},
		{"xn--gieen46ers-73a.de", "xn--gieen46ers-73a.de", "xn--gieen46ers-73a", "de"},
		{"angelinablog。com.de", "angelinablog.com.de", "com", "de"},
		{"http://", "", "", ""},
		{"//", "", "", ""},
		{"://", "", "", ""},
		{"://example.com", "", "", ""},
		{"a+-.://example.com", "example.com", "example", "com"},
		{"a#//example.com", "", "a", ""},
		{"a@://example.com", "", "", ""},
		{"#//example.com", "", "", ""},
		{"https://mail.google.com/mail", "mail.google.com", "google", "com"},
		{"ssh://mail.google.com/mail", "mail.google.com", "google", "com"},
		{"//mail.google.com/mail", "mail.google.com", "google", "com"},
		{"mail.google.com/mail", "mail.google.com", "google", "com"},
		{"git+ssh://www.github.com:8443/", "www.github.com", "github", "com"},
		{"ftp://johndoe:5cr1p7k1dd13@1337.warez.com:2501", "1337.warez.com", "warez", "com"},
		{"http://google.com?q=cats", "google.com", "google", "com"},
		{"http://google.com#Welcome", "google.com", "google", "com"},
		{"http://google.com/#Welcome", "google.com", "google", "com"},
		{"http://google.com/s#Welcome", "google.com", "google", "com"},
		{"http://google.com/s?q=cats#Welcome", "google.com", "google", "com"},
		{"http://www.parliament.uk", "www.parliament.uk", "parliament", "uk"},
		{"http://www.parliament.co.uk", "www.parliament.co.uk", "parliament", "co.uk"},
		{"http://www.cgs.act.edu.au/", "www.cgs.act.edu.au", "cgs", "act.edu.au"},
		{"http://www.google.com.au/", "www.google.com.au", "google", "com.au"},
		{"http://www.metp.net.cn", "www.metp.net.cn", "metp", "net.cn"},
		{"za", "", "za", ""},
		{"example.za", "", "za", ""},
		{"co.za", "", "", "co.za"},
		{"example.co.za", "example.co.za", "example", "co.za"},
		{"sub.example.co.za", "sub.example.co.za", "example", "co.za"},
		{"http://www.example.com./", "www.example.com", "example", "com"},
		{"http://www.example.com\u3002/", "www.example.com", "example", "com"},
		{"http://www.example.com\uff0e/", "www.example.com", "example", "com"},
		{"http://www.example.com\uff61/", "www.example.com", "example", "com"},
		{"http://waiterrant.blogspot.com", "waiterrant.blogspot.com", "blogspot", "com"},
		{"http://127.0.0.1/foo/bar", "", "127.0.0.1", ""},
		{"http://256.256.256.256/foo/bar", "", "256", ""},
		{"http://127.0.0.1.9/foo/bar", "", "9", ""},
		{"http://admin:password1@www.google.com:666/secret/admin/interface?param1=42", "www.google.com", "google", "com"},
		{"foo.uk.com", "foo.uk.com", "uk", "com"},
		{"foo.blogspot.com", "foo.blogspot.com", "blogspot", "com"},
		// Not in tldextract's tests: hosts with empty labels, a bracketed
		// IPv6 literal, and the case of the URL kept.
		{"http://.google.com/", "google.com", "google", "com"},
		{"http://a..b.google.com/", "a..b.google.com", "google", "com"},
		{"http://[2001:db8::1]:80/", "", "[2001:db8::1]", ""},
		{"HTTP://WWW.Google.COM/", "WWW.Google.COM", "Google", "COM"},
	} {
		want := hostParts{fqdn: c.fqdn}
		if c.domain != "" && c.suffix != "" {
			want.registered = c.domain + "." + c.suffix
		}
		if got := splitHost(c.url); got != want {
			t.Errorf("%q: %+v, want %+v", c.url, got, want)
		}
	}
}
