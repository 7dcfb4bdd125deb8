package dedup

import (
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Tokens calls yield for each of DCLM's BFF tokens of s, in order: the
// UAX #29 word segments of s (Rust unicode-segmentation's
// split_word_bounds) that contain a character other than white space
// (Unicode White_Space, Rust's char::is_whitespace). It stops when yield
// returns false.
//
// The text is cut at safe points, right after an ASCII space or tab that
// is followed by another ASCII character that is not one: there every
// version of UAX #29 has a boundary, and no rule looks across it. Runs of
// ASCII and of the common letters, digits, marks, punctuation and
// ideographs whose Word_Break classes the fast scanner handles
// (bmpClasses, fastNext) are segmented by it; the runs around any other
// character by rivo/uniseg (Unicode 15.0 rules, as unicode-segmentation
// 1.10 and later: emoji ZWJ sequences and modifiers, regional-indicator
// pairs and Hebrew letters as Rust segments them).
func Tokens(s string, yield func(tok string) bool) {
	t := bmpClasses()
	for len(s) > 0 {
		q := firstSlow(s, t)
		if q == len(s) {
			fastTokens(s, yield)
			return
		}
		b := q - 1
		for b > 0 && !safeAt(s, b) {
			b--
		}
		b = max(b, 0)
		if b > 0 && !fastTokens(s[:b], yield) {
			return
		}
		e := q + 1
		for e < len(s) && !safeAt(s, e) {
			e++
		}
		if !uniTokens(s[b:e], yield) {
			return
		}
		s = s[e:]
	}
}

// safeAt reports whether s[i-1] is an ASCII space or tab and s[i] an ASCII
// character that is neither.
func safeAt(s string, i int) bool {
	p, c := s[i-1], s[i]
	return (p == ' ' || p == '\t') && c < utf8.RuneSelf && c != ' ' && c != '\t'
}

func uniTokens(s string, yield func(tok string) bool) bool {
	state := -1
	for len(s) > 0 {
		var w string
		w, s, state = uniseg.FirstWordInString(s, state)
		if !isSpaceToken(w) && !yield(w) {
			return false
		}
	}
	return true
}

// asciiSpace marks the ASCII White_Space characters: \t \n \v \f \r and space.
var asciiSpace = [128]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// isSpaceToken reports whether every character of w is White_Space (an
// invalid byte is not).
func isSpaceToken(w string) bool {
	for _, r := range w {
		if r < utf8.RuneSelf {
			if !asciiSpace[r] {
				return false
			}
		} else if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
