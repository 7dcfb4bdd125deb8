package dedup

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/curator-dev/curator/filters"
)

func recipe(t *testing.T, yaml string) *filters.Recipe {
	t.Helper()
	r, err := filters.ParseRecipe("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// bff_dedup through Recipe.Run gives the texts and counts of a direct
// sequential pass.
func TestBFFStep(t *testing.T) {
	texts := dupCorpus(t, 60)
	_, distinct := countShingles(texts)
	for _, set := range []string{"bloom", "exact"} {
		r := recipe(t, "name: t\nsteps:\n- use: bff_dedup\n  with: {set: "+set+", expected_ngrams: 200000}\n")
		var ref Membership = &SetMembership{Set: NewExact()}
		if set == "bloom" {
			plan, _ := PlanBloom(200000, 0.01)
			b, _ := NewBloom(plan)
			ref = b
		}
		want := decideAll(t, texts, ref, ModeOldBoth)
		removed := 0
		for i, s := range texts {
			d := &filters.Doc{ID: "d", Text: s}
			out := r.Run(d)
			wantText := want[i].Apply(s)
			if bytesTrimEmpty(wantText) {
				if out.Kept || out.Reason != ReasonBFF {
					t.Fatalf("%s doc %d: outcome %+v, want removed", set, i, out)
				}
				removed++
				continue
			}
			if !out.Kept || d.Text != wantText {
				t.Fatalf("%s doc %d: outcome %+v text %q, want %q", set, i, out, d.Text, wantText)
			}
			if v, _ := d.Signal(SignalContainedBefore); v != want[i].Contained {
				t.Fatalf("%s doc %d: %s = %v, want %d", set, i, SignalContainedBefore, v, want[i].Contained)
			}
		}
		if removed == 0 {
			t.Fatalf("%s: nothing removed of %d texts (%d distinct shingles)", set, len(texts), distinct)
		}
		t.Logf("%s: %d of %d documents removed", set, removed, len(texts))
	}
}

// The step is safe for concurrent use (run with -race): every output is the
// text less some of its windows, and each text is removed or changed once
// at most after its first copy.
func TestBFFConcurrent(t *testing.T) {
	texts := dupCorpus(t, 40)
	r := recipe(t, "name: t\nsteps:\n- use: bff_dedup\n  with: {expected_ngrams: 100000}\n")
	done := make(chan int)
	for w := range 4 {
		go func() {
			changed := 0
			for i := w; i < len(texts); i += 4 {
				d := &filters.Doc{Text: texts[i]}
				out := r.Run(d)
				if out.Kept && len(d.Text) > len(texts[i]) {
					t.Errorf("doc %d grew", i)
				}
				if !out.Kept || d.Text != texts[i] {
					changed++
				}
			}
			done <- changed
		}()
	}
	changed := 0
	for range 4 {
		changed += <-done
	}
	if changed == 0 {
		t.Fatal("no duplicate found by concurrent workers")
	}
}

func bytesTrimEmpty(s string) bool { return len(bytes.TrimSpace([]byte(s))) == 0 }

func TestBFFAnnotate(t *testing.T) {
	r := recipe(t, "name: t\nsteps:\n- use: bff_dedup\n  with: {ngram: 3, min_ngram: 3, annotate: true, set: exact}\n")
	for i, c := range []struct {
		text  string
		spans [][2]int
		n     int
		dup   bool
	}{
		{"a b c d\ne f g h", [][2]int{}, 0, false},
		{"x y z\na b c d", [][2]int{{5, 13}}, 2, false},
		{"a b c d\ne f g h", [][2]int{{0, 7}, {7, 15}}, 4, true},
	} {
		d := &filters.Doc{Text: c.text}
		if out := r.Run(d); !out.Kept || d.Text != c.text {
			t.Fatalf("case %d: annotate changed or removed the document: %+v %q", i, out, d.Text)
		}
		spans, _ := d.Signal(SignalSpans)
		n, _ := d.Signal(SignalContained)
		dup, _ := d.Signal(SignalDocDuplicate)
		if !reflect.DeepEqual(spans, c.spans) || n != c.n || dup != c.dup {
			t.Fatalf("case %d: spans %v count %v doc %v, want %v %d %v", i, spans, n, dup, c.spans, c.n, c.dup)
		}
	}
}

func TestBFFParams(t *testing.T) {
	for _, bad := range []string{"{mode: both}", "{ngram: 0}", "{min_ngram: 14}", "{threshold: 1.5}", "{set: hash}", "{fp_rate: 0}", "{expected_ngrams: 0}"} {
		if _, err := filters.ParseRecipe("t.yaml", []byte("name: t\nsteps:\n- use: bff_dedup\n  with: "+bad+"\n")); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestExactStep(t *testing.T) {
	docs := webDocs(t)
	for _, key := range []string{"text", "normalized_text", "url"} {
		r := recipe(t, "name: t\nsteps:\n- use: exact_dedup\n  with: {key: "+key+"}\n")
		seen := map[string]bool{}
		removed := 0
		for pass := range 2 {
			for i, d := range docs {
				text := d.Text
				if pass == 1 && key == "normalized_text" {
					text = "  " + upperASCII(text) + "\n" // same key after strip().lower()
				}
				url := d.URL
				if pass == 1 && key == "url" && url != "" {
					url = "https://www." + NormalizeURL(url) + "/?utm_source=x"
				}
				k := map[string]string{"text": text, "normalized_text": NormalizeText(text), "url": NormalizeURL(url)}[key]
				out := r.Run(&filters.Doc{Text: text, URL: url})
				if out.Kept == seen[k] {
					t.Fatalf("%s pass %d doc %d: kept %v, key seen before %v", key, pass, i, out.Kept, seen[k])
				}
				if !out.Kept {
					removed++
					if out.Reason != ReasonExact {
						t.Fatalf("reason %q", out.Reason)
					}
				}
				seen[k] = true
			}
		}
		if removed < len(docs)/2 {
			t.Fatalf("%s: only %d copies removed", key, removed)
		}
	}
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func TestNormalizeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.com/a/b/":            "example.com/a/b",
		"http://example.com":                      "example.com",
		"example.com/x?utm_source=feed&a=1":       "example.com/x",
		"https://ex.com/p?ref=home":               "ex.com/p",
		"https://ex.com/p?feed=rss//":             "ex.com/p",
		"https://ex.com/p?id=3":                   "ex.com/p?id=3",
		"https://ex.com/r?u=http://www.other.org": "ex.com/r?u=other.org",
		"ftp://www.ex.com///":                     "ftp://www.ex.com",
	} {
		if got := NormalizeURL(in); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBloomSnapshot(t *testing.T) {
	plan, _ := PlanBloom(5000, 0.01)
	b, _ := NewBloom(plan)
	for i := range uint64(5000) {
		b.Add(fmix64(i))
	}
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	c, err := ReadBloom(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if c.m != b.m || c.k != b.k || !reflect.DeepEqual(c.words, b.words) {
		t.Fatal("snapshot does not restore the filter")
	}
	for i := range uint64(5000) {
		if !c.Contains(fmix64(i)) {
			t.Fatal("restored filter lost a shingle")
		}
	}
	if fr := c.FillRatio(); fr < 0.4 || fr > 0.6 {
		t.Fatalf("fill ratio %.3f at capacity, want about 0.5", fr)
	}
	for _, cut := range []int{0, 10, 20, buf.Len() - 1} {
		if _, err := ReadBloom(bytes.NewReader(buf.Bytes()[:cut])); err == nil {
			t.Fatalf("snapshot cut at %d accepted", cut)
		}
	}
	bad := append([]byte("XBF1"), buf.Bytes()[4:]...)
	if _, err := ReadBloom(bytes.NewReader(bad)); err == nil {
		t.Fatal("bad magic accepted")
	}
}
