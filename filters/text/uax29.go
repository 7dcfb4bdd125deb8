package text

import (
	"unicode"
	"unicode/utf8"
)

// Word_Break property values of UAX #29 for Unicode 6.2.0, the version the
// Python package uniseg 0.7.1 (used by DCLM) implements.
type wbProp uint8

const (
	wbOther wbProp = iota
	wbCR
	wbLF
	wbNewline
	wbExtend
	wbRegionalIndicator
	wbFormat
	wbKatakana
	wbALetter
	wbMidLetter
	wbMidNum
	wbMidNumLet
	wbNumeric
	wbExtendNumLet
	wbNone // no primitive (start or end of text)
)

var asciiWB [128]wbProp

func init() {
	for c := 0; c < 128; c++ {
		p := wbOther
		switch {
		case c == '\r':
			p = wbCR
		case c == '\n':
			p = wbLF
		case c == '\v', c == '\f':
			p = wbNewline
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			p = wbALetter
		case c >= '0' && c <= '9':
			p = wbNumeric
		case c == ':':
			p = wbMidLetter
		case c == ',', c == ';':
			p = wbMidNum
		case c == '\'', c == '.':
			p = wbMidNumLet
		case c == '_':
			p = wbExtendNumLet
		}
		asciiWB[c] = p
	}
}

// saScripts are the scripts of Line_Break=SA (complex context), whose
// letters are not ALetter.
var saScripts = []*unicode.RangeTable{
	unicode.Thai, unicode.Lao, unicode.Myanmar, unicode.Khmer,
	unicode.Tai_Le, unicode.New_Tai_Lue, unicode.Tai_Tham, unicode.Tai_Viet,
}

// wordBreak derives the Unicode 6.2 Word_Break property of r from the
// current Unicode tables, following the derivation of UAX #29 revision 21.
//
// Known limits of the derivation (none seen in real pages so far): a code
// point assigned after Unicode 6.2 gets the class its current properties
// give, where uniseg 0.7.1 sees Other; code points whose category changed
// since 6.2 follow the new category; and the few non-alphabetic modifier
// letters and Armenian marks that later versions list as ALetter (U+02C2..,
// U+055A..) are Other here. The rules are those of 6.2, not of rivo/uniseg
// (Unicode 15): no WB3c/WB3d, no Hebrew_Letter quotes, U+202F and the
// fullwidth digits are Other, emoji modifiers break.
func wordBreak(r rune) wbProp {
	if r < 0x80 {
		return asciiWB[r]
	}
	if r < 0x10000 {
		bmp()
		return bmpWB[r]
	}
	return wordBreakSlow(r)
}

func wordBreakSlow(r rune) wbProp {
	if r < 0x80 {
		return asciiWB[r]
	}
	switch r {
	case 0x85, 0x2028, 0x2029:
		return wbNewline
	case 0x200c, 0x200d:
		return wbExtend
	case 0x200b:
		return wbOther
	case 0x3a, 0xb7, 0x387, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a:
		return wbMidLetter
	case 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14,
		0xfe50, 0xfe54, 0xff0c, 0xff1b:
		return wbMidNum
	case 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e:
		return wbMidNumLet
	case 0x66b:
		return wbNumeric
	case 0x5f3:
		return wbALetter
	case 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309b, 0x309c, 0x30a0, 0x30fc, 0xff70:
		return wbKatakana
	}
	if r >= 0x1f1e6 && r <= 0x1f1ff {
		return wbRegionalIndicator
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Other_Grapheme_Extend) {
		return wbExtend
	}
	if unicode.Is(unicode.Cf, r) {
		return wbFormat
	}
	if unicode.Is(unicode.Katakana, r) {
		return wbKatakana
	}
	if unicode.Is(unicode.Nd, r) {
		if r >= 0xff10 && r <= 0xff19 {
			return wbOther
		}
		return wbNumeric
	}
	if unicode.Is(unicode.Pc, r) {
		return wbExtendNumLet
	}
	if unicode.In(r, unicode.L, unicode.Nl, unicode.Other_Alphabetic) {
		if unicode.In(r, unicode.Ideographic, unicode.Hiragana) {
			return wbOther
		}
		for _, t := range saScripts {
			if unicode.Is(t, r) {
				return wbOther
			}
		}
		return wbALetter
	}
	return wbOther
}

// primitive reads the code point at s[i] and, unless it is a line break,
// the Extend and Format characters that follow it (rule WB4). It returns
// the property and the offset after the primitive.
func primitive(s string, i int) (wbProp, int) {
	var p wbProp
	if c := s[i]; c < utf8.RuneSelf {
		p = asciiWB[c]
		i++
	} else {
		r, n := utf8.DecodeRuneInString(s[i:])
		p = wordBreak(r)
		i += n
	}
	if p == wbCR || p == wbLF || p == wbNewline {
		return p, i
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			break // no ASCII character is Extend or Format
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if q := wordBreak(r); q != wbExtend && q != wbFormat {
			break
		}
		i += n
	}
	return p, i
}

func isMidLetterQ(p wbProp) bool { return p == wbMidLetter || p == wbMidNumLet }
func isMidNumQ(p wbProp) bool    { return p == wbMidNum || p == wbMidNumLet }

