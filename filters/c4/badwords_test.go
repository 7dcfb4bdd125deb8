package c4

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

func buildBadWords(t testing.TB, set func(p *BadWordsParams), env ...filters.Env) filters.Filter {
	t.Helper()
	e := filters.Env{}
	if len(env) > 0 {
		e = env[0]
	}
	s, err := filters.BuildStep[BadWordsParams]("c4_badwords", set, e)
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Filter)
}

func filter(t *testing.T, f filters.Filter, d *filters.Doc) string {
	t.Helper()
	r, err := f.Filter(d)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBadWordsMatch checks datatrove's regex (?:\W|^)(words)(?:\W|$) over
// the lower-cased text on hand-derived cases.
func TestBadWordsMatch(t *testing.T) {
	f := buildBadWords(t, nil, filters.Env{})
	for _, c := range []struct {
		text string
		bad  bool
	}{
		{"An anal retentive person.", true},
		{"ANAL", true},
		{"Data analysis is fun.", false},   // inside a word
		{"canal boats", false},             // inside a word
		{"the_anal_x", false},              // '_' is a word character
		{"x-anal-y", true},                 // '-' is not
		{"I watched 2 girls 1 cup.", true}, // a phrase
		{"2 girls 1 cups", false},
		{"My g-spot.", true},
		{"s&m", true},
		{"s&mx", false},
		{"hello 🖕 there", true},
		{"sm is allowed", false}, // datatrove's allowlist, subtracted from every list
		{"éanal", false},         // é is a word character (Unicode \w)
		{"anal\n", true},
		{"", false},
		{"Nothing wrong here at all.", false},
	} {
		d := &filters.Doc{ID: "case", Text: c.text}
		if got := filter(t, f, d) == ReasonBadWords; got != c.bad {
			t.Errorf("%q: removed %v, want %v", c.text, got, c.bad)
		}
	}
}

// TestBadWordsKeepFraction checks that the keep_fraction choice is
// deterministic (same seed and text: same outcome, whatever the order)
// and keeps about the fraction asked for.
func TestBadWordsKeepFraction(t *testing.T) {
	f := buildBadWords(t, func(p *BadWordsParams) { p.KeepFraction, p.Seed = 0.3, 7 })
	g := buildBadWords(t, func(p *BadWordsParams) { p.KeepFraction, p.Seed = 0.3, 7 })
	h := buildBadWords(t, func(p *BadWordsParams) { p.KeepFraction, p.Seed = 0.3, 8 })
	const n = 2000
	kept, differ := 0, 0
	for i := range n {
		s := "porn " + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + strings.Repeat("y", i/50)
		r1 := filter(t, f, &filters.Doc{Text: s})
		r2 := filter(t, g, &filters.Doc{Text: s})
		r3 := filter(t, h, &filters.Doc{Text: s})
		if r1 != r2 {
			t.Fatalf("%q: %q then %q with the same seed", s, r1, r2)
		}
		if r1 == "" {
			kept++
		}
		if r1 != r3 {
			differ++
		}
	}
	if kept < n*25/100 || kept > n*35/100 {
		t.Errorf("kept %d of %d, want about 30%%", kept, n)
	}
	if differ == 0 {
		t.Error("another seed chose the same documents")
	}
	none := buildBadWords(t, nil, filters.Env{})
	if r := filter(t, none, &filters.Doc{Text: "porn"}); r != ReasonBadWords {
		t.Errorf("keep_fraction 0: %q", r)
	}
	all := buildBadWords(t, func(p *BadWordsParams) { p.KeepFraction = 1 }, filters.Env{})
	if r := filter(t, all, &filters.Doc{Text: "porn"}); r != "" {
		t.Errorf("keep_fraction 1: %q", r)
	}
}

func TestBadWordsLanguage(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "de.txt"), []byte("schlecht\nsm\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := buildBadWords(t, func(p *BadWordsParams) {
		p.LanguageSignal, p.BadwordsFile, p.BadwordsLanguage = "lang", "de.txt", "de"
	}, filters.Env{Dir: dir})
	de := &filters.Doc{Text: "Das ist schlecht."}
	de.SetSignal("lang", "de")
	if r := filter(t, f, de); r != ReasonBadWords {
		t.Errorf("de: %q", r)
	}
	en := &filters.Doc{Text: "Das ist schlecht, porn."} // no signal: default_language en
	if r := filter(t, f, en); r != ReasonBadWords {
		t.Errorf("en: %q", r)
	}
	sm := &filters.Doc{Text: "sm"}
	sm.SetSignal("lang", "de")
	if r := filter(t, f, sm); r != "" {
		t.Errorf("allowlisted word: %q", r)
	}
	fr := &filters.Doc{ID: "fr1", Text: "porn"}
	fr.SetSignal("lang", "fr")
	if _, err := f.Filter(fr); err == nil || !strings.Contains(err.Error(), "fr1") {
		t.Errorf("missing language: error %v", err)
	}
	lax := buildBadWords(t, func(p *BadWordsParams) { p.LanguageSignal, p.FailOnMissingLanguage = "lang", false }, filters.Env{})
	if r := filter(t, lax, fr); r != "" {
		t.Errorf("missing language kept: %q", r)
	}
	if _, err := filters.BuildStep[BadWordsParams]("c4_badwords", func(p *BadWordsParams) { p.BadwordsFile = "nope.txt" }, filters.Env{Dir: dir}); err == nil {
		t.Error("a missing badwords_file built")
	}
	if _, err := filters.BuildStep[BadWordsParams]("c4_badwords", func(p *BadWordsParams) { p.KeepFraction = 2 }, filters.Env{}); err == nil {
		t.Error("keep_fraction 2 built")
	}
}

// TestBuiltinList checks the embedded copy is the LDNOOBW list the
// SOURCES file names (377 entries, first and last).
func TestBuiltinList(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(string(ldnoobwEN), "\n"), "\n")
	if len(lines) != 377 || lines[0] != "2g1c" || lines[len(lines)-1] != "🖕" {
		t.Errorf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
	shared, err := os.ReadFile("../../../shared/data/banlists/ldnoobw.txt")
	if err == nil && string(shared) != string(ldnoobwEN) {
		t.Error("the embedded list differs from the shared data's ldnoobw.txt")
	}
}
