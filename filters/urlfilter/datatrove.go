package urlfilter

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/curator-dev/curator/filters"
)

// The reasons url_filter gives, datatrove's URLFilter's, in the order its
// rules are tried.
const (
	// ReasonDTDomain: the URL's registered domain is on the domain list.
	ReasonDTDomain = "domain"
	// ReasonDTSubdomain: the URL's full host name is on the domain list.
	ReasonDTSubdomain = "subdomain"
	// ReasonDTURL: the URL is on the URL list.
	ReasonDTURL = "url"
	// ReasonDTHard: a word of the URL is a banned word.
	ReasonDTHard = "hard_blacklisted"
	// ReasonDTSoft: the URL holds soft_word_threshold soft banned words.
	ReasonDTSoft = "soft_blacklisted"
	// ReasonDTSubword: a banned subword is in the normalized URL.
	ReasonDTSubword = "blacklisted_subword"
)

// The word lists datatrove ships in src/datatrove/assets (Apache-2.0),
// embedded under data/ (see testdata/urlfilter/SOURCES.md).
const (
	dtBannedWords     = "datatrove_banned_words.txt"
	dtBannedSubwords  = "datatrove_banned_subwords.txt"
	dtSoftBannedWords = "datatrove_soft_banned_words.txt"
)

// DatatroveParams are the parameters of url_filter: datatrove's URLFilter's
// names and defaults, and two files standing in for the UT1 lists datatrove
// bundles.
type DatatroveParams struct {
	SoftWordThreshold  int     `yaml:"soft_word_threshold" decide:"true" doc:"remove URLs holding at least this many distinct soft banned words (soft_blacklisted)"`
	ExtraDomains       Strings `yaml:"extra_domains" doc:"domains added to the domain list: a URL is removed when its registered domain (domain) or its full host name (subdomain) is on it, compared as written (no lower-casing)"`
	ExtraURLs          Strings `yaml:"extra_urls" doc:"URLs added to the URL list: a document whose URL is exactly one of them is removed (url)"`
	BannedWords        Strings `yaml:"banned_words" doc:"words added to the banned words: a URL with one of them between non-alphanumeric characters is removed (hard_blacklisted); entries are normalized (ASCII letters and digits kept, lower-cased)"`
	BannedSubwords     Strings `yaml:"banned_subwords" doc:"strings added to the banned subwords: a URL whose normalized form (ASCII letters and digits, lower-cased) contains one is removed (blacklisted_subword); entries are normalized the same way"`
	SoftBannedWords    Strings `yaml:"soft_banned_words" doc:"words added to the soft banned words (see soft_word_threshold); normalized like banned_words"`
	UseIntegratedLists bool    `yaml:"use_integrated_lists" doc:"add datatrove's own banned words, subwords and soft banned words (embedded); datatrove's UT1 adult domain and URL lists are not shipped: give them with domains_from_fname and urls_from_fname"`
	DomainsFromFname   string  `yaml:"domains_from_fname" file:"true" doc:"a file of domains, one a line, added to the domain list, read as datatrove reads UT1's adult/domains (lines stripped, lines starting with # skipped); relative to the recipe"`
	URLsFromFname      string  `yaml:"urls_from_fname" file:"true" doc:"a file of URLs, one a line, added to the URL list, read as datatrove reads UT1's adult/urls; relative to the recipe"`
}

// DefaultDatatroveParams returns datatrove's defaults.
func DefaultDatatroveParams() DatatroveParams {
	return DatatroveParams{SoftWordThreshold: 2, UseIntegratedLists: true}
}

// Validate checks the parameters. datatrove fails on an empty entry of an
// inline list (it reads its first character); so does curator, clearly.
func (p DatatroveParams) Validate() error {
	for _, l := range []struct {
		name string
		list Strings
	}{{"extra_domains", p.ExtraDomains}, {"extra_urls", p.ExtraURLs}, {"banned_words", p.BannedWords},
		{"banned_subwords", p.BannedSubwords}, {"soft_banned_words", p.SoftBannedWords}} {
		for i, s := range l.list {
			if s == "" {
				return fmt.Errorf("%s: entry %d is empty", l.name, i)
			}
		}
	}
	return nil
}

