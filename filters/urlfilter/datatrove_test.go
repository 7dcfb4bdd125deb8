package urlfilter

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/curator-dev/curator/filters"
)

func buildDT(t testing.TB, set func(p *DatatroveParams), env filters.Env) *datatroveFilter {
	t.Helper()
	s, err := filters.BuildStep[DatatroveParams]("url_filter", set, env)
	if err != nil {
		t.Fatal(err)
	}
	return s.(*datatroveFilter)
}

func checkDT(t *testing.T, f *datatroveFilter, url, want string) {
	t.Helper()
	d := &filters.Doc{ID: url, URL: url, Text: "a text"}
	got, err := f.Filter(d)
	if err != nil {
		t.Fatalf("%q: %v", url, err)
	}
	if got != want {
		t.Errorf("%q: reason %q, want %q", url, got, want)
	}
	if err := filters.CheckDecision(f, d); err != nil {
		t.Error(err)
	}
	if err := filters.CheckGauges(f, d); err != nil {
		t.Error(err)
	}
}

// TestDatatroveURL reproduces datatrove's own test of URLFilter
// (huggingface/datatrove tests/pipeline/filters/test_filters.py at commit
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc, TestFilters.test_url): the
// integrated lists on, three extra domains.
func TestDatatroveURL(t *testing.T) {
	f := buildDT(t, func(p *DatatroveParams) {
		p.ExtraDomains = Strings{"blocked.com", "danger.org", "badsubdomain.nice.com"}
	}, filters.Env{})
	for _, c := range []struct{ url, want string }{
		{"https://blocked.com/some-sub-url?with=stuff", ReasonDTDomain},
		{"https://hey.danger.org/some-sub-url?with=stuff", ReasonDTDomain},
		{"http://hey.danger.org/some-sub-url?with=stuff", ReasonDTDomain},
		{"http://www.danger.org/some-sub-url?with=stuff", ReasonDTDomain},
		{"https://nice.com/some-sub-url?with=stuff", ""},
		{"https://badsubdomain.nice.com/some-sub-url?with=stuff", ReasonDTSubdomain},
		{"https://sdsd.badsubdomain.nice.com/some-sub-url?with=stuff", ""},
		{"https://blocke.dcom/some-sub-url?with=stuff", ""},
	} {
		checkDT(t, f, c.url, c.want)
	}
}

// TestDatatroveURLRules checks the rules datatrove's test does not reach,
// with its integrated lists, as url_filter.py at commit e9824719 reads.
func TestDatatroveURLRules(t *testing.T) {
	f := buildDT(t, func(p *DatatroveParams) {
		p.ExtraURLs = Strings{"https://example.com/exact"}
	}, filters.Env{})
	for _, c := range []struct{ url, want string }{
		{"https://example.com/exact", ReasonDTURL},
		{"https://example.com/exact/", ""},           // the whole URL, exactly
		{"https://example.com/porn/x", ReasonDTHard}, // "porn" is a banned word
		{"https://example.com/PORN/x", ""},           // URL words keep their case; the list is lower-case
		{"https://example.com/pornography", ""},      // a word, not a substring; one soft word
		{"https://example.com/sexy-lingerie", ReasonDTSoft},
		{"https://example.com/sexy-sexy", ""},               // distinct soft words: one
		{"https://example.com/ass", ""},                     // "#ass" is commented out of the hard list; soft
		{"https://example.com/horny", ReasonDTHard},         // hard; "#horny" is commented out of the soft list
		{"https://example.com/bigtits/", ReasonDTSubword},   // "big tits" normalized is "bigtits"
		{"https://example.com/Big-Tits", ReasonDTSubword},   // the URL is normalized too
		{"https://example.com/hotcarl", ""},                 // "#hot carl" is commented out
		{"https://example.com/2girls1cup", ReasonDTSubword}, // digits kept
		{"https://sexy.example.com/nude", ReasonDTSoft},     // words of the host count
		{"https://example.com/%70orn", ""},
	} {
		checkDT(t, f, c.url, c.want)
	}
	three := buildDT(t, func(p *DatatroveParams) { p.SoftWordThreshold = 3 }, filters.Env{})
	checkDT(t, three, "https://example.com/sexy-lingerie", "")
	checkDT(t, three, "https://example.com/sexy-lingerie-nude", ReasonDTSoft)
	if err := filters.CheckDecisionWith(f, three, &filters.Doc{ID: "x", URL: "https://example.com/sexy-lingerie"}); err != nil {
		t.Error(err)
	}
	none := buildDT(t, func(p *DatatroveParams) { p.UseIntegratedLists = false }, filters.Env{})
	checkDT(t, none, "https://example.com/porn/sexy-lingerie/bigtits", "")

	if r, err := none.Filter(&filters.Doc{ID: "no-url"}); r != "" || err != nil {
		t.Errorf("a document without a URL: %q, %v; want it kept", r, err)
	}
	checkDT(t, f, "", "")
}

