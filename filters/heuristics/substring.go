package heuristics

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
	"gopkg.in/yaml.v3"

	"github.com/curator-dev/curator/filters/text"
)

// StringList is a list of strings that YAML may also give as one string.
type StringList []string

// UnmarshalYAML accepts a scalar or a sequence.
func (l *StringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = StringList{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

// SubstringLineParams are the parameters of substring_line_modifier.
type SubstringLineParams struct {
	Banlist             StringList `yaml:"banlist" doc:"the banned substrings (one string or a list); Python regular expressions unless literal is true, as in DCLM"`
	CaseSensitive       bool       `yaml:"case_sensitive" doc:"match case"`
	Location            string     `yaml:"location" doc:"where in the line the substring must be: prefix, suffix or any"`
	MaxLength           int        `yaml:"max_length" doc:"only lines with at most this many str.split words are touched; -1 for all lines"`
	RemoveSubstringOnly bool       `yaml:"remove_substring_only" doc:"remove the substring (and one whitespace beside it) instead of the whole line"`
	Literal             bool       `yaml:"literal" doc:"escape the banlist entries (DCLM does not: its \"Read more...\" dots match any character)"`
}

// Validate checks the parameters.
func (p SubstringLineParams) Validate() error {
	switch p.Location {
	case "prefix", "suffix", "any":
	default:
		return fmt.Errorf("location %q: want prefix, suffix or any", p.Location)
	}
	if len(p.Banlist) == 0 {
		return errors.New("banlist is empty")
	}
	for _, b := range p.Banlist {
		if b == "" {
			return errors.New("banlist has an empty entry")
		}
	}
	return nil
}

type substringLines struct {
	p  SubstringLineParams
	pm *pyPattern
}

func newSubstringLines(p SubstringLineParams) (*substringLines, error) {
	items := make([]string, len(p.Banlist))
	for i, b := range p.Banlist {
		if !p.CaseSensitive {
			b = text.Lower(b)
		}
		items[i] = b
	}
	pm, err := compilePyPattern(items, p.Location, !p.CaseSensitive, p.Literal)
	if err != nil {
		return nil, err
	}
	return &substringLines{p: p, pm: pm}, nil
}

// Modify implements filters.Modifier.
func (m *substringLines) Modify(d *filters.Doc) (string, error) {
	var stats []text.LineStat
	if m.p.MaxLength != noMax {
		stats = LineStats(d)
	}
	eligible := func(i int) bool { return stats == nil || int(stats[i].Words) <= m.p.MaxLength }
	if !m.p.RemoveSubstringOnly {
		return rewriteLines(d, true, func(i int, line string) bool {
			return !eligible(i) || !m.pm.search(line)
		}), nil
	}
	return editLines(d, true, func(i int, line string) (string, bool) {
		if !eligible(i) {
			return line, true
		}
		nl, _ := m.pm.sub(line)
		// As in DCLM, a non-empty line that is (or becomes) empty or
		// whitespace-only is dropped, matched or not.
		return nl, line == "" || (nl != "" && !text.IsSpaceOnly(nl))
	}), nil
}

func init() {
	filters.Register(filters.Spec{Name: "substring_line_modifier", Kind: filters.KindModifier,
		Doc: "Removes the lines (of at most max_length words) that contain a banned substring at the given location, or only the substring with one adjacent whitespace; then strips the text; removes the document if nothing is left."},
		SubstringLineParams{Location: "any", MaxLength: noMax},
		func(p SubstringLineParams, _ filters.Env) (any, error) { return newSubstringLines(p) })
}

// pyPattern is DCLM's substring_line_modifier pattern: for location any
// \s?(?:b1|b2|...), prefix ^(?:...)\s?, suffix \s?(?:...)$, matched with
// Python re semantics. Entries made of literal characters and '.' (any
// character but \n) are matched by a small backtracking matcher that is
// exact; other regular expressions go to Go's regexp after translating
// Python's Unicode classes (\b stays ASCII there).
type pyPattern struct {
	alts     [][]patAtom
	location string
	fold     bool
	re       *regexp.Regexp
	maxRunes int       // the longest alternative, in characters
	first    [128]bool // ASCII bytes that can start an alternative
	anyFirst bool      // an alternative can start with any character
}

// mayStart reports whether an alternative could start somewhere in s: some
// byte of s is in first, or is not ASCII.
func (pm *pyPattern) mayStart(s string) bool {
	if pm.anyFirst {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || pm.first[c] {
			return true
		}
	}
	return false
}

type patAtom struct {
	r   rune // folded when the pattern ignores case
	any bool // '.': any character but \n
}

func compilePyPattern(items []string, location string, fold, literal bool) (*pyPattern, error) {
	pm := &pyPattern{location: location, fold: fold}
	simple := true
	for _, it := range items {
		atoms, ok := parseSimple(it, literal, fold)
		if !ok {
			simple = false
			break
		}
		pm.alts = append(pm.alts, atoms)
	}
	if simple {
		for _, alt := range pm.alts {
			pm.maxRunes = max(pm.maxRunes, len(alt))
			a := alt[0]
			switch {
			case a.any || a.r >= utf8.RuneSelf:
				pm.anyFirst = true // non-ASCII bytes always pass mayStart
			case fold:
				// ASCII characters fold only to ASCII ones, but for k, s
				// and i, which non-ASCII characters (K, ſ, ı, İ) fold to.
				pm.first[a.r] = true
				if a.r >= 'a' && a.r <= 'z' {
					pm.first[a.r-'a'+'A'] = true
				}
			default:
				pm.first[a.r] = true
			}
		}
		return pm, nil
	}
	pat := "(?:" + translatePyRegex(strings.Join(items, "|")) + ")"
	sp := `[\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]`
	switch location {
	case "prefix":
		pat = `^` + pat + sp + `?`
	case "suffix":
		pat = sp + `?` + pat + `$`
	default:
		pat = sp + `?` + pat
	}
	if fold {
		pat = "(?i)" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("banlist pattern %q: %w", strings.Join(items, "|"), err)
	}
	pm.alts, pm.re = nil, re
	return pm, nil
}

// parseSimple turns a banlist entry into atoms if it uses no regex syntax
// but '.' and escaped punctuation.
func parseSimple(s string, literal, fold bool) ([]patAtom, bool) {
	var out []patAtom
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		a := patAtom{r: r}
		if !literal {
			switch r {
			case '.':
				a = patAtom{any: true}
			case '\\':
				if i+1 == len(rs) {
					return nil, false
				}
				i++
				r = rs[i]
				if r < 0x80 && (text.IsAlnum(r) || r == '_') {
					return nil, false // \s, \d, \b, \1, \n ...: leave to regexp
				}
				a = patAtom{r: r}
			case '^', '$', '*', '+', '?', '{', '}', '[', ']', '(', ')', '|':
				return nil, false
			}
		}
		if fold && !a.any {
			a.r = text.FoldRune(a.r)
		}
		out = append(out, a)
	}
	return out, true
}

// translatePyRegex rewrites Python's Unicode classes \s \d \w (and their
// negations) for Go's regexp.
func translatePyRegex(p string) string {
	r := strings.NewReplacer(
		`\\`, `\\`,
		`\s`, `[\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]`,
		`\S`, `[^\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]`,
		`\d`, `\p{Nd}`, `\D`, `\P{Nd}`,
		`\w`, `[\p{L}\p{N}_]`, `\W`, `[^\p{L}\p{N}_]`,
	)
	return r.Replace(p)
}

// matchAt returns the end of the first alternative that matches at byte i
// of s, trying them in order, or -1. With mustEnd only a match that ends at
// len(s) counts (the entries are fixed-length, so the first alternative
// that matches and ends there is the one Python's backtracking finds).
func (pm *pyPattern) matchAt(s string, i int, mustEnd bool) int {
	for _, alt := range pm.alts {
		j := i
		ok := true
		for _, a := range alt {
			if j >= len(s) {
				ok = false
				break
			}
			r, n := utf8.DecodeRuneInString(s[j:])
			switch {
			case a.any:
				ok = r != '\n'
			case pm.fold:
				ok = text.FoldRune(r) == a.r
			default:
				ok = r == a.r
			}
			if !ok {
				break
			}
			j += n
		}
		if ok && (!mustEnd || j == len(s)) {
			return j
		}
	}
	return -1
}

// spaceLen returns the size of the Python whitespace character at s[i], 0 if none.
func spaceLen(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if text.IsSpace(r) {
		return n
	}
	return 0
}

// find returns the first match in s at or after byte from, as re.search would.
func (pm *pyPattern) find(s string, from int) (int, int) {
	if pm.location == "prefix" {
		if from > 0 {
			return -1, -1
		}
		e := pm.matchAt(s, 0, false)
		if e < 0 {
			return -1, -1
		}
		return 0, e + spaceLen(s, e)
	}
	mustEnd := pm.location == "suffix"
	if mustEnd {
		// A match ends at len(s) and spans at most maxRunes+1 characters.
		j := len(s)
		for k := 0; k <= pm.maxRunes && j > from; k++ {
			_, n := utf8.DecodeLastRuneInString(s[:j])
			j -= n
		}
		from = max(from, j)
	} else if !pm.mayStart(s[from:]) {
		return -1, -1
	}
	for i := from; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !pm.anyFirst && !pm.first[c] && !text.IsSpace(rune(c)) {
			i++ // no alternative and no \s? can start here
			continue
		}
		if n := spaceLen(s, i); n > 0 {
			if e := pm.matchAt(s, i+n, mustEnd); e >= 0 {
				return i, e
			}
		}
		if e := pm.matchAt(s, i, mustEnd); e >= 0 {
			return i, e
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return -1, -1
}

// search reports whether the pattern matches somewhere in line.
func (pm *pyPattern) search(line string) bool {
	if pm.re != nil {
		return pm.re.MatchString(line)
	}
	i, _ := pm.find(line, 0)
	return i >= 0
}

// sub returns line with every match removed (re.sub(pattern, "", line)) and
// whether there was a match.
func (pm *pyPattern) sub(line string) (string, bool) {
	if pm.re != nil {
		if !pm.re.MatchString(line) {
			return line, false
		}
		return pm.re.ReplaceAllString(line, ""), true
	}
	i, e := pm.find(line, 0)
	if i < 0 {
		return line, false
	}
	var b strings.Builder
	last := 0
	for i >= 0 {
		b.WriteString(line[last:i])
		last = e
		i, e = pm.find(line, e)
	}
	b.WriteString(line[last:])
	return b.String(), true
}
