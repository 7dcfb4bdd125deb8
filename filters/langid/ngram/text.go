package ngram

import (
	"unicode"
	"unicode/utf8"
)

// Scripts in the order of lingua's alphabet enumeration (alphabet.go); a
// script's id in the class table is its position here plus one (0: none).
var scriptTables = [...]*unicode.RangeTable{
	unicode.Arabic, unicode.Armenian, unicode.Bengali, unicode.Cyrillic,
	unicode.Devanagari, unicode.Georgian, unicode.Greek, unicode.Gujarati,
	unicode.Gurmukhi, unicode.Han, unicode.Hangul, unicode.Hebrew,
	unicode.Hiragana, unicode.Katakana, unicode.Latin, unicode.Tamil,
	unicode.Telugu, unicode.Thai,
}

// Script ids (position in scriptTables + 1).
const (
	scArabic = iota + 1
	scArmenian
	scBengali
	scCyrillic
	scDevanagari
	scGeorgian
	scGreek
	scGujarati
	scGurmukhi
	scHan
	scHangul
	scHebrew
	scHiragana
	scKatakana
	scLatin
	scTamil
	scTelugu
	scThai
	numScripts = scThai
)

const (
	clsScript = 0x1f // mask of the script id
	clsLetter = 0x20 // rune is in \p{L}
	clsSingle = 0x40 // rune is Han, Hangul, Hiragana or Katakana: a word on its own
)

// classTable maps every rune to its script id and flags.
type classTable []uint8

func newClassTable() classTable {
	t := make(classTable, unicode.MaxRune+1)
	set := func(rt *unicode.RangeTable, f func(r rune)) {
		for _, r16 := range rt.R16 {
			for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
				f(r)
			}
		}
		for _, r32 := range rt.R32 {
			for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
				f(r)
			}
		}
	}
	for i, rt := range scriptTables {
		id := uint8(i + 1)
		set(rt, func(r rune) { t[r] = t[r]&^clsScript | id })
	}
	for _, sc := range []int{scHan, scHangul, scHiragana, scKatakana} {
		set(scriptTables[sc-1], func(r rune) { t[r] |= clsSingle })
	}
	set(unicode.L, func(r rune) { t[r] |= clsLetter })
	return t
}

// split lower-cases text and cuts it into words exactly as lingua's
// splitTextIntoWords does: letters.FindAllString(strings.ToLower(text), -1)
// with letters = `\p{Han}|\p{Hangul}|\p{Hiragana}|\p{Katakana}|\p{L}+`.
// Runes go to s.runes, words to s.words as [start, end) rune offsets.
// strings.ToLower maps invalid UTF-8 to U+FFFD, which is no letter: such
// bytes end a word here too.
func (s *scratch) split(text string, cls classTable) {
	s.runes = s.runes[:0]
	s.words = s.words[:0]
	start := -1
	for i := 0; i < len(text); {
		r := rune(text[i])
		if r < utf8.RuneSelf {
			i++
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
			r = unicode.ToLower(r)
		}
		c := cls[r]
		if start >= 0 {
			if c&clsLetter != 0 {
				s.runes = append(s.runes, r)
				continue
			}
			s.words = append(s.words, word{int32(start), int32(len(s.runes))})
			start = -1
		}
		switch {
		case c&clsSingle != 0:
			s.runes = append(s.runes, r)
			s.words = append(s.words, word{int32(len(s.runes) - 1), int32(len(s.runes))})
		case c&clsLetter != 0:
			start = len(s.runes)
			s.runes = append(s.runes, r)
		}
	}
	if start >= 0 {
		s.words = append(s.words, word{int32(start), int32(len(s.runes))})
	}
}

// word is a [start, end) range of runes in scratch.runes.
type word struct{ start, end int32 }
