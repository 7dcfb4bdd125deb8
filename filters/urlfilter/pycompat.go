package urlfilter

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the few pieces of Python's string semantics that DCLM's
// url_substring_filter relies on: str.lower, str.splitlines, the Unicode \w
// class behind \b, and the case-insensitive character equivalences of the
// re module.

// pyLower lower-cases s as Python's str.lower does: the full case mapping
// (U+0130 becomes "i\u0307") and the Final_Sigma rule for U+03A3. Every other
// rune takes its simple lower-case mapping, as in Python.
func pyLower(s string) string {
	ascii := true
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return s
		}
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		switch r {
		case 0x130:
			b.WriteString("i\u0307")
		case 0x3A3:
			if finalSigma(rs, i) {
				b.WriteRune(0x3C2)
			} else {
				b.WriteRune(0x3C3)
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma reports whether the capital sigma at rs[i] is in the Unicode
// Final_Sigma context: a cased letter before it and none after it, skipping
// case-ignorable runes (CPython's handle_capital_sigma).
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && caseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !cased(rs[j]) {
		return false
	}
	j = i + 1
	for j < len(rs) && caseIgnorable(rs[j]) {
		j++
	}
	return j == len(rs) || !cased(rs[j])
}

func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.Is(unicode.Other_Lowercase, r) || unicode.Is(unicode.Other_Uppercase, r)
}

func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// pySplitlines splits s as Python's str.splitlines does (without keepends):
// on \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028 and U+2029, with
// no empty element after a final line break.
func pySplitlines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i])
			start = i + n
		case '\r':
			out = append(out, s[start:i])
			if i+1 < len(s) && s[i+1] == '\n' {
				n++
			}
			start = i + n
		}
		i += n
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// isWord reports whether r is in Python's Unicode \w class (str.isalnum()
// or '_'), which decides where \b matches.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// reEquivalent maps the runes that Python's re module treats as equal under
// IGNORECASE beyond simple lower-casing (sre_compile._equivalences) to one
// representative of their class.
var reEquivalent = map[rune]rune{
	0x131:  'i',   // dotless i ~ i
	0x17F:  's',   // long s ~ s
	0x3BC:  0xB5,  // mu ~ micro sign
	0x3B9:  0x345, // iota ~ ypogegrammeni ~ prosgegrammeni
	0x1FBE: 0x345,
	0x1FD3: 0x390,
	0x1FE3: 0x3B0,
	0x3D0:  0x3B2, // beta symbol ~ beta
	0x3F5:  0x3B5,
	0x3D1:  0x3B8,
	0x3F0:  0x3BA,
	0x3D6:  0x3C0,
	0x3F1:  0x3C1,
	0x3C2:  0x3C3, // final sigma ~ sigma
	0x3D5:  0x3C6,
	0x1E9B: 0x1E61,
	0xFB05: 0xFB06,
	0x1C80: 0x432, // Cyrillic small letter rounded ve ~ ve, and so on
	0x1C81: 0x434,
	0x1C82: 0x43E,
	0x1C83: 0x441,
	0x1C84: 0x442,
	0x1C85: 0x442,
	0x1C86: 0x44A,
	0x1C87: 0x463,
	0x1C88: 0xA64B,
}

// foldRune returns the representative of r's class under Python's
// re.IGNORECASE: its simple lower-case mapping, then the equivalences above.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	if e, ok := reEquivalent[r]; ok {
		return e
	}
	return r
}
