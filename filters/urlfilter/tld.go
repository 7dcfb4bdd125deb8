package urlfilter

import (
	"strings"

	"golang.org/x/net/idna"
)

// hostParts are the parts of a URL's host that datatrove's url_filter
// reads from tldextract (5.x, its defaults: ICANN suffixes only, private
// suffixes such as blogspot.com ignored).
type hostParts struct {
	// registered is tldextract's registered_domain ("domain.suffix"), fqdn
	// its fqdn ("sub.domain.suffix"); both empty when the host has no
	// public suffix or nothing left of it. Case is the URL's, as tldextract
	// keeps it.
	registered, fqdn string
}

// splitHost returns the parts of url's host as tldextract finds them:
// lenientNetloc, then the ICANN rules of the public suffix list (psl.go)
// matched on the lower-cased, punycode-decoded labels.
func splitHost(url string) hostParts {
	host := lenientNetloc(url)
	if host == "" {
		return hostParts{}
	}
	// An IPv4 or bracketed IPv6 literal matches no rule: its last label
	// ("4", "1]") is no public suffix.
	labels := strings.Split(host, ".")
	n := icannSuffixLabels(labels)
	if n == 0 || n >= len(labels) || labels[len(labels)-n-1] == "" {
		return hostParts{} // no suffix, or no domain label before it
	}
	h := hostParts{registered: strings.Join(labels[len(labels)-n-1:], ".")}
	h.fqdn = h.registered
	if sub := strings.Join(labels[:len(labels)-n-1], "."); sub != "" {
		h.fqdn = sub + "." + h.registered // tldextract joins the non-empty parts
	}
	return h
}

// icannSuffixLabels returns how many trailing labels form the host's public
// suffix under the ICANN rules, or 0 when no rule matches (tldextract does
// not apply the list's default "*" rule: an unknown TLD has no suffix).
func icannSuffixLabels(labels []string) int {
	decoded := make([]string, len(labels))
	for i, l := range labels {
		decoded[i] = decodePunycode(l)
	}
	return len(labels) - icannRules().suffixIndex(decoded)
}

// decodePunycode is tldextract's _decode_punycode: the label lower-cased,
// and an "xn--" label decoded to Unicode when it decodes.
func decodePunycode(label string) string {
	l := strings.ToLower(label)
	if strings.HasPrefix(l, "xn--") {
		if u, err := idna.Punycode.ToUnicode(l); err == nil {
			return u
		}
	}
	return l
}

// lenientNetloc is tldextract's lenient_netloc: the host of a URL-like
// string, without scheme, user information, port, path, query or
// fragment, without trailing dots, case kept; a bracketed IPv6 host keeps
// its brackets. Unicode full stops (U+3002, U+FF0E, U+FF61) count as dots.
func lenientNetloc(url string) string {
	s := schemelessURL(url)
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		// partition("/"), then "?", then "#": the first of the three cuts.
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if s != "" && s[0] == '[' {
		if i := strings.IndexByte(s, ']'); i >= 0 {
			return s[:i+1]
		}
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimFunc(s, isPySpace)
	s = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".").Replace(s)
	return strings.TrimRight(s, ".")
}

// schemelessURL is tldextract's _schemeless_url: url after "//" when what
// precedes it is empty or a scheme ("http:"), else url unchanged.
func schemelessURL(url string) string {
	i := strings.Index(url, "//")
	if i == 0 {
		return url[2:]
	}
	if i < 2 || url[i-1] != ':' {
		return url
	}
	for j := 0; j < i-1; j++ {
		if !isSchemeChar(url[j]) {
			return url
		}
	}
	return url[i+2:]
}

// isPySpace reports whether r is whitespace to Python's str.strip().
func isPySpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0, 0x1680,
		0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return 0x2000 <= r && r <= 0x200a
}
