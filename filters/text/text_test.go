package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

func fastTextTokens(s string) []string {
	var out []string
	FastTextTokens(s, func(w string) bool { out = append(out, w); return true })
	return out
}

func segments(s string) []string {
	var out []string
	UAXWordsFunc(s, func(w string) bool { out = append(out, w); return true })
	return out
}

func TestFastText(t *testing.T) {
	// fasttext.FastText.tokenize, as recorded in DCLM's reference notes.
	got := fastTextTokens("Hello world.\nNew  line\u00a0nbsp\ttab")
	want := []string{"Hello", "world.", "</s>", "New", "line\u00a0nbsp", "tab"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
	for _, c := range []struct {
		s           string
		punct, free int
	}{
		{"", 0, 0},
		{"Hello world. \n This is a test.", 6, 7},
		{" Line 1\nLine 2!!!\t    \n\n\nLine  ????    3\t", 6, 11},
		{"#tag ... - \u00a0 word", 1, 4}, // "\u00a0" is a token, but whitespace only
		{"a\x00b\x0bc\x0cd\re", 5, 5},
		{"\u3000x\u3000", 0, 1}, // U+3000 is no separator; the token starts with a space
	} {
		if n := FastTextCount(c.s, true); n != c.punct {
			t.Errorf("%q: %d words ignoring punctuation, want %d", c.s, n, c.punct)
		}
		if n := FastTextCount(c.s, false); n != c.free {
			t.Errorf("%q: %d words, want %d", c.s, n, c.free)
		}
	}
}

func TestUAXWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// uniseg 0.7.1's own doctests.
		{"The quick (“brown”) fox can’t jump 32.3 feet, right?", "The| |quick| |(|“|brown|”|)| |fox| |can’t| |jump| |32.3| |feet|,| |right|?"},
		{"Hello, world.", "Hello|,| |world|."},
		{"\x01\u0308\x01", "\x01\u0308|\x01"},
		{"A\u0308A", "A\u0308A"},
		{"\n\u2060", "\n|\u2060"},
		{"\r\n", "\r\n"},
		// DCLM's notes: single segments.
		{"e.g U.S.A 3,000.5 hello_world don't 1.4", "e.g| |U.S.A| |3,000.5| |hello_world| |don't| |1.4"},
		// Unicode 6.2 rules: every space its own segment (no WB3d), no WB3c,
		// U+202F is not ExtendNumLet, Hebrew " is Other.
		{"a  b", "a| | |b"},
		{"abc\u202fdef", "abc|\u202f|def"},
		{"צה\"ל", "צה|\"|ל"},
		{"🇫🇷🇩🇪", "🇫🇷🇩🇪"},
		{"日本語テキスト", "日|本|語|テキスト"},
		{"a:b a:1 1,2 1,a", "a:b| |a|:|1| |1,2| |1|,|a"},
	} {
		if got := strings.Join(segments(c.in), "|"); got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
	if got := UAXWords("Hello world! That should be easy, right? I think so...yeah..."); len(got) != 11 {
		t.Errorf("DCLM page_length test: %d uniseg words %q, want 11", len(got), got)
	}
}

func TestSplitting(t *testing.T) {
	if got := Fields("a\x1cb\u00a0c\u2003d\u200be\u0085f"); !reflect.DeepEqual(got, []string{"a", "b", "c", "d\u200be", "f"}) {
		t.Errorf("Fields: %q", got)
	}
	if got := Strip("\x1c\u3000 x y\u00a0\n"); got != "x y" {
		t.Errorf("Strip: %q", got)
	}
	if got := SplitParagraphs("a\n\n\nb \n\n \n\n c\n", "\n\n"); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("SplitParagraphs: %q", got)
	}
	if got := SplitParagraphs(" \n\t\n", "\n"); got != nil {
		t.Errorf("SplitParagraphs of blanks: %q", got)
	}
	if n := RuneLen("héllo\xff"); n != 6 {
		t.Errorf("RuneLen: %d", n)
	}
}

// refSegments is uniseg 0.7.1's word_breakables written out as it is: the
// primitives of WB4 first, then one decision per primitive with two
// primitives of context behind and one ahead.
func refSegments(s string) []string {
	type prim struct {
		pos int
		p   wbProp
	}
	var prims []prim
	prevProp := wbNone
	for i, r := range s {
		p := wordBreakSlow(r)
		switch {
		case p == wbCR || p == wbLF || p == wbNewline:
			prims = append(prims, prim{i, p})
			prevProp = wbNone
		case p == wbExtend || p == wbFormat:
			if prevProp == wbNone {
				prims = append(prims, prim{i, p})
				prevProp = p
			}
		default:
			prims = append(prims, prim{i, p})
			prevProp = p
		}
	}
	var out []string
	start := 0
	pp, prev := wbNone, wbNone
	for k, c := range prims {
		next := wbNone
		if k+1 < len(prims) {
			next = prims[k+1].p
		}
		if c.pos > 0 && !keepTogether(pp, prev, c.p, next) {
			out = append(out, s[start:c.pos])
			start = c.pos
		}
		pp, prev = prev, c.p
	}
	if s != "" {
		out = append(out, s[start:])
	}
	return out
}

