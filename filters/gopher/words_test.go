package gopher

import (
	"slices"
	"strings"
	"testing"
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
