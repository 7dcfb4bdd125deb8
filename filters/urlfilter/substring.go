package urlfilter

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/curator-dev/curator/filters"

	"github.com/curator-dev/curator/filters/text"
)

// The reasons url_substring_filter gives for a removed document.
const (
	// ReasonDomain: the URL's network location is on the domain banlist.
	ReasonDomain = "url_domain"
	// ReasonWords: the URL holds at least num_banned_substrs banned strings.
	ReasonWords = "url_words"
)

// SubstringParams are the parameters of url_substring_filter; names and
// defaults are DCLM's (baselines/mappers/filters/metadata_filters.py).
type SubstringParams struct {
	Banlist          Strings `yaml:"banlist" doc:"banned strings given inline (a list or one string); banlist_from_fname takes precedence"`
	BanlistFromFname string  `yaml:"banlist_from_fname" file:"true" doc:"file with one banned string per line, relative to the recipe; DCLM's refinedweb_banned_words_{strict,hard,soft}_reverse_engineered.txt and ldnoobw.txt are built in and used when the file is not found"`
	IgnoreChars      Strings `yaml:"ignore_chars" doc:"substrings deleted from the (lower-cased) URL or network location before matching, in order; DCLM's domain step gives ['www'], which deletes every \"www\", not a leading \"www.\" (see fix_www_quirk)"`
	NumBannedSubstrs int     `yaml:"num_banned_substrs" decide:"true" doc:"remove the document when at least this many distinct banned strings are found"`
	ExactDomainMatch bool    `yaml:"exact_domain_match" doc:"match the URL's network location (urlparse(url).netloc, lower-cased, ignore_chars deleted) exactly against the banlist instead of searching the whole URL"`
	MatchSubstrings  bool    `yaml:"match_substrings" doc:"banned strings match anywhere; false: only between word boundaries (Python's Unicode \\b)"`
	CaseSensitive    bool    `yaml:"case_sensitive" doc:"match case-sensitively; by default the URL and the banlist are lower-cased and matched with Python's re.IGNORECASE"`
	FixWWWQuirk      bool    `yaml:"fix_www_quirk" doc:"fix (exact_domain_match only): an ignore_chars entry \"www\" or \"www.\" strips a leading \"www.\" from the domain instead of deleting every occurrence"`
	UseHostname      bool    `yaml:"use_hostname" doc:"fix (exact_domain_match only): compare the host name without user information, port and trailing dot, instead of the whole network location"`
	MatchSubdomains  bool    `yaml:"match_subdomains" doc:"extension (exact_domain_match only): a listed domain also bans its subdomains, as UT1 blacklists intend"`
}

// Validate checks the parameters.
func (p SubstringParams) Validate() error {
	if p.BanlistFromFname == "" && p.Banlist == nil {
		return errors.New("give banlist or banlist_from_fname")
	}
	if p.NumBannedSubstrs < 1 {
		return fmt.Errorf("num_banned_substrs %d: must be at least 1", p.NumBannedSubstrs)
	}
	if !p.ExactDomainMatch && (p.FixWWWQuirk || p.UseHostname || p.MatchSubdomains) {
		return errors.New("fix_www_quirk, use_hostname and match_subdomains need exact_domain_match")
	}
	return nil
}

func init() {
	filters.Register(filters.Spec{
		Name: "url_substring_filter",
		Kind: filters.KindFilter,
		Doc: "Removes documents by URL, as DCLM's url_substring_filter: either the URL's network location " +
			"is on a domain list (exact_domain_match), or the URL contains banned strings (RefinedWeb's " +
			"reverse-engineered word lists), counted as distinct, leftmost-longest, non-overlapping matches " +
			"of a retrie trie regex, optionally between word boundaries. DCLM's quirks are kept by default.",
	}, SubstringParams{NumBannedSubstrs: 1, MatchSubstrings: true},
		func(p SubstringParams, env filters.Env) (any, error) { return newSubstringFilter(p, env) })
}

// substringFilter is the built url_substring_filter step.
type substringFilter struct {
	p       SubstringParams
	domains map[string]struct{} // exact_domain_match
	m       *matcher            // otherwise
	ignore  []string            // ignore_chars, less "www" entries under fix_www_quirk
	stripWW bool                // fix_www_quirk applies
}

