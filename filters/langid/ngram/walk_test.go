package ngram

import (
	"testing"

	"github.com/pemistahl/lingua-go"
	"github.com/pemistahl/lingua-go/serialization"
	"google.golang.org/protobuf/proto"
)

// TestWalkModelAsUnmarshal: walking lingua's serialized models in place
// yields exactly the (probability, n-gram) pairs proto.Unmarshal gives, in
// the same order, for every order of a few languages; damaged input is an
// error.
func TestWalkModelAsUnmarshal(t *testing.T) {
	for _, l := range []lingua.Language{lingua.English, lingua.Chinese, lingua.Yoruba, lingua.Georgian} {
		for n := 1; n <= 5; n++ {
			raw, err := readModel(l, n)
			if err != nil {
				t.Fatal(err)
			}
			if raw == nil {
				continue
			}
			var want serialization.SerializableLanguageModel
			if err := proto.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			i, j := 0, 0
			err = walkModel(raw, func(prob float64, g []byte) error {
				for i < len(want.NgramSets) && j == len(want.NgramSets[i].Ngrams) {
					i, j = i+1, 0
				}
				if i == len(want.NgramSets) {
					t.Fatalf("%v %d-grams: walk gives more n-grams than Unmarshal", l, n)
				}
				if s := want.NgramSets[i]; s.Probability != prob || s.Ngrams[j] != string(g) {
					t.Fatalf("%v %d-grams: set %d n-gram %d: %v %q, want %v %q", l, n, i, j, prob, g, s.Probability, s.Ngrams[j])
				}
				j++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, s := range want.NgramSets {
				total += len(s.Ngrams)
			}
			seen := 0
			for k := range i {
				seen += len(want.NgramSets[k].Ngrams)
			}
			if seen+j != total {
				t.Errorf("%v %d-grams: walked %d of %d", l, n, seen+j, total)
			}
			if err := walkModel(raw[:len(raw)-1], func(float64, []byte) error { return nil }); err == nil {
				t.Errorf("%v %d-grams: a truncated model walked without error", l, n)
			}
		}
	}
}
