package heuristics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// pyLower returns Python's s.lower(): Go's simple lowercase mapping, plus the
// two full mappings Python applies that differ (İ becomes "i̇", and Σ becomes
// final ς after a letter when no letter follows).
func pyLower(s string) string {
	ascii := true
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return s
		}
		b := []byte(s)
		for i, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(s))
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == 0x130:
			sb.WriteString("i\u0307")
		case r == 0x3a3 && i > 0 && unicode.IsLetter(rs[i-1]) && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1])):
			sb.WriteRune(0x3c2)
		default:
			sb.WriteRune(unicode.ToLower(r))
		}
	}
	return sb.String()
}