func init() {
	filters.Register(filters.Spec{Name: "url_filter", Kind: filters.KindFilter,
		Doc: "Removes documents by URL as datatrove's URLFilter does (url_filter.py at datatrove commit e9824719; " +
			"FineWeb's first step): the registered domain (domain) or full host name (subdomain, both by tldextract's " +
			"5.x rules over the ICANN suffixes of a 2023-02-09 public suffix list snapshot) on a domain list, the URL on a URL list (url), a banned word among " +
			"the URL's alphanumeric runs (hard_blacklisted), soft_word_threshold soft banned words among them " +
			"(soft_blacklisted), a banned subword in the URL with everything but ASCII letters and digits deleted " +
			"(blacklisted_subword). A document without a URL passes (datatrove asserts one; the first is logged)."},
		DefaultDatatroveParams(),
		func(p DatatroveParams, env filters.Env) (any, error) { return newDatatroveFilter(p, env) })
}

// datatroveFilter is the built url_filter step.
type datatroveFilter struct {
	p             DatatroveParams
	domains, urls map[string]struct{}
	banned, soft  map[string]struct{}
	subwords      *matcher  // nil: no subword
	noURL         sync.Once // warns of the first document without a URL
}

func newDatatroveFilter(p DatatroveParams, env filters.Env) (*datatroveFilter, error) {
	f := &datatroveFilter{p: p,
		domains: parseList(p.ExtraDomains, false), urls: parseList(p.ExtraURLs, false),
		banned: parseList(p.BannedWords, true), soft: parseList(p.SoftBannedWords, true)}
	subwords := parseList(p.BannedSubwords, true)
	add := func(set map[string]struct{}, text string, normalized bool) {
		for k := range parseList(pythonLines(text), normalized) {
			set[k] = struct{}{}
		}
	}
	for _, l := range []struct {
		name string
		set  map[string]struct{}
	}{{p.DomainsFromFname, f.domains}, {p.URLsFromFname, f.urls}} {
		if l.name == "" {
			continue
		}
		text, err := readListFile(l.name, env, false) // domain and URL lists: nothing built in
		if err != nil {
			return nil, err
		}
		add(l.set, text, false)
	}
	if p.UseIntegratedLists {
		for _, l := range []struct {
			name string
			set  map[string]struct{}
		}{{dtBannedWords, f.banned}, {dtBannedSubwords, subwords}, {dtSoftBannedWords, f.soft}} {
			b, err := embedded.ReadFile("data/" + l.name)
			if err != nil {
				return nil, fmt.Errorf("url_filter: %w", err) // cannot happen: embedded
			}
			add(l.set, string(b), true)
		}
	}
	_, emptyWord := f.banned[""]
	_, emptySub := subwords[""]
	if emptyWord || emptySub {
		slog.Warn("url_filter: a banned word or subword list has a blank line; as in datatrove it normalizes to the empty string, "+
			"which every URL that begins or ends with a non-alphanumeric character (words) or every URL (subwords) holds",
			"step", "url_filter")
	}
	if len(subwords) > 0 {
		keys := make([]string, 0, len(subwords))
		for k := range subwords {
			keys = append(keys, k)
		}
		f.subwords = newMatcher(keys, false, false)
	}
	return f, nil
}

// pythonLines returns the lines of text as Python iterates over a file
// opened in text mode: universal newlines (\n, \r\n, \r), line ends
// dropped (datatrove strips or normalizes them away), no line after a final
// newline.
func pythonLines(text string) []string {
	var lines []string
	for text != "" {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i])
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
	return lines
}

// parseList is datatrove's parse_list: entries whose first character is
// "#" skipped, the rest normalized (words) or stripped (domains, URLs).
func parseList(entries []string, normalized bool) map[string]struct{} {
	set := make(map[string]struct{}, len(entries))
	for _, e := range entries {
		if strings.HasPrefix(e, "#") {
			continue
		}
		if normalized {
			e = normalize(e)
		} else {
			e = strings.TrimFunc(e, isPySpace)
		}
		set[e] = struct{}{}
	}
	return set
}

// normalize is datatrove's normalize: everything but ASCII letters and
// digits deleted, then lower-cased.
func normalize(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	return string(b)
}

// urlWords is datatrove's set(normalizer.split(url)): the runs of ASCII
// letters and digits, case kept, and "" when the URL begins or ends with
// another character or is empty, as re.split gives.
func urlWords(url string) map[string]struct{} {
	words := make(map[string]struct{}, 16)
	start := 0
	for i := 0; i < len(url); {
		if isAlnum(url[i]) {
			i++
			continue
		}
		words[url[start:i]] = struct{}{}
		for i < len(url) && !isAlnum(url[i]) {
			i++
		}
		start = i
	}
	words[url[start:]] = struct{}{}
	return words
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
