package tokens

import (
	"slices"
	"testing"
)

// FuzzMatchesTiktoken compares Encode and Count with tiktoken-go's Encode on
// arbitrary strings, valid UTF-8 or not.
func FuzzMatchesTiktoken(f *testing.F) {
	for _, s := range edgeCases {
		f.Add(s)
	}
	sentences := readJSONLText(f, "sentences_75langs.jsonl.gz")
	for i := 0; i < len(sentences); i += 12 { // one per language
		f.Add(sentences[i])
	}
	e := mustR50k(f)
	ref := mustReference(f)
	f.Fuzz(func(t *testing.T, s string) {
		want := refIDs(ref, s)
		if got := e.Encode(s, nil); !slices.Equal(got, want) {
			t.Fatalf("Encode(%q) = %v, tiktoken-go %v", s, got, want)
		}
		if n := e.Count(s); n != len(want) {
			t.Fatalf("Count(%q) = %d, tiktoken-go %d", s, n, len(want))
		}
	})
}
