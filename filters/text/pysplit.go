package text

import (
	"strings"
	"unicode/utf8"
)

// spaceAt returns the size of the Python whitespace character at s[i], or 0.
func spaceAt(s string, i int) int {
	c := s[i]
	if c < utf8.RuneSelf {
		if asciiClass[c]&clSpace != 0 {
			return 1
		}
		return 0
	}
	if c != 0xc2 && c != 0xe1 && c != 0xe2 && c != 0xe3 {
		return 0 // no non-ASCII whitespace starts with another byte
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if IsSpace(r) {
		return n
	}
	return 0
}

// fieldEnd returns the end of the word that starts at s[i].
func fieldEnd(s string, j int) int {
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if asciiClass[c]&clSpace != 0 {
				return j
			}
			j++
			continue
		}
		if (c == 0xc2 || c == 0xe1 || c == 0xe2 || c == 0xe3) && spaceAt(s, j) > 0 {
			return j
		}
		_, n := utf8.DecodeRuneInString(s[j:])
		j += n
	}
	return j
}

// CountFieldsMax returns min(len(s.split()), max+1) in Python, stopping
// early.
func CountFieldsMax(s string, max int) int {
	n := 0
	FieldsFunc(s, func(string) bool { n++; return n <= max })
	return n
}

// FieldsFunc calls yield for each word of Python's str.split() (runs of
// characters that are not Python whitespace), stopping when yield returns
// false.
func FieldsFunc(s string, yield func(w string) bool) {
	i := 0
	for i < len(s) {
		if n := spaceAt(s, i); n > 0 {
			i += n
			continue
		}
		j := fieldEnd(s, i)
		if !yield(s[i:j]) {
			return
		}
		i = j
	}
}

// Fields returns the words of Python's str.split(): it differs from
// strings.Fields on U+001C..U+001F, which Python treats as whitespace.
func Fields(s string) []string {
	var out []string
	FieldsFunc(s, func(w string) bool { out = append(out, w); return true })
	return out
}

// CountFields returns len(s.split()) in Python.
func CountFields(s string) int {
	n := 0
	FieldsFunc(s, func(string) bool { n++; return true })
	return n
}

// Strip returns s without leading and trailing Python whitespace
// (str.strip()).
func Strip(s string) string {
	i := 0
	for i < len(s) {
		n := spaceAt(s, i)
		if n == 0 {
			break
		}
		i += n
	}
	j := len(s)
	for j > i {
		c := s[j-1]
		if c < utf8.RuneSelf {
			if asciiClass[c]&clSpace == 0 {
				break
			}
			j--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if !IsSpace(r) {
			break
		}
		j -= n
	}
	return s[i:j]
}

// IsSpaceOnly reports Python's str.isspace() for a whole string: true when
// s is non-empty and every character is whitespace.
func IsSpaceOnly(s string) bool {
	return s != "" && isAllSpace(s)
}

// SplitParagraphs is DCLM's split_paragraphs(text, paragraph_end=sep,
// remove_empty=True): s split on every occurrence of sep (left to right, not
// overlapping, as re.split does for a literal), each part stripped of Python
// whitespace, empty parts dropped. sep must not be empty.
func SplitParagraphs(s, sep string) []string {
	var out []string
	for {
		i := strings.Index(s, sep)
		part := s
		if i >= 0 {
			part = s[:i]
		}
		if p := Strip(part); p != "" {
			out = append(out, p)
		}
		if i < 0 {
			return out
		}
		s = s[i+len(sep):]
	}
}

// RuneLen returns len(s) in Python: the number of code points (an invalid
// byte counts as one).
func RuneLen(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i + utf8.RuneCountInString(s[i:])
		}
	}
	return len(s)
}
