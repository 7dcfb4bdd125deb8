package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPyString checks Lower and Splitlines on any input.
func FuzzPyString(f *testing.F) {
	for _, s := range []string{"ΟΔΟΣ ΣΟΣ.", "İstanbul", "a\r\nb\rc\x1cd\u2028e\n", "ABC", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := Lower(s)
		if Lower(l) != l {
			t.Fatalf("Lower not idempotent on %q: %q then %q", s, l, Lower(l))
		}
		lines := Splitlines(s)
		if strings.Join(lines, "") != strings.Map(func(r rune) rune {
			switch r {
			case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
				return -1
			}
			return r
		}, s) && utf8.ValidString(s) {
			t.Fatalf("Splitlines(%q) = %q loses text", s, lines)
		}
	})
}
