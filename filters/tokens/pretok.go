package tokens

import (
	"unicode"
	"unicode/utf8"
)

// Character classes of the pre-tokenization pattern.
const (
	clsOther  uint8 = iota // [^\s\p{L}\p{N}]
	clsLetter              // \p{L}
	clsNumber              // \p{N}
	clsSpace               // \s (unicode.IsSpace, as in dlclark/regexp2)
)

// classTable holds the class of every rune of the Basic Multilingual Plane.
type classTable [0x10000]uint8

func newClassTable() *classTable {
	t := new(classTable)
	for r := range rune(len(t)) {
		t[r] = classOfRune(r)
	}
	return t
}

// classOfRune is the class of r by the unicode tables. Spaces are tested
// first, as no rune is both a space and a letter or number.
func classOfRune(r rune) uint8 {
	switch {
	case unicode.IsSpace(r):
		return clsSpace
	case unicode.IsLetter(r):
		return clsLetter
	case unicode.IsNumber(r):
		return clsNumber
	}
	return clsOther
}

// class returns the class and the byte length of the rune at s[i], which must
// be inside s. s must be valid UTF-8.
func (t *classTable) class(s string, i int) (uint8, int) {
	if b := s[i]; b < utf8.RuneSelf {
		return t[b], 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r < rune(len(t)) {
		return t[r], n
	}
	return classOfRune(r), n
}

// nextPiece returns the end of the pre-token that starts at s[i], i < len(s),
// matching GPT-2's pattern
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// with backtracking (first alternative that matches wins). s must be valid
// UTF-8.
func (t *classTable) nextPiece(s string, i int) int {
	n := len(s)
	b := s[i]
	if b == '\'' && i+1 < n {
		switch s[i+1] {
		case 's', 't', 'm', 'd':
			return i + 2
		case 'r', 'v':
			if i+2 < n && s[i+2] == 'e' {
				return i + 3
			}
		case 'l':
			if i+2 < n && s[i+2] == 'l' {
				return i + 3
			}
		}
	}
	cls, size := t.class(s, i)
	j := i + size
	if b == ' ' && j < n {
		// " ?" followed by a letter, number or other run.
		if c2, size2 := t.class(s, j); c2 != clsSpace {
			cls, j = c2, j+size2
		}
	}
	if cls != clsSpace {
		for j < n {
			if b := s[j]; b < utf8.RuneSelf { // inlined ASCII case
				if t[b] != cls {
					break
				}
				j++
				continue
			}
			c, size := t.class(s, j)
			if c != cls {
				break
			}
			j += size
		}
		return j
	}
	// \s+(?!\S): the whitespace run, less its last rune when a non-space
	// follows and the run has two runes or more; else \s+.
	last := i
	for j < n {
		c, size := t.class(s, j)
		if c != clsSpace {
			if last > i {
				return last
			}
			return j
		}
		last = j
		j += size
	}
	return j
}
