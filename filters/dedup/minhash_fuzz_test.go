package dedup

import (
	"encoding/binary"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// FuzzReadBandKeys: the decoder accepts exactly the fingerprints of the
// format (a band count of 0 or buckets and that many keys), and what it
// accepts re-encodes to the same bytes; the judge takes any of them.
func FuzzReadBandKeys(f *testing.F) {
	m, err := NewMinHash(MinHashParams{NGrams: 2, NumBuckets: 3, HashesPerBucket: 2, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "a b c d", "one two three four five six"} {
		b, _, _ := m.Fingerprint(&filters.Doc{Text: s}, nil)
		f.Add(b)
	}
	f.Add([]byte{0x80})
	f.Add([]byte{3, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := ReadBandKeys(b, 3, nil)
		if err != nil {
			j, _ := m.NewJudge()
			if j.(filters.Clusterer).Observe(b) == nil {
				t.Fatalf("%x: the judge observed a fingerprint the decoder refuses", b)
			}
			return
		}
		if len(keys) != 0 && len(keys) != 3 {
			t.Fatalf("%x: %d keys", b, len(keys))
		}
		re := binary.AppendUvarint(nil, uint64(len(keys)))
		for _, k := range keys {
			re = binary.LittleEndian.AppendUint64(re, k)
		}
		if string(re) != string(b) {
			// Uvarint accepts over-long encodings of the count (0x80 0x00);
			// they must at least decode to the same keys.
			again, err := ReadBandKeys(re, 3, nil)
			if err != nil || len(again) != len(keys) {
				t.Fatalf("%x: re-encoded %x does not decode alike", b, re)
			}
		}
		j, _ := m.NewJudge()
		cl := j.(filters.Clusterer)
		if err := cl.Observe(b); err != nil {
			t.Fatal(err)
		}
		if v, err := cl.Judge(b, nil); err != nil || len(v) != 1 || v[0] != 0 {
			t.Fatalf("%x: lone document judged %v, %v", b, v, err)
		}
	})
}

// FuzzMinHashFingerprint: any text gives a fingerprint the decoder takes,
// the same twice, with a signature exactly when it has n_grams words.
func FuzzMinHashFingerprint(f *testing.F) {
	m, err := NewMinHash(MinHashParams{NGrams: 2, NumBuckets: 3, HashesPerBucket: 2, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "a", "Été 2023 — x\u0301y", "x\xff\xfe y ’q’ “x” ‘z", "\x1c\x1fA B", "cannot gonna"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, reason, err := m.Fingerprint(&filters.Doc{Text: s}, nil)
		if err != nil || reason != "" {
			t.Fatal(reason, err)
		}
		keys, err := ReadBandKeys(b, 3, nil)
		if err != nil {
			t.Fatal(err)
		}
		words := minhashWords(new(textBufs).simplify(s), nil)
		if (len(keys) == 3) != (len(words) >= 2) {
			t.Fatalf("%q: %d keys for %d words", s, len(keys), len(words))
		}
		again, _, _ := m.Fingerprint(&filters.Doc{Text: s}, nil)
		if string(again) != string(b) {
			t.Fatalf("%q: fingerprint not stable", s)
		}
	})
}
