package text

import "unicode/utf8"

// LineStat counts what DCLM's line modifiers look at in one line of
// text.split("\n").
type LineStat struct {
	Runes int32 // len(line): code points
	Upper int32 // characters for which str.isupper() is true
	Digit int32 // characters for which str.isdigit() is true
	Words int32 // len(line.split())
}

// LineStats returns the LineStat of every line of s.split("\n"), in one
// pass.
func LineStats(s string) []LineStat {
	out := make([]LineStat, 0, 16)
	var cur LineStat
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		var f uint8
		if c < utf8.RuneSelf {
			if c == '\n' {
				out = append(out, cur)
				cur, inWord = LineStat{}, false
				i++
				continue
			}
			f = asciiClass[c]
			i++
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if r < 0x10000 {
				bmp()
				f = bmpClass[r]
			} else {
				if IsUpper(r) {
					f |= clUpper
				}
				if IsDigit(r) {
					f |= clDigit
				}
			}
		}
		cur.Runes++
		if f&clUpper != 0 {
			cur.Upper++
		}
		if f&clDigit != 0 {
			cur.Digit++
		}
		if f&clSpace != 0 {
			inWord = false
		} else if !inWord {
			inWord = true
			cur.Words++
		}
	}
	return append(out, cur)
}

// SplitStats summarizes Python's s.split() in one pass.
type SplitStats struct {
	Words    int // len(s.split())
	Runes    int // code points in the words
	NonAlpha int // words with no character for which str.isalpha() is true
}

// CountSplit returns the SplitStats of s.
func CountSplit(s string) SplitStats {
	var st SplitStats
	inWord, alpha := false, false
	for i := 0; i < len(s); {
		c := s[i]
		var f uint8
		if c < utf8.RuneSelf {
			f = asciiClass[c]
			i++
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if r < 0x10000 {
				bmp()
				f = bmpClass[r]
			} else if IsAlpha(r) {
				f = clAlpha
			}
		}
		if f&clSpace != 0 {
			if inWord && !alpha {
				st.NonAlpha++
			}
			inWord = false
			continue
		}
		if !inWord {
			inWord, alpha = true, false
			st.Words++
		}
		st.Runes++
		alpha = alpha || f&clAlpha != 0
	}
	if inWord && !alpha {
		st.NonAlpha++
	}
	return st
}
