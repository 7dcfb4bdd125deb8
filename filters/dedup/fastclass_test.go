package dedup

import (
	"fmt"
	"testing"
	"unicode"

	"github.com/rivo/uniseg"
)

func unisegCount(s string) int {
	n, state := 0, -1
	for len(s) > 0 {
		_, s, state = uniseg.FirstWordInString(s, state)
		n++
	}
	return n
}

// Every code point the fast scanner handles has the Word_Break class it
// assumes, as rivo/uniseg (the reference of Tokens) segments it next to
// ASCII letters, digits and punctuation and next to itself.
func TestFastClassesMatchUniseg(t *testing.T) {
	tab := bmpClasses()
	fast, checked := 0, 0
	for r := rune(1); r < 1<<16; r++ {
		c := tab[r]
		if r < 0x80 {
			if r == '_' || r == 0x7f || r < 0x20 && c&cSpace == 0 {
				continue // ExtendNumLet and controls: left to the fuzz tests
			}
			c |= cFast
		}
		if c == 0 {
			continue
		}
		fast++
		C := string(r)
		type probe struct {
			s    string
			want int
		}
		var ps []probe
		switch c &^ cFast {
		case cSpace:
			if !unicode.IsSpace(r) {
				t.Errorf("%U: cSpace but not White_Space", r)
			}
			ps = []probe{{"a" + C + "a", 3}, {"1" + C + "1", 3}, {"_" + C + "_", 3}, {"." + C + ".", 3}}
		case cWord | cAlpha:
			ps = []probe{{"a" + C + "a", 1}, {C + C, 1}, {"1" + C, 1}, {C + "1", 1}, {C + ":" + C, 1},
				{C + "'", 2}, {C + ".a", 1}, {"_" + C, 1}, {C + "," + C, 3}}
		case cWord | cDigit:
			ps = []probe{{"1" + C + "1", 1}, {C + C, 1}, {"a" + C, 1}, {C + "a", 1}, {C + "," + C, 1},
				{C + ":" + C, 3}, {"_" + C, 1}, {C + ".1", 1}}
		case cMidL:
			ps = []probe{{"a" + C + "a", 1}, {"1" + C + "1", 3}, {C + C, 2}, {"a" + C, 2}, {C + "a", 2}}
		case cMidN:
			ps = []probe{{"1" + C + "1", 1}, {"a" + C + "a", 3}, {C + C, 2}, {"1" + C, 2}, {C + "1", 2}}
		case cMidL | cMidN:
			ps = []probe{{"1" + C + "1", 1}, {"a" + C + "a", 1}, {C + C, 2}, {"a" + C + "1", 3}}
		case cExt:
			ps = []probe{{"a" + C + "a", 1}, {"1" + C + "1", 1}, {C + "a", 2}, {" " + C, 1}, {"\n" + C, 2},
				{"!" + C + "a", 2}, {"中" + C, 1}, {"a" + C + ".a", 1}, {"a." + C + "a", 1}, {"1" + C + ",1", 1}, {C + C, 1}}
		case 0:
			if unicode.IsSpace(r) {
				t.Errorf("%U: a token class but White_Space", r)
			}
			ps = []probe{{"a" + C + "a", 3}, {"1" + C + "1", 3}, {C + C, 2}, {"_" + C + "_", 3}, {C + "a", 2}}
		default:
			t.Fatalf("%U: class %#x", r, c)
		}
		for _, p := range ps {
			checked++
			if got := unisegCount(p.s); got != p.want {
				t.Errorf("%U (class %#x): rivo/uniseg cuts %q into %d segments, the fast class says %d", r, c, p.s, got, p.want)
			}
		}
	}
	t.Logf("%d code points handled by the fast scanner, %d probes", fast, checked)
	if fast < 20000 {
		t.Errorf("only %d fast code points", fast)
	}
}

// The fast scanner and rivo/uniseg agree on texts of fast code points.
func TestFastScannerMixed(t *testing.T) {
	for _, s := range []string{
		"Привет, мир! Это 3,14 и т.д. ‘quoted’ don’t l’été",
		"中文字，日本語。한국어 문장 ١٢٣٫٤ ١٬٢",
		"a·b 1·2 a’1 1’a x.y.z ΑΒΓ.δεζ 12;34 ab;cd",
		"naïve café — «guillemets» … 5×3 ½ €10,5 №7",
		"a\u0301.b a.\u0301b 1\u0301,\u03012 x \u0301a !\u0301a \u00a0\u0301 a\u00adb .\u00ad. \n\u0301",
		"क्षत्रिय हिन्दी। ภาษาไทย กั ميخواهم می\u200cخواهم ճանապարհ",
	} {
		var got, want []string
		Tokens(s, func(tok string) bool { got = append(got, tok); return true })
		uniTokens(s, func(tok string) bool { want = append(want, tok); return true })
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q:\n got %q\nwant %q", s, got, want)
		}
		if q := firstSlow(s, bmpClasses()); q != len(s) && s[q] != 0xd9 {
			t.Logf("%q: slow from %d (%q)", s, q, s[q:min(q+4, len(s))])
		}
	}
}
