package dedup

import (
	"reflect"
	"testing"
)

// pass runs a sequential pass with a fresh exact set and returns the
// decisions and output texts.
type pass struct {
	t   *testing.T
	z   *Shingler
	dec Decider
	m   Membership
}

func newPass(t *testing.T, mode Mode, n, min int) *pass {
	z, err := NewShingler(n, min, mode.Whole())
	if err != nil {
		t.Fatal(err)
	}
	return &pass{t: t, z: z, dec: Decider{Mode: mode, Threshold: 0.8}, m: &SetMembership{Set: NewExact()}}
}

func (p *pass) doc(text string) (string, Decision) {
	var dc Decision
	p.dec.Decide(p.z.Shingle(text), p.m, &dc)
	return dc.Apply(text), dc
}

func (p *pass) expect(text, wantText string, wantRemoved []Span, contained, total int, empty bool) {
	p.t.Helper()
	got, dc := p.doc(text)
	if got != wantText || !reflect.DeepEqual(dc.Removed, wantRemoved) || dc.Contained != contained || dc.Total != total || dc.Empty != empty {
		p.t.Fatalf("%q: got text %q removed %v contained %d/%d empty %v;\nwant %q %v %d/%d %v",
			text, got, dc.Removed, dc.Contained, dc.Total, dc.Empty, wantText, wantRemoved, contained, total, empty)
	}
}

func TestParagraphWindows(t *testing.T) {
	z, _ := NewShingler(3, 3, false)
	for _, c := range []struct {
		in   string
		want []Span
	}{
		{"", []Span{{0, 0}}},
		{"ab", []Span{{0, 2}}},
		{"\n", []Span{{0, 0}, {0, 1}}},
		{"\nab", []Span{{0, 0}, {0, 3}}},
		{"a\nb\n", []Span{{0, 1}, {1, 3}, {3, 4}}},
		{"a\n\nb", []Span{{0, 1}, {1, 2}, {2, 4}}},
	} {
		var got []Span
		for _, u := range z.Shingle(c.in).Units {
			got = append(got, Span{u.Start, u.End})
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: windows %v, want %v (DCLM: pairs of [0, newlines..., len])", c.in, got, c.want)
		}
	}
}

func TestShingleHashes(t *testing.T) {
	z, _ := NewShingler(3, 3, false)
	s := z.Shingle("a b, c d\nx y")
	if len(s.Units) != 2 || s.Units[0].Hi-s.Units[0].Lo != 3 || s.Units[1].Hi != s.Units[1].Lo || s.Tokens != 7 {
		t.Fatalf("units %+v tokens %d", s.Units, s.Tokens)
	}
	th := func(ts ...string) uint64 {
		var hs []uint64
		for _, x := range ts {
			hs = append(hs, HashToken(x))
		}
		return HashShingle(hs)
	}
	want := []uint64{th("a", "b", ","), th("b", ",", "c"), th(",", "c", "d")}
	if !reflect.DeepEqual(s.Of(0), want) {
		t.Fatalf("rolling hashes %x, want %x", s.Of(0), want)
	}
	// Token boundaries matter; the same tokens in another paragraph hash alike.
	if th("ab", "c", "d") == th("a", "bc", "d") || th("a", "b", "c") == th("a", "b", "c", "d") {
		t.Fatal("distinct shingles share a hash")
	}
	// min_ngram: a short unit is one shingle of all its tokens.
	z2, _ := NewShingler(5, 2, false)
	s2 := z2.Shingle("p q r\nz")
	if !reflect.DeepEqual(s2.Of(0), []uint64{th("p", "q", "r")}) || len(s2.Of(1)) != 0 {
		t.Fatalf("min_ngram shingles %x / %x", s2.Of(0), s2.Of(1))
	}
	if _, err := NewShingler(3, 4, false); err == nil {
		t.Fatal("min > n accepted")
	}
}

