package dedup

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// The run-wide path (Fingerprint in any order, Judge in canonical order,
// Apply) leaves every document as the sequential Modify pass does, in every
// mode and for both sets, on real web pages with planted copies.
func TestJudgeAsSequential(t *testing.T) {
	texts := dupCorpus(t, 60)
	for _, with := range []string{
		"{set: exact}", "{expected_ngrams: 200000}", "{mode: paragraph, expected_ngrams: 200000}",
		"{mode: document, set: exact}", "{annotate: true, set: exact}",
	} {
		seq := recipe(t, "name: t\nsteps:\n- use: bff_dedup\n  with: "+with+"\n").Steps[0].Step.(*BFF)
		run := recipe(t, "name: t\nsteps:\n- use: bff_dedup\n  with: "+with+"\n").Steps[0].Step.(*BFF)
		j, err := run.NewJudge()
		if err != nil {
			t.Fatal(err)
		}
		// Fingerprints are computed first (in reverse, as parallel workers
		// might), the judge then reads them in order.
		fps := make([][]byte, len(texts))
		for i := len(texts) - 1; i >= 0; i-- {
			fp, reason, err := run.Fingerprint(&filters.Doc{Text: texts[i]}, nil)
			if err != nil || reason != "" {
				t.Fatal(reason, err)
			}
			fps[i] = fp
		}
		changed := 0
		for i, text := range texts {
			a := &filters.Doc{ID: "a", Text: text}
			ra, err := seq.Modify(a)
			if err != nil {
				t.Fatal(err)
			}
			v, err := j.Judge(fps[i], nil)
			if err != nil {
				t.Fatal(err)
			}
			b := &filters.Doc{ID: "b", Text: text}
			rb, err := run.Apply(b, v)
			if err != nil {
				t.Fatal(err)
			}
			if ra != rb || a.Text != b.Text || !sameSignals(a, b) {
				t.Fatalf("%s doc %d: sequential %q %q %v, run-wide %q %q %v", with, i, ra, a.Text, a.Signals, rb, b.Text, b.Signals)
			}
			if rb != "" || b.Text != text || contained(b) > 0 {
				changed++
			}
		}
		if changed == 0 {
			t.Fatalf("%s: no document changed", with)
		}
	}
}

func sameSignals(a, b *filters.Doc) bool { return fmt.Sprint(a.Signals) == fmt.Sprint(b.Signals) }

// contained is the contained-shingle count a decision recorded on d.
func contained(d *filters.Doc) int {
	for _, k := range []string{SignalContainedBefore, SignalContained} {
		if v, ok := d.Signal(k); ok {
			return v.(int)
		}
	}
	return -1
}

// exact_dedup: the first copy in judge order is kept.
func TestExactJudge(t *testing.T) {
	docs := webDocs(t)[:20]
	r := recipe(t, "name: t\nsteps:\n- use: exact_dedup\n  with: {key: normalized_text}\n")
	e := r.Steps[0].Step.(filters.Deduper)
	j, _ := e.NewJudge()
	order := []int{0, 1, 2, 1, 3, 0, 4}
	want := []string{"", "", "", ReasonExact, "", ReasonExact, ""}
	for n, i := range order {
		text := docs[i].Text
		if n == 3 {
			text = "  " + upperASCII(text) + "\n"
		}
		d := &filters.Doc{Text: text}
		fp, _, err := e.Fingerprint(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := j.Judge(fp, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Apply(d, v)
		if err != nil || got != want[n] {
			t.Fatalf("doc %d (%d): %q %v, want %q", n, i, got, err, want[n])
		}
	}
	if _, err := j.Judge([]byte("short"), nil); err == nil {
		t.Fatal("a short key was judged")
	}
	if _, err := e.Apply(&filters.Doc{}, []byte{2}); err == nil {
		t.Fatal("verdict 2 applied")
	}
}

// FuzzJudgeDecode: fingerprints and verdicts come back from files; bad ones
// are errors, never panics, and good ones survive a round trip.
func FuzzJudgeDecode(f *testing.F) {
	z, _ := NewShingler(3, 3, false)
	f.Add(appendShingles(nil, z.Shingle("one two three four\nfive six seven eight nine")))
	f.Add(appendDecision(nil, &Decision{Removed: []Span{{1, 5}, {9, 12}}, Contained: 3, Total: 7}))
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		var sh Shingles
		if readShingles(b, &sh) == nil {
			var again Shingles
			if err := readShingles(appendShingles(nil, &sh), &again); err != nil || !reflect.DeepEqual(sh, again) {
				t.Fatalf("fingerprint round trip %x: %+v -> %+v (%v)", b, sh, again, err)
			}
		}
		var dc Decision
		if readDecision(b, &dc) == nil {
			s := &BFF{}
			d := &filters.Doc{Text: "0123456789abcdef"}
			if _, err := s.Apply(d, b); err == nil {
				_ = d.Text
			}
		}
	})
}
