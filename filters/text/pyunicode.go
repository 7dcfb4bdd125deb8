package text

import "unicode"

// asciiClass holds the Python predicates of the ASCII characters.
var asciiClass [128]uint8

const (
	clSpace uint8 = 1 << iota
	clUpper
	clDigit
	clAlpha
	clWord
)

func init() {
	for c := 0; c < 128; c++ {
		var f uint8
		switch {
		case c >= '\t' && c <= '\r', c >= 0x1c && c <= 0x20:
			f |= clSpace
		case c >= 'A' && c <= 'Z':
			f |= clUpper | clAlpha | clWord
		case c >= 'a' && c <= 'z':
			f |= clAlpha | clWord
		case c >= '0' && c <= '9':
			f |= clDigit | clWord
		case c == '_':
			f |= clWord
		}
		asciiClass[c] = f
	}
}

// IsSpace reports Python's str.isspace for one code point: the characters
// str.split(), str.strip() and the \s of Python's re treat as whitespace
// (bidirectional class WS, B or S, or category Zs). Unlike Go's
// unicode.IsSpace it includes U+001C..U+001F.
func IsSpace(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clSpace != 0
	}
	return isSpaceSlow(r)
}

func isSpaceSlow(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clSpace != 0
	}
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// IsUpper reports Python's str.isupper for one code point: the derived
// property Uppercase (category Lu plus Other_Uppercase, such as Ⓐ or Ⅻ).
func IsUpper(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clUpper != 0
	}
	if r < 0x10000 {
		bmp()
		return bmpClass[r]&clUpper != 0
	}
	return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r)
}

func isUpperSlow(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clUpper != 0
	}
	return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r)
}

// IsDecimal reports Python's str.isdecimal for one code point (category Nd);
// it is also what \d matches in Python's re.
func IsDecimal(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clDigit != 0
	}
	return unicode.Is(unicode.Nd, r)
}

// digitExtra lists the code points with Numeric_Type=Digit that are not in
// category Nd (superscripts, circled digits, ...), which Python's isdigit
// accepts. Taken from CPython's unicodedata (Unicode 14.0.0).
var digitExtra = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x00b2, 0x00b3, 1}, {0x00b9, 0x00b9, 1}, {0x1369, 0x1371, 1},
		{0x19da, 0x19da, 1}, {0x2070, 0x2070, 1}, {0x2074, 0x2079, 1},
		{0x2080, 0x2089, 1}, {0x2460, 0x2468, 1}, {0x2474, 0x247c, 1},
		{0x2488, 0x2490, 1}, {0x24ea, 0x24ea, 1}, {0x24f5, 0x24fd, 1},
		{0x24ff, 0x24ff, 1}, {0x2776, 0x277e, 1}, {0x2780, 0x2788, 1},
		{0x278a, 0x2792, 1},
	},
	R32: []unicode.Range32{
		{0x10a40, 0x10a43, 1}, {0x10e60, 0x10e68, 1}, {0x11052, 0x1105a, 1},
		{0x1f100, 0x1f10a, 1},
	},
	LatinOffset: 2,
}

// IsDigit reports Python's str.isdigit for one code point: Nd plus the
// other characters with Numeric_Type=Digit (so "²" is a digit).
func IsDigit(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clDigit != 0
	}
	if r < 0x10000 {
		bmp()
		return bmpClass[r]&clDigit != 0
	}
	return unicode.Is(unicode.Nd, r) || unicode.Is(digitExtra, r)
}

func isDigitSlow(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clDigit != 0
	}
	return unicode.Is(unicode.Nd, r) || unicode.Is(digitExtra, r)
}

// IsAlpha reports Python's str.isalpha for one code point (categories L*).
func IsAlpha(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clAlpha != 0
	}
	if r < 0x10000 {
		bmp()
		return bmpClass[r]&clAlpha != 0
	}
	return unicode.IsLetter(r)
}

func isAlphaSlow(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clAlpha != 0
	}
	return unicode.IsLetter(r)
}

// IsAlnum reports Python's str.isalnum for one code point: isalpha or
// isdecimal or isdigit or isnumeric, which for every assigned code point is
// category L* or N*.
func IsAlnum(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&(clAlpha|clDigit) != 0
	}
	if r < 0x10000 {
		bmp()
		return bmpClass[r]&clWord != 0
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

func isAlnumSlow(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&(clAlpha|clDigit) != 0
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// IsWord reports whether Python's re treats r as a word character (\w):
// isalnum or '_'.
func IsWord(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clWord != 0
	}
	return IsAlnum(r)
}

// reFoldClass maps the members of CPython's case-insensitive equivalence
// classes (re._casefix) to one representative.
var reFoldClass = map[rune]rune{
	0x131: 0x69, 0x17f: 0x73, 0x3bc: 0xb5, 0x3b9: 0x345, 0x1fbe: 0x345,
	0x1fd3: 0x390, 0x1fe3: 0x3b0, 0x3d0: 0x3b2, 0x3f5: 0x3b5, 0x3d1: 0x3b8,
	0x3f0: 0x3ba, 0x3d6: 0x3c0, 0x3f1: 0x3c1, 0x3c3: 0x3c2, 0x3d5: 0x3c6,
	0x1c80: 0x432, 0x1c81: 0x434, 0x1c82: 0x43e, 0x1c83: 0x441,
	0x1c84: 0x442, 0x1c85: 0x442, 0x1c86: 0x44a, 0x1c87: 0x463,
	0x1c88: 0xa64b, 0x1e9b: 0x1e61, 0xfb06: 0xfb05,
}

// FoldRune returns the key under which Python's re with IGNORECASE compares
// a character: its simple lowercase mapping, merged with the extra
// equivalences CPython adds (ı ~ i, ſ ~ s, µ ~ μ, ...). Two characters match
// case-insensitively in Python's re exactly when their FoldRune is equal.
func FoldRune(r rune) rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	l := unicode.ToLower(r)
	if c, ok := reFoldClass[l]; ok {
		return c
	}
	return l
}
