package filters

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Samples merged in any order, split over any number of tasks, keep the
// same documents: the lowest hashes per reason.
func TestSamplesMergeInAnyOrder(t *testing.T) {
	var all []Sample
	for i := range 200 {
		reason := []string{"a", "b", "", "error"}[i%4]
		all = append(all, Sample{Hash: uint64(i*7919) % 101, ID: fmt.Sprintf("doc-%03d", i), Reason: reason})
	}
	var want NodeStats
	for _, s := range all {
		want.addSample(s)
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		perm := rng.Perm(len(all))
		parts := make([]NodeStats, 1+rng.IntN(6))
		for _, i := range perm {
			p := &parts[rng.IntN(len(parts))]
			if p.wants(&all[i], all[i].ID) {
				p.addSample(all[i])
			}
		}
		var got NodeStats
		for i := range parts {
			got.Merge(&parts[i])
		}
		got.Merge(&parts[0]) // a result merged twice adds no sample
		if !reflect.DeepEqual(got.Samples, want.Samples) {
			t.Fatalf("seed %d: merged samples differ:\n got %v\nwant %v", seed, ids(got.Samples), ids(want.Samples))
		}
	}
	per := map[string]int{}
	for _, s := range want.Samples {
		per[s.Reason]++
	}
	if per["a"] != SamplesPerReason || per[""] != SamplesChanged || per["error"] != SamplesPerReason {
		t.Errorf("samples per reason: %v", per)
	}
}

func ids(ss []Sample) []string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s/%d/%s", s.Reason, s.Hash, s.ID))
	}
	return out
}

// Excerpts are valid UTF-8, cut at a character boundary.
func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", SampleTextBytes) // two bytes each
	for _, s := range []string{"", "short", long, "a" + long, "bad \xff\xfe bytes", strings.Repeat("x", SampleTextBytes-1) + "€"} {
		e := excerpt(s)
		if !utf8.ValidString(e) || len(e) > SampleTextBytes+2 {
			t.Errorf("excerpt of %d bytes: %d bytes, valid %v", len(s), len(e), utf8.ValidString(e))
		}
		if utf8.ValidString(s) && !strings.HasPrefix(s, e) {
			t.Errorf("excerpt of a valid text is not its start")
		}
	}
}
