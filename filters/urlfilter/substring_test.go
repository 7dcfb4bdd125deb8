package urlfilter

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

func build(t testing.TB, p SubstringParams, env filters.Env) *substringFilter {
	t.Helper()
	e, ok := filters.Lookup("url_substring_filter")
	if !ok {
		t.Fatal("url_substring_filter is not registered")
	}
	s, err := e.Build(p, env)
	if err != nil {
		t.Fatal(err)
	}
	return s.(*substringFilter)
}

// dclm mirrors url_substring_filter(banlist, **kwargs)(page) == [] from DCLM's
// tests: true when the page is removed.
func dclm(t *testing.T, url string, banlist []string, mod func(p *SubstringParams)) bool {
	t.Helper()
	p := SubstringParams{Banlist: banlist, NumBannedSubstrs: 1, MatchSubstrings: true}
	if mod != nil {
		mod(&p)
	}
	f := build(t, p, filters.Env{})
	reason, err := f.Filter(&filters.Doc{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return reason != ""
}

// TestDCLMExpectations ports test_url_substring_filter from mlfoundations/dclm
// tests/baselines/mappers/filters/test_metadata_filters.py (the cases that do
// not need its unpublished banlist files).
func TestDCLMExpectations(t *testing.T) {
	num := func(n int) func(p *SubstringParams) { return func(p *SubstringParams) { p.NumBannedSubstrs = n } }
	numWords := func(n int) func(p *SubstringParams) {
		return func(p *SubstringParams) { p.NumBannedSubstrs = n; p.MatchSubstrings = false }
	}
	ignore := func(p *SubstringParams) { p.IgnoreChars = Strings{"-", "."} }
	cs := func(n int, subs bool) func(p *SubstringParams) {
		return func(p *SubstringParams) { p.NumBannedSubstrs = n; p.MatchSubstrings = subs; p.CaseSensitive = true }
	}
	cases := []struct {
		url     string
		banlist []string
		mod     func(p *SubstringParams)
		removed bool
	}{
		{"https://www.badword.com", []string{"badword", "reallybadword"}, nil, true},
		{"https://www.badword.com", []string{"reallybadword", "extremelybadword"}, nil, false},
		{"https://www.ba-dwo.rd.com", []string{"badword"}, nil, false},
		{"https://www.ba-dwo.rd.com", []string{"badword"}, ignore, true},
		{"https://www.badword123-badword2.com", []string{"badword1", "badword2", "badword3"}, num(3), false},
		{"https://www.badword123-badword2.com", []string{"badword1", "badword2", "badword3"}, numWords(3), false},
		{"https://www.badword123-badword2.com", []string{"badword1", "badword2", "badword3"}, num(2), true},
		{"https://www.badword123-badword2.com", []string{"badword1", "badword2", "badword3"}, numWords(2), false},
		{"https://www.badword123-badword2.com", []string{"badword123", "badword2", "badword3"}, numWords(2), true},
		// "In current implementation, banlist items must not be overlapping"
		{"https://www.badword123-badword2.com", []string{"badword1", "badword2", "badword3", "word123"}, num(3), false},
		{"https://www.badword.com/BadWord2", []string{"BadWord2"}, nil, true},
		{"https://www.badword.com/BadWord2", []string{"badword2"}, nil, true},
		{"https://www.badword.com/BadWord2", []string{"BadWord2"}, cs(1, true), true},
		{"https://www.badword.com/BadWord2", []string{"badword2"}, cs(1, true), false},
		{"https://www.badword.com/BadWord2", []string{"badword", "Bad"}, cs(2, true), true},
		{"https://www.badword.com/BadWord2", []string{"badword", "bad"}, cs(2, true), false},
		{"https://www.badword.com/BadWord2", []string{"badword", "Bad"}, cs(2, false), false},
		{"https://www.badword.com/BadWord2", []string{"badword", "BadWord2"}, cs(2, false), true},
		{"https://www.badword.com/BadWord2", []string{"badword", "badword2"}, cs(2, false), false},
	}
	for i, c := range cases {
		if got := dclm(t, c.url, c.banlist, c.mod); got != c.removed {
			t.Errorf("case %d: %q with %q: removed %v, DCLM %v", i, c.url, c.banlist, got, c.removed)
		}
	}
}

// TestLeftmostLongest pins the retrie semantics on small cases: longest key
// at the leftmost position, non-overlapping, and backtracking to a shorter
// key that ends on a word boundary.
func TestLeftmostLongest(t *testing.T) {
	cases := []struct {
		keys  []string
		words bool
		in    string
		want  string
	}{
		{[]string{"bad", "badword"}, false, "xbadwordx", "badword"},
		{[]string{"bad", "badword"}, true, "badword bad", "badword|bad"},
		{[]string{"bad", "badword"}, true, "badwordy bad", "bad"},
		{[]string{"ab", "abcd"}, true, "abcd-abc ab", "abcd|ab"},
		{[]string{"abc", "bcd"}, false, "abcd", "abc"},
		{[]string{"abc", "bcd"}, false, "abcbcd", "abc|bcd"},
		{[]string{"a_b"}, true, "x a_b y-a_b_", "a_b"},
		{[]string{"sex"}, true, "ſex sex", "ſex|sex"},
		{[]string{"é"}, true, "cafée é", "é"},
	}
	for _, c := range cases {
		m := newMatcher(c.keys, true, c.words)
		got := strings.Join(m.findAll(c.in, 0), "|")
		if got != c.want {
			t.Errorf("keys %q words %v in %q: %q, want %q", c.keys, c.words, c.in, got, c.want)
		}
	}
}

// TestRealWordLists runs DCLM's three RefinedWeb word-list steps on the real
// URLs and on URLs built to trip each of them.
func TestRealWordLists(t *testing.T) {
	strict := build(t, SubstringParams{BanlistFromFname: "baselines/mappers/banlists/refinedweb_banned_words_strict_reverse_engineered.txt",
		IgnoreChars: Strings{"-", "."}, NumBannedSubstrs: 1, MatchSubstrings: true}, filters.Env{})
	hard := build(t, SubstringParams{BanlistFromFname: "refinedweb_banned_words_hard_reverse_engineered.txt",
		NumBannedSubstrs: 1}, filters.Env{})
	soft := build(t, SubstringParams{BanlistFromFname: "refinedweb_banned_words_soft_reverse_engineered.txt",
		NumBannedSubstrs: 2}, filters.Env{})
	removed := map[string]int{}
	urls := readLines(t, "../../testdata/urlfilter/real_urls.txt")
	for _, u := range urls {
		for name, f := range map[string]*substringFilter{"strict": strict, "hard": hard, "soft": soft} {
			r, err := f.Filter(&filters.Doc{URL: u})
			if err != nil {
				t.Fatal(err)
			}
			if r != "" {
				removed[name]++
				t.Logf("%s removes %s (%q)", name, u, f.Matches(u))
			}
		}
	}
	// The real URLs are mainstream pages (archive.org, news, blogs): the
	// word lists must leave nearly all of them alone.
	for name, n := range removed {
		if n > len(urls)/50 {
			t.Errorf("%s removes %d of %d real URLs", name, n, len(urls))
		}
	}
	for _, c := range []struct {
		f    *substringFilter
		url  string
		want bool
	}{
		{strict, "http://example.com/free-p.o.r.n-videos", false}, // "porn" is not on the strict list
		{strict, "http://EXAMPLE.com/watch?v=🖕", true},
		{strict, "http://example.com/g-spot", false}, // "g-spot" cannot match: "-" is deleted first
		{hard, "https://WWW.XXX.COM/", true},
		{hard, "https://www.xxxhub.com/", false},
		{hard, "https://example.com/porn/1", true},
		{soft, "http://example.org/escort", false},
		{soft, "http://www.sexy-cams.example.org/escort/", true},
		{soft, "http://example.org/escort-escort", false}, // distinct strings only
	} {
		r, _ := c.f.Filter(&filters.Doc{URL: c.url})
		if (r != "") != c.want {
			t.Errorf("%q: reason %q, want removed=%v (matches %q)", c.url, r, c.want, c.f.Matches(c.url))
		}
	}
}

func readLines(t *testing.T, path string) []string { return readLinesTB(t, path) }

func readLinesTB(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			out = append(out, sc.Text())
		}
	}
	return out
}

