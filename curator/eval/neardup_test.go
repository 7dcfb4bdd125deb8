package eval

import (
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestNearDupSmall(t *testing.T) {
	p := DefaultNearDupParams()
	long := "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat by the door"
	other := "completely different words appear in this sentence so that no five word shingle is shared here"
	texts := []string{
		long,
		strings.ToUpper(long), // same words after lower-casing
		"  " + strings.ReplaceAll(long, " ", "\n\t"), // same words after white-space splitting
		other,
		"",
		"   \n",
		"tiny doc", // fewer words than a shingle
		"Tiny  doc",
		"tiny doc too",
	}
	got := NearDupFlags(texts, p)
	want := []bool{false, true, true, false, false, false, false, true, false}
	if !slices.Equal(got, want) {
		t.Fatalf("flags %v, want %v", got, want)
	}
	r := NearDupRate(texts, p)
	if r.Docs != 9 || r.NearDups != 3 || r.Empty != 2 || math.Abs(r.Rate-3.0/9) > 1e-12 || r.Params != p {
		t.Errorf("%+v", r)
	}
	if r := NearDupRate(nil, p); r.Docs != 0 || r.Rate != 0 {
		t.Errorf("no docs: %+v", r)
	}
	// One changed word in 19 changes 5 of 15 shingles: J = 10/20 = 0.5.
	changed := strings.Replace(long, "lazy", "sleepy", 1)
	if f := NearDupFlags([]string{long, changed}, p); f[1] {
		t.Errorf("J=0.5 pair flagged")
	}
	// Threshold 0 with 20 bands of one row: the pair shares some minimum
	// (probability 1 - 0.5^20) and is then flagged.
	if f := NearDupFlags([]string{long, changed}, NearDupParams{Shingle: 5, Bands: 20, Rows: 1, Threshold: 0, Seed: 3}); !f[1] {
		t.Errorf("threshold 0: pair not flagged")
	}
	// Shingles of one word: J = 15/17 = 0.88 (sd of the estimate 0.03).
	if f := NearDupFlags([]string{long, changed}, NearDupParams{Shingle: 1, Bands: 20, Rows: 5, Threshold: 0.8, Seed: 3}); !f[1] {
		t.Errorf("unigram shingles: pair not flagged")
	}
}

// shingleSet returns the sorted distinct hashes (hash/fnv over the joined
// words, independent of the code under test) of a text's 5-word shingles.
func shingleSet(text string, n int) []uint64 {
	w := strings.Fields(strings.ToLower(text))
	if len(w) == 0 {
		return nil
	}
	n = min(n, len(w))
	var out []uint64
	for i := 0; i+n <= len(w); i++ {
		h := fnv.New64()
		h.Write([]byte(strings.Join(w[i:i+n], " ")))
		out = append(out, h.Sum64())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func exactJaccard(a, b []uint64) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	if u := len(a) + len(b) - inter; u > 0 {
		return float64(inter) / float64(u)
	}
	return 1
}

// nearDupCorpus returns real pages (of at most 1,500 words) followed by edited copies of some of them:
// for each of the first 40 pages with at least 8 paragraphs, a copy with k of
// its paragraphs replaced by paragraphs of another page, k = 0..7 cycling, and
// a navigation line on top (as make_pool.py makes near duplicates).
func nearDupCorpus(t testing.TB) []string {
	var texts []string
	for _, d := range readWebDocs(t) {
		texts = append(texts, d.Text)
	}
	for _, p := range humanPages(t)[:100] {
		texts = append(texts, p.Text)
	}
	// Pages of up to 1,500 words keep the exact pairwise check quick.
	texts = slices.DeleteFunc(texts, func(s string) bool { return len(strings.Fields(s)) > 1500 })
	base := len(texts)
	made := 0
	for i := 0; i < base && made < 40; i++ {
		paras := strings.Split(texts[i], "\n")
		if len(paras) < 8 {
			continue
		}
		donor := strings.Split(texts[(i+37)%base], "\n")
		k := made % 8
		for j := 0; j < k; j++ {
			paras[(j*len(paras))/k] = donor[j%len(donor)]
		}
		texts = append(texts, "Home | About us\n"+strings.Join(paras, "\n"))
		made++
	}
	return texts
}

// TestNearDupReal checks the flags against exact shingle Jaccard similarity
// on real pages and edited copies: a flagged document has an earlier one with
// J >= 0.6, and one with an earlier document of J >= 0.95 is flagged. The
// MinHash estimates are within 0.2 of J for every pair and within 0.05 on
// average over the pairs with 0.1 < J < 0.95.
func TestNearDupReal(t *testing.T) {
	p := DefaultNearDupParams()
	texts := nearDupCorpus(t)
	flags := NearDupFlags(texts, p)
	sets := make([][]uint64, len(texts))
	for i, s := range texts {
		sets[i] = shingleSet(s, p.Shingle)
	}
	mh := newMinHasher(p)
	k := p.Bands * p.Rows
	sigs := make([][]uint64, len(texts))
	for i, s := range texts {
		sigs[i] = make([]uint64, k)
		mh.signature(mh.words(s, nil), sigs[i])
	}
	flagged, should := 0, 0
	var errSum float64
	var errN int
	for j := range texts {
		best := 0.0
		for i := 0; i < j; i++ {
			if len(sets[i]) == 0 || len(sets[j]) == 0 {
				continue
			}
			jac := exactJaccard(sets[i], sets[j])
			best = math.Max(best, jac)
			if jac < 0.05 {
				continue
			}
			same := 0
			for x := range sigs[i] {
				if sigs[i][x] == sigs[j][x] {
					same++
				}
			}
			est := float64(same) / float64(k)
			if math.Abs(est-jac) > 0.2 {
				t.Errorf("docs %d, %d: estimate %.2f, exact %.2f", i, j, est, jac)
			}
			if jac > 0.1 && jac < 0.95 {
				errSum += math.Abs(est - jac)
				errN++
			}
		}
		if flags[j] {
			flagged++
			if best < 0.6 {
				t.Errorf("doc %d flagged, best earlier Jaccard %.2f", j, best)
			}
		}
		if best >= 0.95 {
			should++
			if !flags[j] {
				t.Errorf("doc %d not flagged, earlier Jaccard %.2f", j, best)
			}
		}
	}
	if errN < 20 || errSum/float64(errN) > 0.05 {
		t.Errorf("mean |estimate-exact| %.3f over %d pairs", errSum/float64(errN), errN)
	}
	// The corpus has both clear and borderline copies.
	if should < 5 || flagged < should || flagged > 40+should {
		t.Errorf("%d flagged, %d with J >= 0.95", flagged, should)
	}
	t.Logf("%d docs, %d flagged, %d with an earlier J >= 0.95, mean estimate error %.3f over %d pairs",
		len(texts), flagged, should, errSum/float64(errN), errN)
}

// TestWordsReal: the word hashing equals strings.Fields(strings.ToLower())
// on real multilingual pages.
func TestWordsReal(t *testing.T) {
	mh := newMinHasher(DefaultNearDupParams())
	for _, d := range readWebDocs(t) {
		if got, want := mh.words(d.Text, nil), wordsRef(d.Text); !slices.Equal(got, want) {
			t.Fatalf("%s: %d words, reference %d", d.ID, len(got), len(want))
		}
	}
}
