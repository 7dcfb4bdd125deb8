package gopher

import (
	"strings"
	"testing"
)

// checkNGrams compares the hashed n-gram counts with the string-keyed
// reference for n from 1 to 10, on words joined both ways; collide makes
// every n-gram hash the same, so that the fallback is what answers.
func checkNGrams(t testing.TB, ws []string, collide bool) {
	t.Helper()
	g := &gramHashes{pow: []uint64{1}}
	for _, sep := range []string{" ", ""} {
		j := join(ws, sep)
		g.reset(j)
		if collide {
			clear(g.prefix)
		}
		for n := 1; n <= 10; n++ {
			if sep == " " {
				if got, want := g.topDuplicateHashed(j, len(ws), n), topDuplicate(j, len(ws), n); got != want {
					t.Fatalf("top %d-gram of %.60q: %d, reference %d (collide %v)", n, strings.Join(ws, " "), got, want, collide)
				}
				continue
			}
			if got, want := g.allDuplicateHashed(j, len(ws), n), allDuplicate(j, len(ws), n); got != want {
				t.Fatalf("repeated %d-grams of %.60q: %d, reference %d (collide %v)", n, strings.Join(ws, " "), got, want, collide)
			}
		}
	}
}

// TestNGramsHashed checks the hashed n-gram counts against the reference
// on the real pages, on made-up repetitions ("ab c" and "a bc" glued the
// same), and with every hash colliding.
func TestNGramsHashed(t *testing.T) {
	for _, d := range realDocs(t) {
		ws := EnglishWords(d.Text)
		checkNGrams(t, ws, false)
		checkNGrams(t, ws, true)
	}
	for _, s := range []string{"", "a", "a b a b a b", "ab c a bc ab c", "é é é é é", "x y z x y z x y z w"} {
		checkNGrams(t, strings.Fields(s), false)
		checkNGrams(t, strings.Fields(s), true)
	}
}

// FuzzNGramsHashed compares the hashed counts with the reference on any
// words.
func FuzzNGramsHashed(f *testing.F) {
	f.Add("ab c a bc ab c", false)
	f.Add("a a a a a a a a a a a a", true)
	f.Fuzz(func(t *testing.T, s string, collide bool) {
		checkNGrams(t, strings.Fields(s), collide)
	})
}
