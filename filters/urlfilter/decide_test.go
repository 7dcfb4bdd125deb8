package urlfilter

import (
	"testing"

	"github.com/curator-dev/curator/filters"
)

// TestDeciderMatchesFilter checks url_substring_filter's Decider on the
// golden URLs (real and random) in every configuration of the golden test
// and on a domain list: Filter is Decide(Measure), and Decide with another
// num_banned_substrs is the Filter of a step built with it.
func TestDeciderMatchesFilter(t *testing.T) {
	rows := readGolden(t)
	e, _ := filters.Lookup("url_substring_filter")
	env := filters.Env{Dir: "../../testdata/urlfilter"}
	configs := goldenConfigs()
	for name, p := range map[string]SubstringParams{
		"domains":      {BanlistFromFname: "domains_test.txt", NumBannedSubstrs: 1, ExactDomainMatch: true, IgnoreChars: Strings{"www"}},
		"domains_fix":  {BanlistFromFname: "domains_test.txt", NumBannedSubstrs: 1, ExactDomainMatch: true, IgnoreChars: Strings{"www"}, FixWWWQuirk: true, UseHostname: true, MatchSubdomains: true},
		"domains_case": {Banlist: Strings{"Example.ORG", "xxx.com"}, NumBannedSubstrs: 1, ExactDomainMatch: true, CaseSensitive: true},
	} {
		configs[name] = p
	}
	removed, changed := 0, 0
	for name, p := range configs {
		base, err := e.Build(p, env)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var variants []any
		for _, n := range []int{2, 3, 5} {
			q := p
			q.NumBannedSubstrs = n
			v, err := e.Build(q, env)
			if err != nil {
				t.Fatal(err)
			}
			variants = append(variants, v)
		}
		for _, r := range rows {
			d := &filters.Doc{ID: r.URL, URL: r.URL}
			if err := filters.CheckDecision(base, d); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if err := filters.CheckGauges(base, d); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			reason, _ := base.(filters.Filter).Filter(d)
			if reason != "" {
				removed++
			}
			for _, v := range append([]any{base}, variants...) {
				if err := checkRemovalGauge(v, d); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
			for _, v := range variants {
				if err := filters.CheckDecisionWith(base, v, d); err != nil {
					t.Errorf("%s: %v", name, err)
				}
				if err := filters.CheckGauges(v, d); err != nil {
					t.Errorf("%s: %v", name, err)
				}
				if r, _ := v.(filters.Filter).Filter(d); r != reason {
					changed++
				}
			}
		}
	}
	if removed == 0 || changed == 0 {
		t.Errorf("%d removals, %d decisions changed by num_banned_substrs: a weak test", removed, changed)
	}
	t.Logf("%d URLs x %d configurations: %d removals, %d decisions changed by num_banned_substrs", len(rows), len(configs), removed, changed)
}