// TestDatatroveURLLists checks list files: UT1's format (one entry a
// line, # comments), a blank line's empty entry, and clear errors.
func TestDatatroveURLLists(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("domains", "# UT1 style\nbad-site.net\r\n  spaced.net  \nsub.good-site.net")
	write("urls", "https://good-site.net/exact\n")
	env := filters.Env{Dir: dir}
	f := buildDT(t, func(p *DatatroveParams) {
		p.DomainsFromFname, p.URLsFromFname, p.UseIntegratedLists = "domains", "urls", false
	}, env)
	checkDT(t, f, "http://www.bad-site.net/", ReasonDTDomain)
	checkDT(t, f, "http://spaced.net/", ReasonDTDomain)
	checkDT(t, f, "http://sub.good-site.net/", ReasonDTSubdomain)
	checkDT(t, f, "http://good-site.net/", "")
	checkDT(t, f, "https://good-site.net/exact", ReasonDTURL)
	checkDT(t, f, "http://UT1.net/", "")   // "# UT1 style" is a comment
	checkDT(t, f, "http://127.0.0.1/", "") // no suffix: registered domain ""

	// A blank line is an empty entry, as in datatrove: the empty domain
	// then matches every host without a public suffix.
	write("blank", "bad-site.net\n\nother-site.net\n")
	blank := buildDT(t, func(p *DatatroveParams) { p.DomainsFromFname, p.UseIntegratedLists = "blank", false }, env)
	checkDT(t, blank, "http://127.0.0.1/", ReasonDTDomain)
	checkDT(t, blank, "http://good-site.net/", "")

	write("latin1", "caf\xe9.net\n")
	for _, name := range []string{"latin1", "missing"} {
		_, err := filters.BuildStep[DatatroveParams]("url_filter", func(p *DatatroveParams) { p.DomainsFromFname = name }, env)
		if err == nil {
			t.Errorf("%s: built without error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := filters.BuildStep[DatatroveParams]("url_filter", func(p *DatatroveParams) { p.BannedWords = Strings{"ok", ""} }, env); err == nil {
		t.Error("an empty inline entry: built without error")
	}
}

// TestDatatroveRealURLs runs url_filter over the real Common Crawl URLs of
// testdata/urlfilter: measurement, decision and gauges agree on every one.
func TestDatatroveRealURLs(t *testing.T) {
	urls := readLines(t, "../../testdata/urlfilter/real_urls.txt")
	f := buildDT(t, nil, filters.Env{})
	removed := map[string]int{}
	for _, u := range urls {
		d := &filters.Doc{ID: u, URL: u}
		r, err := f.Filter(d)
		if err != nil {
			t.Fatalf("%q: %v", u, err)
		}
		removed[r]++
		if err := filters.CheckDecision(f, d); err != nil {
			t.Error(err)
		}
		if err := filters.CheckGauges(f, d); err != nil {
			t.Error(err)
		}
	}
	if removed[""] < len(urls)*9/10 {
		t.Errorf("url_filter kept %d of %d real URLs", removed[""], len(urls))
	}
	t.Logf("%d real URLs: %v", len(urls), removed)
}
