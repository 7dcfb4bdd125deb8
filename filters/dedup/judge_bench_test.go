package dedup

import (
	"testing"

	"github.com/curator-dev/curator/filters"
)

// BenchmarkJudge measures the run's sequential part, the coordinator's
// judge: fingerprints decoded, shingles probed and inserted in a bloom
// filter sized for 100 million n-grams (120 MB, out of cache, as in a
// crawl), verdicts encoded. MB/s are of the documents' text. Fingerprinting
// (the workers' parallel part) is BenchmarkShingler's.
//
//	go test -run '^$' -bench Judge -cpu 1 ./filters/dedup
func BenchmarkJudge(b *testing.B) {
	texts, n := benchTexts(b)
	r, err := filters.ParseRecipe("b.yaml", []byte("name: b\nsteps:\n- use: bff_dedup\n  with: {expected_ngrams: 100000000}\n"))
	if err != nil {
		b.Fatal(err)
	}
	s := r.Steps[0].Step.(*BFF)
	var fps [][]byte
	for _, t := range texts {
		fp, _, err := s.Fingerprint(&filters.Doc{Text: t}, nil)
		if err != nil {
			b.Fatal(err)
		}
		fps = append(fps, fp)
	}
	// Each round starts from an empty filter whose pages the kernel has
	// already mapped (a filter in use is), so that every round inserts as
	// much as the first and page faults are not counted.
	fresh := func() filters.Judge {
		j, err := s.NewJudge()
		if err != nil {
			b.Fatal(err)
		}
		w := j.(*bffJudge).set.(*Bloom).words
		for i := 0; i < len(w); i += 512 {
			w[i] = 0
		}
		return j
	}
	b.SetBytes(n)
	b.ResetTimer()
	var v []byte
	for range b.N {
		b.StopTimer()
		j := fresh()
		b.StartTimer()
		for _, fp := range fps {
			var err error
			if v, err = j.Judge(fp, v[:0]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
