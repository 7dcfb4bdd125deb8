package dedup

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// cFast marks the code points other than ASCII that the fast scanner
// segments itself (see bmpClasses); its other bits are those of wbClass,
// and cExt, the Extend and Format characters, which a word takes in
// (WB4).
const (
	cFast uint8 = 1 << 6
	cExt  uint8 = 1 << 7
)

// bmpClasses returns the classes of the code points of the Basic
// Multilingual Plane for the fast scanner (fastNext): ASCII as wbClass; a
// code point above ASCII has cFast and its class when its UAX #29
// Word_Break property is one the scanner handles — ALetter (cWord|cAlpha;
// Hebrew letters excluded), Numeric (cWord|cDigit), MidLetter (cMidL),
// MidNum (cMidN), MidNumLet (cMidL|cMidN), Other (none), Extend and
// Format (cExt) — and 0 otherwise (ZWJ, Katakana, Hebrew_Letter,
// ExtendNumLet, and code points we do not classify), which sends the text
// around it to rivo/uniseg. White_Space code points that never join a
// neighbour are cSpace. The classes are derived from package unicode and
// checked against rivo/uniseg for every code point
// (TestFastClassesMatchUniseg); building the table takes a few
// milliseconds, once.
var bmpClasses = sync.OnceValue(func() *[1 << 16]uint8 {
	t := new([1 << 16]uint8)
	copy(t[:], wbClass[:128])
	for r := rune(0x80); r < 1<<16; r++ {
		if c, ok := deriveClass(r); ok {
			t[r] = cFast | c
		}
	}
	return t
})

// fastLetterScripts are the scripts whose letters are ALetter (Word_Break
// excludes ideographs, Hiragana, Katakana, Hebrew and the scripts of
// Line_Break SA) and common in web text.
var fastLetterScripts = []*unicode.RangeTable{
	unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Armenian, unicode.Georgian,
	unicode.Arabic, unicode.Hangul, unicode.Devanagari, unicode.Bengali, unicode.Tamil,
	unicode.Telugu, unicode.Gujarati, unicode.Gurmukhi, unicode.Kannada, unicode.Malayalam,
	unicode.Ethiopic, unicode.Sinhala, unicode.Oriya,
}

// fastOtherScripts are the scripts whose letters are Other: each is a
// segment of its own (ideographs, Hiragana, and the scripts of
// Line_Break SA, which UAX #29 leaves to dictionaries).
var fastOtherScripts = []*unicode.RangeTable{
	unicode.Ideographic, unicode.Hiragana, unicode.Thai, unicode.Lao, unicode.Myanmar, unicode.Khmer,
}

// deriveClass returns the fast scanner's class of r (above ASCII, in the
// BMP), or false when r is left to rivo/uniseg.
func deriveClass(r rune) (uint8, bool) {
	switch r {
	case 0x202f: // NARROW NO-BREAK SPACE: White_Space and ExtendNumLet
		return 0, false
	case 0xb7, 0x387, 0x2027, 0xfe13, 0xfe55, 0xff1a:
		return cMidL, true
	case 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b:
		return cMidN, true
	case 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e:
		return cMidL | cMidN, true
	}
	switch {
	case r >= 0xd800 && r <= 0xdfff, r == 0x200b, r == 0x200d,
		// symbols and punctuation that UAX #29 lists as ALetter or Numeric
		r >= 0x2b0 && r <= 0x2ff, r >= 0x559 && r <= 0x55c, r == 0x55e, r == 0x55f, r == 0x58a, r >= 0x5f3 && r <= 0x5f4, r == 0x66b,
		r >= 0xa708 && r <= 0xa721, r >= 0xa789 && r <= 0xa78a, r == 0xab5b,
		// Prepend format characters
		r >= 0x600 && r <= 0x605, r == 0x6dd, r == 0x70f, r == 0x890, r == 0x891, r == 0x8e2:
		return 0, false
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf, unicode.Other_Grapheme_Extend):
		return cExt, true
	case unicode.IsSpace(r):
		return cSpace, true
	case r >= 0x3000 && r <= 0x33ff && !unicode.In(r, unicode.Hiragana, unicode.Ideographic, unicode.P) ||
		r >= 0x3099 && r <= 0x30ff || r >= 0xff00 && r <= 0xffef && !unicode.In(r, unicode.P, unicode.Sm):
		return 0, false // Katakana and the CJK symbols and forms around it
	case unicode.In(r, unicode.Pc, unicode.Lm, unicode.Nl, unicode.Other_Alphabetic):
		return 0, false
	case unicode.IsLetter(r):
		if unicode.In(r, fastOtherScripts...) {
			return 0, true
		}
		if unicode.In(r, fastLetterScripts...) {
			return cWord | cAlpha, true
		}
		return 0, false
	case unicode.Is(unicode.Nd, r):
		return cWord | cDigit, true
	case unicode.In(r, unicode.P, unicode.S):
		return 0, true
	}
	return 0, false
}

// classAt returns the fast class of the code point at s[i] (t is
// bmpClasses()) and its length in bytes; ok is false when the code point is
// not one the fast scanner handles (or not valid UTF-8).
func classAt(s string, i int, t *[1 << 16]uint8) (c uint8, n int, ok bool) {
	if b := s[i]; b < utf8.RuneSelf {
		return wbClass[b], 1, true
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if n == 1 || r >= 1<<16 {
		return 0, n, false
	}
	c = t[r]
	return c, n, c != 0
}

// firstSlow returns the index of the first code point of s the fast
// scanner does not handle, or len(s): one without a fast class, or an
// Extend or Format character at the start of s or after white space
// (where WB4 does not apply, or makes a token of white space).
func firstSlow(s string, t *[1 << 16]uint8) int {
	afterSpace := true
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			j := i + 1
			for j+8 <= len(s) && le64(s[j:])&0x8080808080808080 == 0 {
				j += 8
			}
			for j < len(s) && s[j] < utf8.RuneSelf {
				j++
			}
			afterSpace = wbClass[s[j-1]]&cSpace != 0
			i = j
			continue
		}
		c, n, ok := classAt(s, i, t)
		if !ok || c&cExt != 0 && afterSpace {
			return i
		}
		afterSpace = c&cSpace != 0
		i += n
	}
	return len(s)
}

// skipExt returns the index after the Extend and Format characters at
// s[j:].
func skipExt(s string, j int, t *[1 << 16]uint8) int {
	for j < len(s) && s[j] >= utf8.RuneSelf {
		c, n, _ := classAt(s, j, t)
		if c&cExt == 0 {
			break
		}
		j += n
	}
	return j
}
