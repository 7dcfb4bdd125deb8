package text

import "unicode/utf8"

// EOS is the token fastText emits for every newline.
const EOS = "</s>"

// isFastTextSep reports whether fastText's Dictionary::readWord ends a word
// at byte c.
func isFastTextSep(c byte) bool { return fastTextSep[c] }

var fastTextSep = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\v': true, '\f': true, 0: true}

// FastTextTokens calls yield for each token of fastText's tokenizer
// (fasttext.FastText.tokenize in Python): maximal runs of bytes other than
// ' ', \n, \r, \t, \v, \f and NUL, with the token EOS for each \n. It stops
// early when yield returns false.
func FastTextTokens(s string, yield func(tok string) bool) {
	i := 0
	for i < len(s) {
		c := s[i]
		if isFastTextSep(c) {
			if c == '\n' && !yield(EOS) {
				return
			}
			i++
			continue
		}
		j := i + 1
		for j < len(s) && !isFastTextSep(s[j]) {
			j++
		}
		if !yield(s[i:j]) {
			return
		}
		i = j
	}
}

// firstRune returns the first code point of a non-empty string.
func firstRune(s string) rune {
	if s[0] < utf8.RuneSelf {
		return rune(s[0])
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// FastTextCount counts the words DCLM's split_words(text, model="fasttext",
// ignore_punctuation=..., ignore_whitespace=True) returns. With
// ignorePunct, a token counts when its first character is alphanumeric
// (Python isalnum), so EOS, "#tag" and "..." do not; without it, a token
// counts unless it is made of whitespace only (Python isspace), so EOS does.
func FastTextCount(s string, ignorePunct bool) int {
	n := 0
	i := 0
	for i < len(s) {
		c := s[i]
		if isFastTextSep(c) {
			if c == '\n' && !ignorePunct {
				n++ // "</s>"
			}
			i++
			continue
		}
		if ignorePunct && c < utf8.RuneSelf {
			// The common case: the first character decides, then skip.
			if asciiClass[c]&(clAlpha|clDigit) != 0 {
				n++
			}
			i++
			for i < len(s) && !fastTextSep[s[i]] {
				i++
			}
			continue
		}
		j := i + 1
		for j < len(s) && !fastTextSep[s[j]] {
			j++
		}
		if keepToken(s[i:j], ignorePunct, true) {
			n++
		}
		i = j
	}
	return n
}

// keepToken applies split_words' filters to one non-empty token.
func keepToken(tok string, ignorePunct, ignoreSpace bool) bool {
	switch {
	case ignorePunct && ignoreSpace:
		return IsAlnum(firstRune(tok))
	case ignorePunct:
		r := firstRune(tok)
		return IsAlnum(r) || IsSpace(r)
	case ignoreSpace:
		return !isAllSpace(tok)
	}
	return true
}

// isAllSpace reports whether s is made only of Python whitespace.
func isAllSpace(s string) bool {
	for _, r := range s {
		if !IsSpace(r) {
			return false
		}
	}
	return true
}