func newSubstringFilter(p SubstringParams, env filters.Env) (*substringFilter, error) {
	keys := []string(p.Banlist)
	if p.BanlistFromFname != "" {
		var err error
		if keys, err = loadBanlist(p.BanlistFromFname, env); err != nil {
			return nil, err
		}
	}
	f := &substringFilter{p: p}
	for _, c := range p.IgnoreChars {
		if p.FixWWWQuirk && (c == "www" || c == "www.") {
			f.stripWW = true
			continue
		}
		f.ignore = append(f.ignore, c)
	}
	if p.ExactDomainMatch {
		f.domains = make(map[string]struct{}, len(keys))
		for _, k := range keys {
			if !p.CaseSensitive {
				k = text.Lower(k)
			}
			f.domains[k] = struct{}{}
		}
		return f, nil
	}
	lowered := make([]string, len(keys))
	for i, k := range keys {
		if !p.CaseSensitive {
			k = text.Lower(k)
		}
		lowered[i] = k
	}
	if len(keys) == 0 || containsEmpty(keys) {
		// DCLM's retrie pattern is then "", which matches everywhere.
		slog.Warn("url_substring_filter: the banlist is empty or has an empty line; like DCLM, every URL then matches the empty string",
			"banlist_from_fname", p.BanlistFromFname)
	}
	f.m = newMatcher(lowered, !p.CaseSensitive, !p.MatchSubstrings)
	return f, nil
}

func containsEmpty(keys []string) bool {
	for _, k := range keys {
		if k == "" {
			return true
		}
	}
	return false
}

// Filter implements filters.Filter.
func (f *substringFilter) Filter(d *filters.Doc) (string, error) {
	if f.domains != nil {
		banned, err := f.domainBanned(d.URL)
		if err != nil {
			return "", fmt.Errorf("url_substring_filter: url %q: %w", d.URL, err)
		}
		if banned {
			return ReasonDomain, nil
		}
		return "", nil
	}
	return f.decideCount(f.Count(d.URL)), nil
}

// decideCount is the decision on a URL with n distinct banned strings.
func (f *substringFilter) decideCount(n int) string {
	if n >= f.p.NumBannedSubstrs {
		return ReasonWords
	}
	return ""
}

// Measure implements filters.Decider: whether the domain is banned
// (exact_domain_match), else every distinct banned string of the URL.
func (f *substringFilter) Measure(d *filters.Doc) (filters.Measurements, error) {
	if f.domains != nil {
		banned, err := f.domainBanned(d.URL)
		if err != nil {
			return nil, fmt.Errorf("url_substring_filter: url %q: %w", d.URL, err)
		}
		return filters.Measurements{"domain_banned": banned}, nil
	}
	return filters.Measurements{"banned": f.m.count(f.prepare(d.URL), 0)}, nil
}

// Decide implements filters.Decider.
func (f *substringFilter) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	if f.domains != nil {
		banned, err := m.Bool("domain_banned")
		if err != nil || !banned {
			return "", err
		}
		return ReasonDomain, nil
	}
	n, err := m.Int("banned")
	if err != nil {
		return "", err
	}
	return f.decideCount(n), nil
}

// prepare lower-cases s unless case-sensitive and deletes ignore_chars.
func (f *substringFilter) prepare(s string) string {
	if !f.p.CaseSensitive {
		s = text.Lower(s)
	}
	for _, c := range f.ignore {
		s = strings.ReplaceAll(s, c, "")
	}
	return s
}

// Count returns the number of distinct banned strings found in url, as
// DCLM's len(set(pattern.findall(url))), counting no further than
// num_banned_substrs. It is 0 in exact_domain_match mode.
func (f *substringFilter) Count(url string) int {
	if f.m == nil {
		return 0
	}
	return f.m.count(f.prepare(url), f.p.NumBannedSubstrs)
}

// Matches returns every distinct banned string found in url (for tests and
// reports).
func (f *substringFilter) Matches(url string) []string {
	if f.m == nil {
		return nil
	}
	return f.m.findAll(f.prepare(url), 0)
}

func (f *substringFilter) domainBanned(url string) (bool, error) {
	n, err := netloc(url)
	if err != nil {
		return false, err
	}
	if f.p.UseHostname {
		n = hostname(n)
	}
	n = f.prepare(n)
	if f.stripWW {
		n = strings.TrimPrefix(n, "www.")
	}
	if _, ok := f.domains[n]; ok {
		return true, nil
	}
	if f.p.MatchSubdomains {
		for i := strings.IndexByte(n, '.'); i >= 0; i = strings.IndexByte(n, '.') {
			n = n[i+1:]
			if _, ok := f.domains[n]; ok {
				return true, nil
			}
		}
	}
	return false, nil
}
