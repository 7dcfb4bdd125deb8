package eval

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestDomain(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Example.COM:8080/a?b": "example.com",
		"http://blog.example.com/":         "blog.example.com",
		"example.org/path":                 "example.org",
		"HTTP://WWW.EXAMPLE.NET./x":        "example.net",
		"https://wwwx.com/":                "wwwx.com",
		"http://[::1]:80/":                 "::1",
		"mailto:someone@example.com":       "",
		"":                                 "",
		"   ":                              "",
		"http://%zz/":                      "",
		"/relative/path":                   "",
		"//cdn.example.com/x.js":           "cdn.example.com",
		"example.com:8080/x":               "example.com",
		"javascript:void(0)":               "",
	} {
		if got := Domain(in); got != want {
			t.Errorf("Domain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDomainsSmall(t *testing.T) {
	st := Domains([]string{"http://a.com/1", "https://www.a.com/2", "http://b.org", "http://c.net", "", "http://b.org/x"})
	if st.Docs != 5 || st.NoHost != 1 || st.Count != 3 {
		t.Fatalf("%+v", st)
	}
	want := []DomainShare{{"a.com", 2, 0.4}, {"b.org", 2, 0.4}, {"c.net", 1, 0.2}}
	if !slices.Equal(st.Top, want) {
		t.Errorf("top %+v, want %+v", st.Top, want)
	}
	// H = -2*0.4*log2(0.4) - 0.2*log2(0.2)
	if h := -2*0.4*math.Log2(0.4) - 0.2*math.Log2(0.2); math.Abs(st.Entropy-h) > 1e-12 {
		t.Errorf("entropy %v, want %v", st.Entropy, h)
	}
	if st := Domains([]string{"http://x.com", "http://X.com/"}); st.Entropy != 0 || math.Signbit(st.Entropy) || st.Count != 1 {
		t.Errorf("one domain: %+v", st)
	}
	if st := Domains(nil); st.Docs != 0 || st.Count != 0 || st.Entropy != 0 || len(st.Top) != 0 {
		t.Errorf("no urls: %+v", st)
	}
	// Uniform over 8 domains: 3 bits.
	var us []string
	for _, d := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		us = append(us, "http://"+d+".com/", "http://"+d+".com/2")
	}
	if st := Domains(us); math.Abs(st.Entropy-3) > 1e-12 {
		t.Errorf("uniform over 8: %v bits", st.Entropy)
	}
}

// TestDomainsReal counts the 61 real URLs independently.
func TestDomainsReal(t *testing.T) {
	docs := readWebDocs(t)
	var urls []string
	counts := map[string]int{}
	for _, d := range docs {
		urls = append(urls, d.URL)
		u, err := url.Parse(d.URL)
		if err != nil {
			t.Fatal(err)
		}
		counts[strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")]++
	}
	// Some hosts repeat, so the test sees ties and shares above 1/61.
	urls = append(urls, docs[0].URL, docs[0].URL, "not a url at all")
	counts[Domain(docs[0].URL)] += 2
	st := Domains(urls)
	if st.Docs != 63 || st.NoHost != 1 || st.Count != len(counts) {
		t.Fatalf("docs %d no_host %d count %d, want 63, 1, %d", st.Docs, st.NoHost, st.Count, len(counts))
	}
	var want []DomainShare
	for d, n := range counts {
		want = append(want, DomainShare{d, n, float64(n) / 63})
	}
	slices.SortFunc(want, func(a, b DomainShare) int {
		if a.Docs != b.Docs {
			return b.Docs - a.Docs
		}
		return strings.Compare(a.Domain, b.Domain)
	})
	if !slices.Equal(st.Top, want[:TopDomains]) || want[0].Docs < 3 {
		t.Errorf("top %+v\nwant %+v", st.Top, want[:TopDomains])
	}
	var h float64
	for _, n := range counts {
		p := float64(n) / 63
		h -= p * math.Log2(p)
	}
	if math.Abs(h-st.Entropy) > 1e-9 || st.Entropy > math.Log2(float64(st.Count)) {
		t.Errorf("entropy %v, recomputed %v", st.Entropy, h)
	}
	for i := 1; i < len(st.Top); i++ {
		a, b := st.Top[i-1], st.Top[i]
		if a.Docs < b.Docs || a.Docs == b.Docs && a.Domain >= b.Domain {
			t.Errorf("top not sorted at %d: %+v %+v", i, a, b)
		}
	}
}

func TestLanguageMix(t *testing.T) {
	got := LanguageMix([]string{"en", "de", "", "en", "fr", "de", "en"})
	want := []LangShare{{"en", 3, 3.0 / 7}, {"de", 2, 2.0 / 7}, {"fr", 1, 1.0 / 7}, {"und", 1, 1.0 / 7}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := LanguageMix(nil); len(got) != 0 {
		t.Errorf("empty: %+v", got)
	}
	// Real: the language metadata of the 61 web documents.
	var langs []string
	n := map[string]int{}
	for _, d := range readWebDocs(t) {
		l := ""
		if d.Language != nil {
			l = *d.Language
		}
		langs = append(langs, l)
		if l == "" {
			l = "und"
		}
		n[l]++
	}
	mix := LanguageMix(langs)
	total := 0.0
	for _, s := range mix {
		if s.Docs != n[s.Lang] || math.Abs(s.Share-float64(n[s.Lang])/61) > 1e-12 {
			t.Errorf("%+v, counted %d", s, n[s.Lang])
		}
		total += s.Share
	}
	if len(mix) != len(n) || math.Abs(total-1) > 1e-12 || len(mix) < 2 {
		t.Errorf("mix %+v", mix)
	}
}

func TestDistinctNgramRatioSmall(t *testing.T) {
	cases := []struct {
		seqs [][]uint32
		n    int
		want float64
	}{
		{[][]uint32{{1, 2, 1, 2}}, 2, 2.0 / 3},
		{[][]uint32{{1, 2}, {1, 2}}, 2, 1.0 / 2},
		{[][]uint32{{1, 2}, {3}}, 2, 1},        // {3} has no bigram; (2,3) does not exist across documents
		{[][]uint32{{1}, {2}}, 2, 0},           // no n-grams at all
		{[][]uint32{{7, 7, 7, 7}}, 1, 1.0 / 4}, // unigrams
		{[][]uint32{{1, 2, 3}}, 0, 0},
		{nil, 4, 0},
		{[][]uint32{{0, 0, 0, 0, 0}, {0, 0, 0, 0, 1}}, 4, 2.0 / 4}, // zero ids are ids
		{[][]uint32{{1, 2, 3, 4, 5, 1, 2, 3, 4, 5}}, 5, 5.0 / 6},   // hashed path
		{[][]uint32{{1<<32 - 1, 2, 3, 4}, {1<<32 - 1, 2, 3, 5}}, 4, 1},
	}
	for _, c := range cases {
		if got := DistinctNgramRatio(c.seqs, c.n); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("DistinctNgramRatio(%v, %d) = %v, want %v", c.seqs, c.n, got, c.want)
		}
	}
}

// wordIDs maps the words of texts to ids in order of first appearance.
func wordIDs(texts []string) [][]uint32 {
	vocab := map[string]uint32{}
	var out [][]uint32
	for _, t := range texts {
		var s []uint32
		for _, w := range strings.Fields(t) {
			id, ok := vocab[w]
			if !ok {
				id = uint32(len(vocab))
				vocab[w] = id
			}
			s = append(s, id)
		}
		out = append(out, s)
	}
	return out
}

// TestDistinctNgramRatioReal checks n = 1, 4 (exact keys) and 7 (hashed) on the
// words of real pages against a map of the joined words.
func TestDistinctNgramRatioReal(t *testing.T) {
	var texts []string
	for _, d := range readWebDocs(t)[:30] {
		texts = append(texts, d.Text)
	}
	for _, p := range humanPages(t)[:40] {
		texts = append(texts, p.Text, p.Text) // every page twice: many repeats
	}
	seqs := wordIDs(texts)
	for _, n := range []int{1, 4, 7} {
		set := map[string]bool{}
		total := 0
		for _, t := range texts {
			w := strings.Fields(t)
			for i := 0; i+n <= len(w); i++ {
				set[strings.Join(w[i:i+n], "\x00")] = true
				total++
			}
		}
		d, tot := NgramCounts(seqs, n)
		if d != len(set) || tot != total {
			t.Errorf("n=%d: %d distinct of %d, map says %d of %d", n, d, tot, len(set), total)
		}
		if r := DistinctNgramRatio(seqs, n); math.Abs(r-float64(len(set))/float64(total)) > 1e-12 || r >= 1 {
			t.Errorf("n=%d: ratio %v", n, r)
		}
	}
}
