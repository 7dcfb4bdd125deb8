package dedup

import "unicode/utf8"

// UAX #29 word-break classes of the ASCII characters, as bit sets (see
// bmpClasses for the other code points the fast scanner handles). Every
// version of the rules since Unicode 6.2 (Python uniseg 0.7.1, rivo/uniseg,
// Rust unicode-segmentation) segments text made of ASCII characters only
// the same way: letters (ALetter), digits (Numeric) and '_' (ExtendNumLet)
// join each other (WB5, WB8-WB10, WB13a-b); the colon (MidLetter), the
// full stop and the apostrophe (MidNumLet, Single_Quote) join two letters
// (WB6-WB7); the comma, the semicolon (MidNum), the full stop and the
// apostrophe join two digits (WB11-WB12); every other character is a
// segment of its own, except that CR LF and runs of spaces are one segment
// (WB3, WB3d), which are white space and never tokens.
const (
	cWord  uint8 = 1 << iota // ALetter, Numeric or ExtendNumLet
	cAlpha                   // ALetter
	cDigit                   // Numeric
	cMidL                    // joins two letters
	cMidN                    // joins two digits
	cSpace                   // White_Space: \t \n \v \f \r and space
)

// wbClass holds the classes of the ASCII bytes; bytes >= 0x80 have none.
var wbClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cWord | cAlpha
		t[c-'a'+'A'] = cWord | cAlpha
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cWord | cDigit
	}
	t['_'] = cWord
	t[':'] = cMidL
	t['.'], t['\''] = cMidL|cMidN, cMidL|cMidN
	t[','], t[';'] = cMidN, cMidN
	for _, c := range "\t\n\v\f\r " {
		t[c] = cSpace
	}
	return t
}()

// fastNext returns the first token [start, end) of s at or after byte i,
// or start == len(s) when there is none. Every code point of s must be one
// the fast scanner handles (ASCII, or cFast in t = bmpClasses()), and s must
// end where every version of UAX #29 has a boundary (the end of the text,
// or right after a space or tab that is followed by an ASCII character
// other than a space or tab; see Tokens): no rule looks past its end.
func fastNext(s string, i int, t *[1 << 16]uint8) (start, end int) {
	var c uint8
	n := 1
	for ; i < len(s); i += n {
		if b := s[i]; b < utf8.RuneSelf {
			c, n = wbClass[b], 1
		} else {
			c, n, _ = classAt(s, i, t)
		}
		if c&cSpace == 0 {
			break
		}
	}
	if i >= len(s) {
		return len(s), len(s)
	}
	if c&cWord == 0 {
		return i, skipExt(s, i+n, t) // WB4
	}
	j := i + n
	for {
		for j < len(s) && wbClass[s[j]]&cWord != 0 {
			j++ // ASCII letters and digits
		}
		if j >= len(s) {
			break
		}
		if b := s[j]; b < utf8.RuneSelf {
			c, n = wbClass[b], 1
		} else {
			c, n, _ = classAt(s, j, t)
		}
		if c&(cWord|cExt) != 0 { // WB4: Extend and Format are transparent
			j += n
			continue
		}
		if k := skipExt(s, j+n, t); c&(cMidL|cMidN) != 0 && k < len(s) {
			// WB6-7, WB11-12: a letter (digit) on both sides.
			r, m, _ := classAt(s, k, t)
			if lr := classBefore(s, j, t) & r; c&cMidL != 0 && lr&cAlpha != 0 || c&cMidN != 0 && lr&cDigit != 0 {
				j = k + m
				continue
			}
		}
		break
	}
	return i, j
}

// fastTokens yields the tokens of s (see fastNext).
func fastTokens(s string, yield func(tok string) bool) bool {
	t := bmpClasses()
	for i := 0; ; {
		a, b := fastNext(s, i, t)
		if a == len(s) {
			return true
		}
		if !yield(s[a:b]) {
			return false
		}
		i = b
	}
}

// classBefore returns the fast class of the last code point of s[:j] that
// is not Extend or Format (a word's first code point is neither).
func classBefore(s string, j int, t *[1 << 16]uint8) uint8 {
	for j > 0 {
		if b := s[j-1]; b < utf8.RuneSelf {
			return wbClass[b]
		}
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if n == 1 || r >= 1<<16 {
			return 0
		}
		if c := t[r]; c&cExt == 0 {
			return c
		}
		j -= n
	}
	return 0
}
