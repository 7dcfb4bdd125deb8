package heuristics

import (
	"unicode"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters/text"
)

// counterWords are the words of DCLM's counter_line_modifier regex.
var counterWords = []string{"likes", "shares", "comments", "retweets", "reposts", "quotes",
	"bookmarks", "upvotes", "downvotes", "downloads", "views", "followers"}

// isCounterLine reports whether DCLM's
//
//	^\W*\d(?:,|\.|\d)*(?:K|k|M|m|B|b)?\s+(?:likes|shares|...|followers)\W*$
//
// matches line.lower() (Python re, Unicode classes). Every part of the
// pattern is forced (no backtracking can change the outcome), so a single
// left-to-right scan decides.
func isCounterLine(line string) bool {
	// Fast reject: after the leading non-word characters comes a digit.
	i := 0
	for i < len(line) {
		r, n := utf8.DecodeRuneInString(line[i:])
		if text.IsWord(r) {
			if !text.IsDecimal(r) {
				return false
			}
			break
		}
		i += n
	}
	if i == len(line) {
		return false
	}
	rs := lowerRunes(line[i:])
	j := 1 // rs[0] is the digit
	for j < len(rs) && (rs[j] == ',' || rs[j] == '.' || text.IsDecimal(rs[j])) {
		j++
	}
	if j < len(rs) && (rs[j] == 'k' || rs[j] == 'm' || rs[j] == 'b') {
		j++
	}
	k := j
	for k < len(rs) && text.IsSpace(rs[k]) {
		k++
	}
	if k == j {
		return false
	}
	matched := -1
	for _, w := range counterWords {
		if hasRunePrefix(rs[k:], w) {
			matched = k + len(w)
			break
		}
	}
	if matched < 0 {
		return false
	}
	for _, r := range rs[matched:] {
		if text.IsWord(r) {
			return false
		}
	}
	return true
}

func hasRunePrefix(rs []rune, w string) bool {
	if len(rs) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if rs[i] != rune(w[i]) {
			return false
		}
	}
	return true
}

// lowerRunes returns the code points of Python's s.lower() (İ becomes two).
func lowerRunes(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == 0x130 {
			out = append(out, 'i', 0x307)
			continue
		}
		out = append(out, unicode.ToLower(r))
	}
	return out
}
