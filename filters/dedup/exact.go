package dedup

import (
	"crypto/md5"
	"fmt"
	"regexp"
	"strings"

	"github.com/curator-dev/curator/filters/text"
)

// KeyKind names the content key of exact_dedup.
type KeyKind string

// The exact_dedup keys (DCLM's DEDUP_NORMALIZERS).
const (
	// KeyText is the text as is (DCLM's hash_text).
	KeyText KeyKind = "text"
	// KeyNormalizedText is DCLM's normalize_whitespace_and_lowercase:
	// Python's text.strip().lower().
	KeyNormalizedText KeyKind = "normalized_text"
	// KeyURL is DCLM's normalize_url of the document's URL.
	KeyURL KeyKind = "url"
)

// ParseKeyKind checks a key name.
func ParseKeyKind(s string) (KeyKind, error) {
	switch k := KeyKind(s); k {
	case KeyText, KeyNormalizedText, KeyURL:
		return k, nil
	}
	return "", fmt.Errorf("unknown exact_dedup key %q (want text, normalized_text or url)", s)
}

// Key is the MD5 of a normalized content key, as DCLM's dedup_jsonl.py.
type Key [md5.Size]byte

// ContentKey returns the key of a document's text and URL.
func ContentKey(kind KeyKind, docText, url string) Key {
	switch kind {
	case KeyNormalizedText:
		return md5.Sum([]byte(NormalizeText(docText)))
	case KeyURL:
		return md5.Sum([]byte(NormalizeURL(url)))
	}
	return md5.Sum([]byte(docText))
}

var (
	urlScheme = regexp.MustCompile(`https?://(www\.)?`)
	urlTrack  = regexp.MustCompile(`\?(utm_|ref|feed).*`)
)

// NormalizeURL is DCLM's normalize_url (from TFDS C4): every
// "http(s)://(www.)" removed, then from the first "?utm_", "?ref" or
// "?feed" to the end of its line, then trailing slashes.
func NormalizeURL(u string) string {
	u = urlScheme.ReplaceAllLiteralString(u, "")
	u = urlTrack.ReplaceAllLiteralString(u, "")
	return strings.TrimRight(u, "/")
}

// NormalizeText is DCLM's normalize_whitespace_and_lowercase: Python's
// text.strip().lower().
func NormalizeText(s string) string { return text.Lower(text.Strip(s)) }
