package eval

import (
	"encoding/binary"
	"math"
	"math/bits"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// scheme matches a URL scheme without dots (so "example.com:8080" is a
// host and port, not a scheme).
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+-]*$`)

// TopDomains is how many domains DomainStats.Top lists.
const TopDomains = 20

// DomainStats describes how documents spread over web domains.
type DomainStats struct {
	// Docs is the number of URLs with a host; NoHost the number without one
	// (empty or unparsable), which count nowhere else.
	Docs   int `json:"docs"`
	NoHost int `json:"no_host"`
	// Count is the number of distinct domains.
	Count int `json:"count"`
	// Entropy is the Shannon entropy, in bits, of the distribution of
	// documents over domains.
	Entropy float64 `json:"entropy_bits"`
	// Top lists the TopDomains largest domains, by documents descending
	// then domain ascending.
	Top []DomainShare `json:"top"`
}

// DomainShare is one domain's part of the documents.
type DomainShare struct {
	// Domain is the domain (see Domain).
	Domain string `json:"domain"`
	// Docs is its number of documents; Share is Docs over DomainStats.Docs.
	Docs  int     `json:"docs"`
	Share float64 `json:"share"`
}

// Domain returns the domain a URL counts under: its host, lower-cased,
// without a port, a trailing dot or a leading "www.". It is not the
// registrable domain of the public suffix list: "a.example.com" and
// "b.example.com" are two domains. A URL without a scheme
// ("example.com/x", "//example.com/x") is read as an http URL; one with a
// scheme but no "//" authority ("mailto:a@b.c") has no host. It returns ""
// when the URL has no host.
func Domain(rawURL string) string {
	s := strings.TrimSpace(rawURL)
	if s == "" {
		return ""
	}
	switch {
	case strings.HasPrefix(s, "//"):
		s = "http:" + s
	case !strings.Contains(s, "://"):
		if i := strings.IndexByte(s, ':'); i > 0 && scheme.MatchString(s[:i]) {
			return "" // mailto:, urn:, javascript:, ...: no host
		}
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	h = strings.TrimSuffix(h, ".")
	h = strings.TrimPrefix(h, "www.")
	return h
}

// Domains counts documents per domain (see Domain) over urls, one URL per
// document.
func Domains(urls []string) DomainStats {
	counts := map[string]int{}
	var st DomainStats
	for _, u := range urls {
		d := Domain(u)
		if d == "" {
			st.NoHost++
			continue
		}
		counts[d]++
		st.Docs++
	}
	shares := make([]DomainShare, 0, len(counts))
	for d, n := range counts {
		shares = append(shares, DomainShare{Domain: d, Docs: n, Share: float64(n) / float64(st.Docs)})
	}
	sort.Slice(shares, func(i, j int) bool {
		if shares[i].Docs != shares[j].Docs {
			return shares[i].Docs > shares[j].Docs
		}
		return shares[i].Domain < shares[j].Domain
	})
	st.Count = len(shares)
	for _, s := range shares { // fixed order: the sum is reproducible
		st.Entropy -= s.Share * math.Log2(s.Share)
	}
	if st.Entropy == 0 {
		st.Entropy = 0 // no -0 in JSON
	}
	st.Top = shares[:min(len(shares), TopDomains)]
	return st
}

// LangShare is one language's part of the documents.
type LangShare struct {
	// Lang is the language code as given, "und" for an empty one.
	Lang string `json:"lang"`
	// Docs is its number of documents; Share is Docs over all documents.
	Docs  int     `json:"docs"`
	Share float64 `json:"share"`
}

// LanguageMix counts documents per language code, one code per document,
// sorted by share descending then code ascending.
func LanguageMix(langs []string) []LangShare {
	counts := map[string]int{}
	for _, l := range langs {
		if l == "" {
			l = "und"
		}
		counts[l]++
	}
	out := make([]LangShare, 0, len(counts))
	for l, n := range counts {
		out = append(out, LangShare{Lang: l, Docs: n, Share: float64(n) / float64(len(langs))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Docs != out[j].Docs {
			return out[i].Docs > out[j].Docs
		}
		return out[i].Lang < out[j].Lang
	})
	return out
}

// DistinctNgramRatio returns the number of distinct n-grams of token ids
// over the number of n-grams in seqs, each sequence a document (n-grams do
// not cross documents; a sequence shorter than n has none). It is 0 when
// there are no n-grams or n < 1.
func DistinctNgramRatio(seqs [][]uint32, n int) float64 {
	distinct, total := NgramCounts(seqs, n)
	if total == 0 {
		return 0
	}
	return float64(distinct) / float64(total)
}

// NgramCounts returns the number of distinct n-grams and of all n-grams in
// seqs (see DistinctNgramRatio). N-grams are compared exactly when they
// pack into 64 bits (n times the bit length of the largest id at most 64)
// or n <= 4 (packed into 128 bits); for larger n by a 128-bit hash, where a
// collision among k n-grams has probability below k²/2^129.
func NgramCounts(seqs [][]uint32, n int) (distinct, total int) {
	if n < 1 {
		return 0, 0
	}
	for _, s := range seqs {
		if len(s) >= n {
			total += len(s) - n + 1
		}
	}
	if total == 0 {
		return 0, 0
	}
	maxID := uint32(0)
	for _, s := range seqs {
		for _, t := range s {
			maxID = max(maxID, t)
		}
	}
	if n*bits.Len32(maxID) <= 64 {
		// Every n-gram packs exactly into one uint64 (n=4 with ids below
		// 2^16, GPT-2's vocabulary).
		width := uint(64 / n)
		keys := make([]uint64, 0, total)
		for _, s := range seqs {
			for i := 0; i+n <= len(s); i++ {
				var k uint64
				for _, t := range s[i : i+n] {
					k = k<<width | uint64(t)
				}
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		return len(slices.Compact(keys)), total
	}
	keys := make([][2]uint64, 0, total)
	for _, s := range seqs {
		for i := 0; i+n <= len(s); i++ {
			keys = append(keys, ngramKey(s[i:i+n]))
		}
	}
	slices.SortFunc(keys, func(a, b [2]uint64) int {
		if a[0] != b[0] {
			return cmpU64(a[0], b[0])
		}
		return cmpU64(a[1], b[1])
	})
	return len(slices.Compact(keys)), total
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ngramKey packs up to 4 ids exactly; longer n-grams are hashed.
func ngramKey(g []uint32) [2]uint64 {
	var b [16]byte
	if len(g) <= 4 {
		for i, t := range g {
			binary.LittleEndian.PutUint32(b[4*i:], t)
		}
		return [2]uint64{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
	}
	h0, h1 := uint64(0x243f6a8885a308d3), uint64(0x13198a2e03707344)
	for _, t := range g {
		h0 = mix64(h0 ^ uint64(t))
		h1 = mix64(h1 + uint64(t)*0x9e3779b97f4a7c15)
	}
	return [2]uint64{h0, h1}
}
