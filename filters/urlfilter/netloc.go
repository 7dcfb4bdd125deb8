package urlfilter

import (
	"errors"
	"net/netip"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// netloc returns urllib.parse.urlparse(url).netloc as Python 3.11+ computes
// it: leading C0 controls and spaces stripped, tabs and line breaks removed,
// an optional scheme (ASCII letter, then letters, digits, "+", "-", ".")
// before the first ":", then the authority after "//" up to the first "/",
// "?" or "#". Like Python it fails on unbalanced IPv6 brackets and on
// non-ASCII network locations that NFKC-normalize to URL delimiters.
func netloc(url string) (string, error) {
	url = strings.TrimLeft(url, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"+
		"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	if strings.ContainsAny(url, "\t\r\n") {
		url = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
	}
	if i := strings.IndexByte(url, ':'); i > 0 && isASCIILetter(url[0]) {
		ok := true
		for j := 0; j < i; j++ {
			if !isSchemeChar(url[j]) {
				ok = false
				break
			}
		}
		if ok {
			url = url[i+1:]
		}
	}
	if !strings.HasPrefix(url, "//") {
		return "", nil
	}
	rest := url[2:]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	open, closed := strings.Contains(rest, "["), strings.Contains(rest, "]")
	if open != closed {
		return "", errors.New("invalid IPv6 URL")
	}
	if open {
		if err := checkBracketed(rest); err != nil {
			return "", err
		}
	}
	if err := checkNetloc(rest); err != nil {
		return "", err
	}
	return rest, nil
}

// checkNetloc is urllib's _checknetloc: a non-ASCII netloc whose NFKC form
// gains one of "/?#@:" is rejected.
func checkNetloc(n string) error {
	ascii := true
	for i := 0; i < len(n); i++ {
		if n[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	bare := strings.NewReplacer("@", "", ":", "", "#", "", "?", "").Replace(n)
	nf := norm.NFKC.String(bare)
	if nf == bare {
		return nil
	}
	if strings.ContainsAny(nf, "/?#@:") {
		return errors.New("netloc " + n + " contains invalid characters under NFKC normalization")
	}
	return nil
}

// checkBracketed is urllib's _check_bracketed_netloc: "[...]" must come
// right after the user information, hold an IPv6 address (or an IPvFuture
// "vX.Y") and be followed by nothing or a port.
func checkBracketed(n string) error {
	if i := strings.LastIndexByte(n, '@'); i >= 0 {
		n = n[i+1:]
	}
	before, bracketed, _ := strings.Cut(n, "[")
	if before != "" {
		return errors.New("invalid IPv6 URL")
	}
	host, port, _ := strings.Cut(bracketed, "]")
	if port != "" && !strings.HasPrefix(port, ":") {
		return errors.New("invalid IPv6 URL")
	}
	if strings.HasPrefix(host, "v") {
		if !ipvFuture.MatchString(host) {
			return errors.New("IPvFuture address is invalid")
		}
		return nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Is4() {
		return errors.New("invalid IPv6 URL: " + host + " is not an IPv6 address")
	}
	return nil
}

var ipvFuture = regexp.MustCompile(`\Av[a-fA-F0-9]+\..+\z`)

// hostname strips the user information, the port and a trailing dot from a
// network location ("user@Example.com.:8080" gives "Example.com"); IPv6
// literals keep their brackets.
func hostname(netloc string) string {
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	if strings.HasPrefix(netloc, "[") {
		if i := strings.IndexByte(netloc, ']'); i >= 0 {
			return netloc[:i+1]
		}
		return netloc
	}
	if i := strings.LastIndexByte(netloc, ':'); i >= 0 {
		netloc = netloc[:i]
	}
	return strings.TrimSuffix(netloc, ".")
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSchemeChar(c byte) bool {
	return isASCIILetter(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}
