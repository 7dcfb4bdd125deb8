package urlfilter

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/curator-dev/curator/filters"

	"github.com/curator-dev/curator/filters/text"
)

// goldenRow is one line of testdata/urlfilter/golden.jsonl, written by
// gen_golden.py with Python's re and urllib.
type goldenRow struct {
	Kind        string              `json:"kind"` // "real" (real and edge URLs) or "random"
	URL         string              `json:"url"`
	M           map[string][]string `json:"m"`
	Netloc      string              `json:"netloc"`
	NetlocError bool                `json:"netloc_error"`
	Lower       string              `json:"lower"`
}

// The configurations of gen_golden.py, in the step's parameters.
var trickyKeys = []string{"i", "ıx", "straße", "σος", "ab", "abcd", "abc", "a_b", "µm", "ﬆar", "xn--bcher", "bü", "δ", "k", "12", "_"}

func goldenConfigs() map[string]SubstringParams {
	base := SubstringParams{NumBannedSubstrs: 1, MatchSubstrings: true}
	with := func(f func(p *SubstringParams)) SubstringParams { p := base; f(&p); return p }
	caseKeys := append(slices.Clone(trickyKeys), "Ab", "SS")
	return map[string]SubstringParams{
		"strict": with(func(p *SubstringParams) {
			p.BanlistFromFname = "refinedweb_banned_words_strict_reverse_engineered.txt"
			p.IgnoreChars = Strings{"-", "."}
		}),
		"hard": with(func(p *SubstringParams) {
			p.BanlistFromFname = "refinedweb_banned_words_hard_reverse_engineered.txt"
			p.MatchSubstrings = false
		}),
		"soft": with(func(p *SubstringParams) {
			p.BanlistFromFname = "refinedweb_banned_words_soft_reverse_engineered.txt"
			p.MatchSubstrings = false
		}),
		"ldnoobw_words": with(func(p *SubstringParams) {
			p.BanlistFromFname = "ldnoobw.txt"
			p.MatchSubstrings = false
		}),
		"tricky_sub":        with(func(p *SubstringParams) { p.Banlist = trickyKeys }),
		"tricky_words":      with(func(p *SubstringParams) { p.Banlist = trickyKeys; p.MatchSubstrings = false }),
		"tricky_case":       with(func(p *SubstringParams) { p.Banlist = caseKeys; p.CaseSensitive = true }),
		"tricky_case_words": with(func(p *SubstringParams) { p.Banlist = caseKeys; p.CaseSensitive = true; p.MatchSubstrings = false }),
		"empty_key_sub":     with(func(p *SubstringParams) { p.Banlist = Strings{"", "ab", "x"} }),
		"empty_key_words":   with(func(p *SubstringParams) { p.Banlist = Strings{"", "ab", "x"}; p.MatchSubstrings = false }),
		"empty_list_words":  with(func(p *SubstringParams) { p.Banlist = Strings{}; p.MatchSubstrings = false }),
	}
}

func readGolden(t *testing.T) []goldenRow {
	t.Helper()
	f, err := os.Open("../../testdata/urlfilter/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []goldenRow
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r goldenRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("golden line %d: %v", len(rows)+1, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 800 {
		t.Fatalf("golden has %d rows, want the 867 gen_golden.py writes", len(rows))
	}
	return rows
}

// TestGoldenPython checks every configuration against Python's own results.
func TestGoldenPython(t *testing.T) {
	rows := readGolden(t)
	built := map[string]*substringFilter{}
	for name, p := range goldenConfigs() {
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := newSubstringFilter(p, filters.Env{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		built[name] = f
	}
	realOnly := []string{"strict", "hard", "soft", "ldnoobw_words"}
	checked, nonEmpty := 0, 0
	for i, r := range rows {
		for name, f := range built {
			if r.Kind == "random" && slices.Contains(realOnly, name) {
				continue
			}
			got := f.Matches(r.URL)
			slices.Sort(got)
			want := r.M[name]
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("row %d %s %q: matches %q, Python %q", i+1, name, r.URL, got, want)
			}
			checked++
			if len(want) > 0 {
				nonEmpty++
			}
		}
		n, err := netloc(r.URL)
		if (err != nil) != r.NetlocError {
			t.Errorf("row %d netloc(%q): error %v, Python error %v", i+1, r.URL, err, r.NetlocError)
		} else if err == nil && n != r.Netloc {
			t.Errorf("row %d netloc(%q) = %q, Python %q", i+1, r.URL, n, r.Netloc)
		}
		if l := text.Lower(r.URL); l != r.Lower {
			t.Errorf("row %d text.Lower(%q) = %q, Python %q", i+1, r.URL, l, r.Lower)
		}
	}
	if nonEmpty < 100 {
		t.Errorf("only %d of %d golden checks have matches: the golden file looks wrong", nonEmpty, checked)
	}
	t.Logf("%d checks, %d with matches", checked, nonEmpty)
}