// TestDomainMatch covers exact_domain_match with DCLM's quirks and the fixes.
func TestDomainMatch(t *testing.T) {
	env := filters.Env{Dir: "../../testdata/urlfilter"}
	p := SubstringParams{BanlistFromFname: "domains_test.txt", ExactDomainMatch: true,
		IgnoreChars: Strings{"www"}, NumBannedSubstrs: 1, MatchSubstrings: true}
	quirk := build(t, p, env)
	p.FixWWWQuirk = true
	fixed := build(t, p, env)
	p.UseHostname = true
	host := build(t, p, env)
	p.MatchSubdomains = true
	sub := build(t, p, env)
	cases := []struct {
		url                      string
		quirk, fixed, host, subs bool
	}{
		{"https://xxx.com/", true, true, true, true},
		// DCLM deletes "www", leaving ".xxx.com": the list has that entry.
		{"https://www.xxx.com/", true, true, true, true},
		{"https://www.adult.example/", false, true, true, true},
		{"HTTPS://ADULT.EXAMPLE/x", true, true, true, true},
		{"https://wwwadult.example/", true, false, false, false},
		{"https://adult.example:8080/", false, false, true, true},
		{"https://user:pw@adult.example/", false, false, true, true},
		{"https://adult.example./", false, false, true, true},
		{"https://cdn.adult.example/", false, false, false, true},
		{"https://example.org/", true, true, true, true}, // the list is lower-cased
		{"https://bücher.de/", true, true, true, true},
		{"https://xn--bcher-kva.de/", false, false, false, false}, // no IDNA conversion, like DCLM
		{"https://banned.net/", false, false, false, false},
		{"https://a.sub.banned.net/", false, false, false, true},
		{"adult.example/no-scheme", false, false, false, false}, // netloc is ""
		{"//adult.example/", true, true, true, true},
	}
	for _, c := range cases {
		for i, f := range []*substringFilter{quirk, fixed, host, sub} {
			want := []bool{c.quirk, c.fixed, c.host, c.subs}[i]
			r, err := f.Filter(&filters.Doc{URL: c.url})
			if err != nil {
				t.Fatalf("%q: %v", c.url, err)
			}
			if (r == ReasonDomain) != want {
				t.Errorf("%q filter %d: reason %q, want removed=%v", c.url, i, r, want)
			}
		}
	}
	// DCLM's own test passes ignore_chars ['www.'] to match "https://www.xxx.com".
	p2 := SubstringParams{BanlistFromFname: "domains_test.txt", ExactDomainMatch: true,
		IgnoreChars: Strings{"www."}, NumBannedSubstrs: 1, MatchSubstrings: true}
	if r, _ := build(t, p2, env).Filter(&filters.Doc{URL: "https://www.adult.example"}); r != ReasonDomain {
		t.Errorf("ignore_chars ['www.']: reason %q", r)
	}
	if _, err := quirk.Filter(&filters.Doc{URL: "https://[::1/x"}); err == nil {
		t.Error("an unbalanced IPv6 netloc should be an error, as urllib raises")
	}
}

