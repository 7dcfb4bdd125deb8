package tokens

import (
	"slices"
	"strings"
	"testing"
)

// byteRanks is a vocabulary of the 256 single bytes, byte b at rank b.
func byteRanks() map[string]int {
	m := make(map[string]int, 256)
	for b := range 256 {
		m[string([]byte{byte(b)})] = b
	}
	return m
}

func TestNewEncoderChecksRanks(t *testing.T) {
	if _, err := newEncoder("bytes", byteRanks(), 256, 256); err != nil {
		t.Fatalf("byte vocabulary: %v", err)
	}
	for name, tc := range map[string]struct {
		edit      func(map[string]int)
		mergeable int
		want      string
	}{
		"count":     {func(map[string]int) {}, 257, "256 mergeable ranks, want 257"},
		"duplicate": {func(m map[string]int) { delete(m, "a"); m["ab"] = 0 }, 256, "bad rank"},
		"range":     {func(m map[string]int) { delete(m, "a"); m["ab"] = 300 }, 256, "bad rank"},
		"byte":      {func(m map[string]int) { m["ab"] = m["a"]; delete(m, "a") }, 256, "has no token"},
	} {
		m := byteRanks()
		tc.edit(m)
		_, err := newEncoder("bytes", m, 256, tc.mergeable)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}

// TestSmallVocabulary runs the whole pipeline on a made-up vocabulary, where
// the expected merges can be worked out by hand.
func TestSmallVocabulary(t *testing.T) {
	m := byteRanks()
	next := 256
	for _, tok := range []string{"ab", "bc", "abc", " a", "cc", " abc"} {
		m[tok] = next
		next++
	}
	e, err := newEncoder("toy", m, next, next)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string][]uint32{
		"abc":   {258},                // ab (256) first, then ab+c
		"bcab":  {257, 256},           // bc and ab
		"abab":  {256, 256},           // no "abab"
		"ccc":   {260, 'c'},           // leftmost cc on a tie
		" abc":  {261},                // the piece is a token
		" abcc": {261, 'c'},           // ab, then abc, then " "+abc
		"x abc": {'x', 261},           // pieces "x", " abc"
		"a\xff": {'a', 239, 191, 189}, // invalid byte -> U+FFFD
	} {
		got := e.Encode(text, nil)
		if !slices.Equal(got, want) {
			t.Errorf("Encode(%q) = %v, want %v", text, got, want)
		}
		if n := e.Count(text); n != len(want) {
			t.Errorf("Count(%q) = %d, want %d", text, n, len(want))
		}
	}
}
