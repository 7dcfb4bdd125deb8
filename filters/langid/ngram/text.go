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
// Runes go to s.runes, words to s.words as [start, end) rune offsets, with a
// hash of their runes and whether they are all ASCII.
// strings.ToLower maps invalid UTF-8 to U+FFFD, which is no letter: such
// bytes end a word here too.
func (s *scratch) split(text string, cls classTable) {
	if cap(s.runes) < len(text) {
		s.runes = make([]rune, 0, len(text)) // a text has no more runes than bytes
	}
	runes, words := s.runes[:0], s.words[:0]
	start := int32(-1) // of the word being read
	h := uint32(0)
	ascii := true
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			// ASCII: the letters are a-z and A-Z, nothing else is a letter
			// or a word on its own.
			i++
			if l := b | 0x20; 'a' <= l && l <= 'z' {
				if start < 0 {
					start, h, ascii = int32(len(runes)), wordSeed, true
				}
				runes = append(runes, rune(l))
				h = (h ^ uint32(l)) * wordPrime
			} else if start >= 0 {
				words = append(words, word{start, int32(len(runes)), h, ascii})
				start = -1
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = unicode.ToLower(r)
		c := cls[r]
		if start >= 0 {
			if c&clsLetter != 0 {
				runes = append(runes, r)
				h = (h ^ uint32(r)) * wordPrime
				ascii = ascii && r < utf8.RuneSelf
				continue
			}
			words = append(words, word{start, int32(len(runes)), h, ascii})
			start = -1
		}
		switch {
		case c&clsSingle != 0:
			runes = append(runes, r)
			words = append(words, word{int32(len(runes) - 1), int32(len(runes)),
				(wordSeed ^ uint32(r)) * wordPrime, false})
		case c&clsLetter != 0:
			start, h, ascii = int32(len(runes)), (wordSeed^uint32(r))*wordPrime, r < utf8.RuneSelf
			runes = append(runes, r)
		}
	}
	if start >= 0 {
		words = append(words, word{start, int32(len(runes)), h, ascii})
	}
	s.runes, s.words = runes, words
}

// The word hash is 32-bit FNV-1a over the runes.
const (
	wordSeed  = 2166136261
	wordPrime = 16777619
)

// word is a [start, end) range of runes in scratch.runes, with a hash of its
// runes; ascii: all its runes are ASCII letters (none of which any rule
// looks at).
type word struct {
	start, end int32
	hash       uint32
	ascii      bool
}
