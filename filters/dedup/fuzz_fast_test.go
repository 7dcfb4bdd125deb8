package dedup

import (
	"reflect"
	"strings"
	"testing"
)

// fuzzAlphabet is what FuzzTokensMixed builds texts from: the classes the
// fast scanner handles (ASCII and other letters, digits, mid punctuation,
// spaces, ideographs) mixed with those it leaves to rivo/uniseg (marks,
// ZWJ, emoji, Katakana, Hebrew, ExtendNumLet, format characters).
var fuzzAlphabet = []string{
	"a", "Z", "7", "_", ".", ",", ":", ";", "'", "\"", " ", "  ", "\t", "\n", "\r\n", "-", "!",
	"é", "ж", "Ω", "ß", "한", "ع", "١", "٫", "٬", "·", "’", "‘", "․", "，", "：", "。", "中", "あ",
	"\u00a0", "\u2003", "\u3000", "\u2028", "\u0085", "\u202f", "«", "—", "…", "€", "½",
	"\u0301", "\u200d", "\u00ad", "\ufe0f", "👍", "🏽", "🇫", "カ", "ー", "ש", "\u05f3", "\u200b", "\xff", "ǅ", "ʼ",
	"क", "\u093e", "\u094d", "।", "ก", "\u0e31", "ա", "\u200c", "\u200e", "\u0660", "\u3001", "Ａ",
}

// FuzzTokensMixed: Tokens (fast scanner plus rivo/uniseg windows) equals
// rivo/uniseg on the whole text, and the shingler hashes what Tokens cuts,
// for texts drawn from fuzzAlphabet.
func FuzzTokensMixed(f *testing.F) {
	for _, s := range []string{"\x00\x01\x02", "\x11\x05\x12\x1b\x0a\x04", "\x30\x31\x00\x1a\x32", "\x12\x08\x12\x0b\x16\x0b\x16"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var sb strings.Builder
		for _, c := range b {
			sb.WriteString(fuzzAlphabet[int(c)%len(fuzzAlphabet)])
		}
		s := sb.String()
		var got, want []string
		Tokens(s, func(tok string) bool { got = append(got, tok); return true })
		uniTokens(s, func(tok string) bool { want = append(want, tok); return true })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: tokens %q, rivo/uniseg %q", s, got, want)
		}
		z, _ := NewShingler(3, 1, true)
		sh := z.Shingle(s)
		var th []uint64
		for _, tok := range got {
			th = append(th, HashToken(tok))
		}
		var hs []uint64
		for j := 0; j+3 <= len(th); j++ {
			hs = append(hs, HashShingle(th[j:j+3]))
		}
		if len(th) > 0 && len(th) < 3 {
			hs = append(hs, HashShingle(th))
		}
		if sh.Tokens != len(got) || !reflect.DeepEqual(append([]uint64{}, sh.Hashes...), append([]uint64{}, hs...)) {
			t.Fatalf("%q: shingler %d tokens %x, want %d %x", s, sh.Tokens, sh.Hashes, len(got), hs)
		}
	})
}