// Hand-checked old-both cases (n = 3, threshold 0.8).
func TestOldBothEdges(t *testing.T) {
	p := newPass(t, ModeOldBoth, 3, 3)
	p.expect("a b c d\ne f g h", "a b c d\ne f g h", nil, 0, 4, false)
	// Windows after the first start with "\n": removing the first and the
	// last leaves the middle one with its "\n"; nothing is trimmed.
	p.expect("e f g h\ni j k l\na b c d", "\ni j k l", []Span{{0, 7}, {15, 23}}, 4, 6, false)
	// Paragraphs shorter than n have no shingles and stay (0/0 keeps).
	p.expect("x y\nx y", "x y\nx y", nil, 0, 0, false)
	// In-document repeat: the first copy is inserted before the second is queried.
	p.expect("m n o p\nm n o p", "m n o p", []Span{{7, 15}}, 2, 4, false)
	// Strict >: 4 of 5 contained is exactly 0.8 and stays (and is inserted).
	p.expect("q r s t u v w", "q r s t u v w", nil, 0, 5, false)
	p.expect("q r s t u v X", "q r s t u v X", nil, 4, 5, false)
	p.expect("q r s t u v X", "", []Span{{0, 13}}, 5, 5, true)
	// Document rule on counts before insertion: 7 of 8 contained empties
	// the document, but its kept paragraph was inserted all the same.
	p.expect("q r s t u v w\na b c d\ny1 y2 y3", "", []Span{{0, 13}, {13, 21}}, 7, 8, true)
	p.expect("y1 y2 y3", "", []Span{{0, 8}}, 1, 1, true)
	// A first occurrence repeated 6 times in one document: 5/6 > 0.8, emptied.
	p.expect("g1 g2 g3\ng1 g2 g3\ng1 g2 g3", "g1 g2 g3", []Span{{8, 17}, {17, 26}}, 2, 3, false)
	p.expect("h1 h2 h3\nh1 h2 h3\nh1 h2 h3\nh1 h2 h3\nh1 h2 h3\nh1 h2 h3", "",
		[]Span{{8, 17}, {17, 26}, {26, 35}, {35, 44}, {44, 53}}, 5, 6, true)
	// Repeats inside one paragraph do not count: it is queried whole first.
	p.expect("r1 r2 r3 r1 r2 r3", "r1 r2 r3 r1 r2 r3", nil, 0, 4, false)
	p.expect("r1 r2 r3", "", []Span{{0, 8}}, 1, 1, true)
	// A text that starts with "\n": the windows are [0,0) and [0,len).
	p.expect("\na b c d", "", []Span{{0, 8}}, 2, 2, true)
}

func TestParagraphAndDocumentModes(t *testing.T) {
	p := newPass(t, ModeParagraph, 3, 3)
	p.expect("q r s t u v w\na b c d", "q r s t u v w\na b c d", nil, 0, 7, false)
	p.expect("q r s t u v w\na b c d\ny1 y2 y3", "\ny1 y2 y3", []Span{{0, 13}, {13, 21}}, 7, 8, false)
	p.expect("h1 h2 h3\nh1 h2 h3\nh1 h2 h3\nh1 h2 h3\nh1 h2 h3\nh1 h2 h3", "h1 h2 h3",
		[]Span{{8, 17}, {17, 26}, {26, 35}, {35, 44}, {44, 53}}, 5, 6, false)

	d := newPass(t, ModeDocument, 3, 3)
	d.expect("a b c d", "a b c d", nil, 0, 2, false)
	// Shingles span newlines in document mode.
	d.expect("a b\nc d", "", []Span{{0, 7}}, 2, 2, true)
	d.expect("a b c d e f", "a b c d e f", nil, 2, 4, false)
	// min_ngram: a short document is one shingle.
	s := newPass(t, ModeDocument, 5, 2)
	s.expect("u v w", "u v w", nil, 0, 1, false)
	s.expect("u\nv w", "", []Span{{0, 5}}, 1, 1, true)
	if _, err := ParseMode("both"); err == nil {
		t.Fatal("mode both accepted")
	}
}
