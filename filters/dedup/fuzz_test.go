package dedup

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

func FuzzShingler(f *testing.F) {
	for _, s := range []string{"", "\n", "a b c d e\n\nf g h i j k", "Hello, world! 👍🏽 🇫🇷🇩🇪 中文字 e.g. 3.14 don't",
		"a\u0301 b\u200dc \t\u00a0x\r\ny", "x\xff\xfe y ’quoted’ “x” — ok", "\u05e9'\u05d0 a.b:c 1,2 _x_ ﾃｽﾄ"} {
		f.Add(s, uint8(3), uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, n8, min8 uint8) {
		n := int(n8%6) + 1
		mn := int(min8)%n + 1
		// The hybrid tokenizer equals rivo/uniseg (Rust's rules) on the whole text.
		var got, want []string
		Tokens(s, func(tok string) bool { got = append(got, tok); return true })
		uniTokens(s, func(tok string) bool { want = append(want, tok); return true })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: tokens %q, rivo/uniseg %q", s, got, want)
		}
		// Tokens are the pieces of s, in order, with white space only between them.
		end := 0
		for _, tok := range got {
			off := int(uintptr(unsafe.Pointer(unsafe.StringData(tok))) - uintptr(unsafe.Pointer(unsafe.StringData(s))))
			if tok == "" || off < end || off+len(tok) > len(s) || isSpaceToken(tok) || !isSpaceToken(s[end:off]) {
				t.Fatalf("%q: token %q out of place", s, tok)
			}
			end = off + len(tok)
		}
		if !isSpaceToken(s[end:]) {
			t.Fatalf("%q: text after the last token %q", s, s[end:])
		}
		// Units are DCLM's windows; each unit's hashes are its token windows.
		for _, whole := range []bool{false, true} {
			z, err := NewShingler(n, mn, whole)
			if err != nil {
				t.Fatal(err)
			}
			sh := z.Shingle(s)
			end, tokens := 0, 0
			for i, u := range sh.Units {
				if u.Start > u.End || u.End > len(s) || (i > 0 && u.Start != end) || (i > 0 && s[u.Start] != '\n') {
					t.Fatalf("%q: unit %d %+v", s, i, u)
				}
				end = u.End
				var th []uint64
				Tokens(s[u.Start:u.End], func(tok string) bool { th = append(th, HashToken(tok)); return true })
				tokens += len(th)
				var want []uint64
				for j := 0; j+n <= len(th); j++ {
					want = append(want, HashShingle(th[j:j+n]))
				}
				if len(th) < n && len(th) >= mn {
					want = append(want, HashShingle(th))
				}
				if got := sh.Of(i); len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
					t.Fatalf("%q unit %d: hashes %x, want %x", s, i, got, want)
				}
			}
			if end != len(s) || sh.Tokens != tokens || (whole && len(sh.Units) != 1) ||
				(!whole && len(sh.Units) != strings.Count(s, "\n")+1) {
				t.Fatalf("%q: units %+v, %d tokens", s, sh.Units, sh.Tokens)
			}
		}
	})
}