// rivoWords is the alphanumeric-first segments of rivo/uniseg (Unicode 15.0).
func rivoWords(s string) []string {
	var out []string
	state := -1
	for len(s) > 0 {
		var w string
		w, s, state = uniseg.FirstWordInString(s, state)
		r, _ := utf8.DecodeRuneInString(w)
		if IsAlnum(r) {
			out = append(out, w)
		}
	}
	return out
}

func FuzzTokenizers(f *testing.F) {
	for _, s := range []string{"a.b'c:d 1,2;3.4 _x_ a_.b a1.b 1a.b’c", "\u0308a\u200b\u0301b\r\n\u0301c\u2060", "x'\u0301y", "Hello world.\nNew  line\u00a0nbsp\ttab", "e.g. U.S.A 3,000.5 don't", "a\u0308\u200db", "1,2.3:4'5_6", "x\x1cy\u3000z\n\n\nw", "\xff\xfe", "🇫🇷🇩🇪👍🏽"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// fastText: tokens hold no separator; separators removed, they give s back.
		var b strings.Builder
		n := 0
		FastTextTokens(s, func(w string) bool {
			if w == EOS {
				return true
			}
			if strings.ContainsAny(w, " \n\r\t\v\f\x00") || w == "" {
				t.Fatalf("token %q", w)
			}
			if IsAlnum(firstRune(w)) {
				n++
			}
			b.WriteString(w)
			return true
		})
		stripped := strings.Map(func(r rune) rune {
			if r < 0x80 && isFastTextSep(byte(r)) {
				return -1
			}
			return r
		}, s)
		if utf8.ValidString(s) && b.String() != stripped {
			t.Fatalf("tokens of %q join to %q", s, b.String())
		}
		if n != FastTextCount(s, true) {
			t.Fatalf("FastTextCount(%q) = %d, tokens give %d", s, FastTextCount(s, true), n)
		}
		// UAX #29: non-empty segments that give s back, the same as the
		// plain port of uniseg's algorithm.
		segs := segments(s)
		if utf8.ValidString(s) {
			if ref := refSegments(s); !reflect.DeepEqual(segs, ref) {
				t.Fatalf("%q: segments %q, reference %q", s, segs, ref)
			}
		}
		if strings.Join(segs, "") != s {
			t.Fatalf("segments of %q join to %q", s, strings.Join(segs, ""))
		}
		var alnum []string
		for _, w := range segs {
			if w == "" {
				t.Fatalf("empty segment in %q", s)
			}
			if IsAlnum(firstRune(w)) {
				alnum = append(alnum, w)
			}
		}
		if got := UAXWords(s); !reflect.DeepEqual(got, alnum) && len(got)+len(alnum) > 0 {
			t.Fatalf("UAXWords(%q) = %q, segments give %q", s, got, alnum)
		}
		// On ASCII text, the Unicode 6.2 and 15.0 rules give the same words.
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if ascii {
			if got, want := UAXWords(s), rivoWords(s); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("%q: words %q, rivo/uniseg %q", s, got, want)
			}
		}
		// Python whitespace splitting against a plain reference.
		if got, want := Fields(s), strings.FieldsFunc(s, IsSpace); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("Fields(%q) = %q, want %q", s, got, want)
		}
		if got, want := Strip(s), strings.TrimFunc(s, IsSpace); got != want {
			t.Fatalf("Strip(%q) = %q, want %q", s, got, want)
		}
		// One-pass statistics against the plain functions.
		fields := Fields(s)
		var want SplitStats
		for _, w := range fields {
			want.Words++
			alpha := false
			for _, r := range w {
				want.Runes++
				alpha = alpha || IsAlpha(r)
			}
			if !alpha {
				want.NonAlpha++
			}
		}
		if got := CountSplit(s); got != want {
			t.Fatalf("CountSplit(%q) = %+v, want %+v", s, got, want)
		}
		lines := strings.Split(s, "\n")
		stats := LineStats(s)
		if len(stats) != len(lines) {
			t.Fatalf("LineStats(%q): %d lines, want %d", s, len(stats), len(lines))
		}
		for i, l := range lines {
			var w LineStat
			for _, r := range l {
				w.Runes++
				if IsUpper(r) {
					w.Upper++
				}
				if IsDigit(r) {
					w.Digit++
				}
			}
			w.Words = int32(CountFields(l))
			if stats[i] != w {
				t.Fatalf("LineStats(%q)[%d] = %+v, want %+v", s, i, stats[i], w)
			}
		}
		var paras []string
		for _, p := range strings.Split(s, "\n\n") {
			if p = strings.TrimFunc(p, IsSpace); p != "" {
				paras = append(paras, p)
			}
		}
		if got := SplitParagraphs(s, "\n\n"); !reflect.DeepEqual(got, paras) {
			t.Fatalf("SplitParagraphs(%q) = %q, want %q", s, got, paras)
		}
	})
}
