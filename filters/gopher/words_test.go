package gopher

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestEnglishWords checks the tokenizer on cases whose spaCy ("en")
// tokenization follows from its rules: special cases, prefixes, suffixes,
// infixes and URLs.
func TestEnglishWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Don't stop", []string{"Do", "n't", "stop"}},
		{"I'm sure we'll see", []string{"I", "'m", "sure", "we", "'ll", "see"}},
		{"Let's go, it's John's", []string{"Let", "'s", "go", ",", "it", "'s", "John", "'s"}},
		{"cannot gonna dont", []string{"can", "not", "gon", "na", "do", "nt"}},
		{"ill well its", []string{"ill", "well", "its"}}, // excluded special cases
		{"(Mr. Smith),", []string{"(", "Mr.", "Smith", ")", ","}},
		{"the U.S. e.g. end.Next", []string{"the", "U.S.", "e.g.", "end", ".", "Next"}},
		{"hello. Hello!!!", []string{"hello", ".", "Hello", "!", "!", "!"}},
		{"well-known a,b 3+4 x/y", []string{"well", "-", "known", "a", ",", "b", "3", "+", "4", "x", "/", "y"}},
		{"10km $5 5pm 4:30", []string{"10", "km", "$", "5", "5", "pm", "4:30"}},
		{"hello...world wait...", []string{"hello", "...", "world", "wait", "..."}},
		{"“quoted” 'single'", []string{"“", "quoted", "”", "'", "single", "'"}},
		{"see http://example.com/x, or www.test.org.", []string{"see", "http://example.com/x", ",", "or", "www.test.org", "."}},
		{"Ω → ok", []string{"Ω", "→", "ok"}},
		{" \t\n\u00a0\u3000 ", nil},
		{"", nil},
	} {
		got := EnglishWords(c.in)
		if !slices.Equal(got, c.want) {
			t.Errorf("EnglishWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// checkTokens checks what holds for every text: the words are non-empty,
// hold no whitespace, and put together give the text without whitespace.
func checkTokens(t testing.TB, s string) {
	ws := EnglishWords(s)
	for _, w := range ws {
		if w == "" || strings.IndexFunc(w, isPySpace) >= 0 {
			t.Fatalf("EnglishWords(%q): bad word %q", s, w)
		}
	}
	var b strings.Builder
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return isPySpace(r) }) {
		b.WriteString(f)
	}
	if got := strings.Join(ws, ""); got != b.String() {
		t.Fatalf("EnglishWords(%q) = %q: joined %q, want %q", s, ws, got, b.String())
	}
}

// TestTokenizeFastPath holds tokenizeChunk's plain-word path to the rules:
// every chunk of the real pages, and words the rules could cut (specials,
// units, contractions without apostrophes), give the same tokens.
func TestTokenizeFastPath(t *testing.T) {
	chunks := strings.Fields("cannot Cannot dont DONT im Im gonna km kg MB mb t in ft hello World Mr Dr etc eg ie vs s S a I")
	for _, d := range realDocs(t) {
		chunks = append(chunks, strings.Fields(d.Text)...)
	}
	fast := 0
	for _, c := range chunks {
		if asciiLetters(c) {
			fast++
		}
		got, want := tokenizeChunk(c, nil), tokenizeRules(c, nil)
		if !slices.Equal(got, want) {
			t.Errorf("%q: %q, the rules give %q", c, got, want)
		}
	}
	if fast < len(chunks)/2 {
		t.Errorf("only %d of %d chunks took the plain-word path", fast, len(chunks))
	}
}

// FuzzTokenizeFastPath compares tokenizeChunk with the rules on any chunk.
func FuzzTokenizeFastPath(f *testing.F) {
	for _, s := range []string{"cannot", "Hello", "km", "dont", "xYz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
			return
		}
		if got, want := tokenizeChunk(s, nil), tokenizeRules(s, nil); !slices.Equal(got, want) {
			t.Fatalf("%q: %q, the rules give %q", s, got, want)
		}
	})
}