// TestBanlistFiles checks where banlist_from_fname is read from.
func TestBanlistFiles(t *testing.T) {
	dir := t.TempDir()
	// A file next to the recipe wins over the embedded list of that name.
	if err := os.WriteFile(filepath.Join(dir, "ldnoobw.txt"), []byte("onlythis\r\nother\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := build(t, SubstringParams{BanlistFromFname: "ldnoobw.txt", NumBannedSubstrs: 1, MatchSubstrings: true}, filters.Env{Dir: dir})
	if f.Count("http://x/onlythis") != 1 || f.Count("http://x/other") != 1 || f.Count("http://x/anal") != 0 {
		t.Errorf("the recipe's own ldnoobw.txt was not used: %q", f.Matches("http://x/onlythis/anal"))
	}
	e, _ := filters.Lookup("url_substring_filter")
	if _, err := e.Build(SubstringParams{BanlistFromFname: "nope.txt", NumBannedSubstrs: 1}, filters.Env{Dir: dir}); err == nil ||
		!strings.Contains(err.Error(), "not found") {
		t.Errorf("missing banlist: error %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("ok\n\xff\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Build(SubstringParams{BanlistFromFname: "bad.txt", NumBannedSubstrs: 1}, filters.Env{Dir: dir}); err == nil ||
		!strings.Contains(err.Error(), "at byte 3") {
		t.Errorf("invalid UTF-8 banlist: error %v", err)
	}
	for _, p := range []SubstringParams{
		{NumBannedSubstrs: 1},
		{Banlist: Strings{"x"}},
		{Banlist: Strings{"x"}, NumBannedSubstrs: 1, FixWWWQuirk: true},
		{BanlistFromFname: "x.pkl", NumBannedSubstrs: 1},
	} {
		if _, err := e.Build(p, filters.Env{Dir: dir}); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
}

// TestRecipeParams checks the step's parameters as a recipe gives them,
// including DCLM's one-string banlist.
func TestRecipeParams(t *testing.T) {
	y := `name: t
steps:
  - use: url_substring_filter
    id: one
    with: {banlist: badword}
  - use: url_substring_filter
    id: two
    with:
      banlist_from_fname: baselines/mappers/banlists/refinedweb_banned_words_soft_reverse_engineered.txt
      num_banned_substrs: 2
      match_substrings: false
`
	r, err := filters.ParseRecipe(filepath.Join(t.TempDir(), "t.yaml"), []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		url, step string
	}{
		{"http://www.badword.com/", "one"},
		{"http://example.com/sexy/escort", "two"},
		{"http://example.com/escort", ""},
	} {
		o := r.Run(&filters.Doc{URL: c.url})
		if o.Kept != (c.step == "") || (!o.Kept && o.StepID != c.step) {
			t.Errorf("%s: outcome %+v, want removal by %q", c.url, o, c.step)
		}
	}
}