// keepTogether reports whether uniseg 0.7.1 puts no boundary between the
// primitives prev and cur (pp before prev, next after cur).
func keepTogether(pp, prev, cur, next wbProp) bool {
	switch {
	case prev == wbCR || prev == wbLF || prev == wbNewline ||
		cur == wbCR || cur == wbLF || cur == wbNewline:
		return prev == wbCR && cur == wbLF
	case prev == wbALetter && cur == wbALetter: // WB5
		return true
	case prev == wbALetter && next == wbALetter && isMidLetterQ(cur): // WB6
		return true
	case pp == wbALetter && cur == wbALetter && isMidLetterQ(prev): // WB7
		return true
	case prev == wbNumeric && cur == wbNumeric: // WB8
		return true
	case prev == wbALetter && cur == wbNumeric: // WB9
		return true
	case prev == wbNumeric && cur == wbALetter: // WB10
		return true
	case pp == wbNumeric && cur == wbNumeric && isMidNumQ(prev): // WB11
		return true
	case prev == wbNumeric && next == wbNumeric && isMidNumQ(cur): // WB12
		return true
	case prev == wbKatakana && cur == wbKatakana: // WB13
		return true
	case (prev == wbALetter || prev == wbNumeric || prev == wbKatakana || prev == wbExtendNumLet) &&
		cur == wbExtendNumLet: // WB13a
		return true
	case prev == wbExtendNumLet && (cur == wbALetter || cur == wbNumeric || cur == wbKatakana): // WB13b
		return true
	case prev == wbRegionalIndicator && cur == wbRegionalIndicator: // WB13c
		return true
	}
	return false
}

// UAXWordsFunc calls yield for every word segment of s, as the Python
// uniseg 0.7.1 function uniseg.wordbreak.words does (Unicode 6.2.0 rules,
// each space and each punctuation mark a segment of its own). The segments
// concatenate to s. It stops when yield returns false.
func UAXWordsFunc(s string, yield func(seg string) bool) {
	for i := 0; i < len(s); {
		e := segmentEnd(s, i)
		if !yield(s[i:e]) {
			return
		}
		i = e
	}
}

// segmentEnd returns the end of the segment that starts at s[i].
//
// The rules that look back past a boundary (WB7, WB11) need a MidLetter or
// MidNum character right after it, with a letter or digit on both sides,
// which would have kept that boundary closed (WB6, WB12): so a segment's end
// depends only on the text from its start, and a scan may start afresh at
// every boundary.
func segmentEnd(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		switch asciiWB[c] {
		case wbALetter, wbNumeric, wbExtendNumLet:
			if e, ok := asciiWordEnd(s, i); ok {
				return e
			}
		case wbCR:
			if i+1 < len(s) && s[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		case wbLF, wbNewline:
			return i + 1
		default:
			// Nothing joins an ASCII Other or Mid character to what
			// follows, but Extend and Format characters (WB4).
			if i+1 == len(s) || s[i+1] < utf8.RuneSelf {
				return i + 1
			}
		}
	}
	return genericEnd(s, i)
}

// asciiWordEnd finds the end of a segment of ASCII letters, digits and
// connectors that starts at s[i]; ok is false when a non-ASCII character
// takes part in the decision.
func asciiWordEnd(s string, i int) (end int, ok bool) {
	j := i + 1
	for j < len(s) {
		c := s[j]
		if c >= utf8.RuneSelf {
			return 0, false
		}
		switch p := asciiWB[c]; p {
		case wbALetter, wbNumeric, wbExtendNumLet: // WB5, WB8-10, WB13a-b
			j++
			continue
		case wbMidLetter, wbMidNum, wbMidNumLet:
			if j+1 < len(s) {
				r := s[j+1]
				if r >= utf8.RuneSelf {
					return 0, false
				}
				l, rp := asciiWB[s[j-1]], asciiWB[r]
				if l == wbALetter && rp == wbALetter && isMidLetterQ(p) || // WB6-7
					l == wbNumeric && rp == wbNumeric && isMidNumQ(p) { // WB11-12
					j += 2
					continue
				}
			}
		}
		return j, true
	}
	return j, true
}

// genericEnd runs the rules one primitive at a time from s[i].
func genericEnd(s string, i int) int {
	prev := wbNone
	cur, curEnd := primitive(s, i)
	if curEnd >= len(s) {
		return curEnd
	}
	next, nextEnd := primitive(s, curEnd)
	for {
		after, afterEnd := wbNone, nextEnd
		if nextEnd < len(s) {
			after, afterEnd = primitive(s, nextEnd)
		}
		// Is there a boundary between cur and next?
		if !keepTogether(prev, cur, next, after) {
			return curEnd
		}
		if nextEnd >= len(s) {
			return nextEnd
		}
		prev, cur, curEnd, next, nextEnd = cur, next, nextEnd, after, afterEnd
	}
}

// UAXWords returns DCLM's split_words(s, model="uniseg",
// ignore_punctuation=True): the word segments whose first character is
// alphanumeric (Python isalnum).
func UAXWords(s string) []string {
	out := make([]string, 0, len(s)/8+1)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// Fast paths for ASCII (segmentEnd decides the same way).
			switch asciiWB[c] {
			case wbALetter, wbNumeric:
				if e, ok := asciiWordEnd(s, i); ok {
					out = append(out, s[i:e])
					i = e
					continue
				}
			case wbOther, wbMidLetter, wbMidNum, wbMidNumLet, wbLF, wbNewline:
				if i+1 == len(s) || s[i+1] < utf8.RuneSelf {
					i++ // a one-character segment that is not a word
					continue
				}
			}
		}
		e := segmentEnd(s, i)
		if c := s[i]; c < utf8.RuneSelf && asciiClass[c]&(clAlpha|clDigit) != 0 ||
			c >= utf8.RuneSelf && IsAlnum(firstRune(s[i:e])) {
			out = append(out, s[i:e])
		}
		i = e
	}
	return out
}
