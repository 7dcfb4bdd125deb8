package urlfilter

import (
	_ "embed" // the IANA TLD list
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// ianaTLDs is DCLM's baselines/mappers/iana_tlds.txt (1,590 TLDs, MIT).
//
//go:embed data/iana_tlds.txt
var ianaTLDs string

// URLRemovalParams are the parameters of url_removal_modifier.
type URLRemovalParams struct {
	TLDsFilepath string `yaml:"tlds_filepath" doc:"file with one TLD a line; empty for DCLM's embedded IANA list"`
	FixTLDGate   bool   `yaml:"fix_tld_gate" doc:"strip URLs in every document; DCLM strips them only when the text starts with a TLD-like string (its tlds_regex.match quirk)"`
}

func init() {
	filters.Register(filters.Spec{Name: "url_removal_modifier", Kind: filters.KindModifier,
		Doc: "Removes URLs ending in a known TLD (with up to 10 whitespace characters before them) and IPv4 addresses from the text, as DCLM's url_removal_modifier; removes the document if nothing is left."},
		URLRemovalParams{},
		func(p URLRemovalParams, env filters.Env) (any, error) { return newURLRemoval(p, env) })
}

type urlRemoval struct {
	p     URLRemovalParams
	exact *stripTrie // the TLDs as url_regex matches them (case-sensitive)
	gate  *stripTrie // the same, case-folded, for tlds_regex.match
}

func newURLRemoval(p URLRemovalParams, env filters.Env) (*urlRemoval, error) {
	data := ianaTLDs
	if p.TLDsFilepath != "" {
		b, err := os.ReadFile(env.Path(p.TLDsFilepath))
		if err != nil {
			return nil, fmt.Errorf("tlds_filepath: %w", err)
		}
		data = string(b)
	}
	u := &urlRemoval{p: p, exact: &stripTrie{}, gate: &stripTrie{}}
	u.exact.nodes = append(u.exact.nodes, stripNode{})
	u.gate.nodes = append(u.gate.nodes, stripNode{})
	n := 0
	for _, line := range splitLinesPy(data) {
		if line == "" {
			continue // an empty TLD would make DCLM's pattern match everywhere
		}
		key := pyReEscape(line) // DCLM escapes, then retrie matches the escaped text
		u.exact.add(key, false)
		u.gate.add(key, true)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("tlds_filepath %q: no TLDs", p.TLDsFilepath)
	}
	return u, nil
}

// splitLinesPy splits like Python's str.splitlines for the separators a
// TLD file can hold (\n, \r\n, \r).
func splitLinesPy(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// pyReEscape is Python 3.7+'s re.escape.
func pyReEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Modify implements filters.Modifier.
func (u *urlRemoval) Modify(d *filters.Doc) (string, error) {
	s := d.Text
	if u.p.FixTLDGate || u.gate.prefixMatch(s) {
		s = u.stripURLs(s)
	}
	s = stripIPv4(s)
	if s == "" {
		return "empty", nil
	}
	if s != d.Text {
		d.SetText(s)
	}
	return "", nil
}

// stripTrie is a trie of TLDs over code points.
type stripTrie struct{ nodes []stripNode }

type stripNode struct {
	keys []rune
	next []int32
	leaf bool
}

func (t *stripTrie) child(n int32, r rune) int32 {
	nd := &t.nodes[n]
	for i, k := range nd.keys {
		if k == r {
			return nd.next[i]
		}
	}
	return -1
}

func (t *stripTrie) add(key string, fold bool) {
	n := int32(0)
	for _, r := range key {
		if fold {
			r = text.FoldRune(r)
		}
		c := t.child(n, r)
		if c < 0 {
			c = int32(len(t.nodes))
			t.nodes = append(t.nodes, stripNode{})
			t.nodes[n].keys = append(t.nodes[n].keys, r)
			t.nodes[n].next = append(t.nodes[n].next, c)
		}
		n = c
	}
	t.nodes[n].leaf = true
}

// prefixMatch reports whether a key is a case-insensitive prefix of s
// (DCLM: tlds_regex.match(text), IGNORECASE, anchored at the start).
func (t *stripTrie) prefixMatch(s string) bool {
	n := int32(0)
	for _, r := range s {
		n = t.child(n, text.FoldRune(r))
		if n < 0 {
			return false
		}
		if t.nodes[n].leaf {
			return true
		}
	}
	return false
}

// tldEnd returns the end of the longest key starting at s[i] that is
// followed by a Python \b, trying longer keys first as the trie regex's
// greedy optional groups do, or -1.
func (t *stripTrie) tldEnd(s string, i int) int {
	var ends [16]int
	var lasts [16]rune
	k := 0
	n := int32(0)
	for j := i; j < len(s); {
		r, sz := utf8.DecodeRuneInString(s[j:])
		n = t.child(n, r)
		if n < 0 {
			break
		}
		j += sz
		if t.nodes[n].leaf && k < len(ends) {
			ends[k], lasts[k] = j, r
			k++
		}
	}
	for k--; k >= 0; k-- {
		next := rune(-1)
		if ends[k] < len(s) {
			next, _ = utf8.DecodeRuneInString(s[ends[k]:])
		}
		if text.IsWord(lasts[k]) != (next >= 0 && text.IsWord(next)) {
			return ends[k]
		}
	}
	return -1
}

// isDomainChar is url_regex's [-a-zA-Z0-9@:%._\+~#=].
func isDomainChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-@:%._+~#=", c) >= 0
}

// isPathChar is [-a-zA-Z0-9()@:%_\+.~#?&//=].
func isPathChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-()@:%_+.~#?&/=", c) >= 0
}

func pathEnd(s string, i int) int {
	for i < len(s) && isPathChar(s[i]) {
		i++
	}
	return i
}

// leadingSpace returns the byte length of the Python whitespace at s[i:]
// if it is at most 10 characters long, else -1 (\s{0,10} then a non-space
// character can never match there).
func leadingSpace(s string, i int) int {
	j := i
	for k := 0; j < len(s); k++ {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !text.IsSpace(r) {
			break
		}
		if k == 10 {
			return -1
		}
		j += n
	}
	return j - i
}

func schemeLen(s string, p int) int {
	for _, sc := range [...]string{"https://", "http://", "ftp://"} {
		if strings.HasPrefix(s[p:], sc) {
			return len(sc)
		}
	}
	return 0
}

// stripURLs is url_regex.sub("", s) with
//
//	url_regex = \s{0,10}(?:((https?|ftp)://))?[-a-zA-Z0-9@:%._\+~#=]{1,256}\.(<TLD trie>)\b([-a-zA-Z0-9()@:%_\+.~#?&//=]*)
//
// With Python's backtracking, a match at i takes all (at most 10) spaces,
// the scheme if one is there and works, then the longest domain part whose
// next dot starts a TLD followed by a word boundary (the longest such TLD),
// then all path characters.
func (u *urlRemoval) stripURLs(s string) string {
	// The dots followed by a TLD and a word boundary, wherever the match
	// starts: no such dot, no URL.
	var dots, tldEnds []int
	for k := strings.IndexByte(s, '.'); k >= 0; {
		if e := u.exact.tldEnd(s, k+1); e >= 0 {
			dots = append(dots, k)
			tldEnds = append(tldEnds, e)
		}
		n := strings.IndexByte(s[k+1:], '.')
		if n < 0 {
			break
		}
		k += n + 1
	}
	if len(dots) == 0 {
		return s
	}
	runStart, runEnd := -1, -1 // the run of domain characters last looked at
	tryDomain := func(q int) int {
		if q >= len(s) || !isDomainChar(s[q]) {
			return -1
		}
		if q < runStart || q >= runEnd {
			runStart, runEnd = q, q
			for runEnd < len(s) && isDomainChar(s[runEnd]) {
				runEnd++
			}
		}
		// The largest dot k with 1 <= k-q <= 256 inside the run.
		hi := min(q+256, runEnd-1)
		if j := sort.SearchInts(dots, hi+1) - 1; j >= 0 && dots[j] >= q+1 {
			return pathEnd(s, tldEnds[j])
		}
		return -1
	}
	var b strings.Builder
	last, d := 0, 0
	for i := 0; i < len(s); {
		for d < len(dots) && dots[d] <= i {
			d++
		}
		if d == len(dots) {
			break
		}
		// A match holds at most 10 spaces (30 bytes), a scheme (8) and
		// 256 domain characters before its dot.
		if dots[d]-i > maxURLLead {
			i = dots[d] - maxURLLead
			for !utf8.RuneStart(s[i]) {
				i++
			}
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf && !isDomainChar(c) && !text.IsSpace(rune(c)) {
			i++
			continue
		}
		e := -1
		if ws := leadingSpace(s, i); ws >= 0 {
			p := i + ws
			if p < len(s) && (s[p] == 'h' || s[p] == 'f') {
				if sl := schemeLen(s, p); sl > 0 {
					e = tryDomain(p + sl)
				}
			}
			if e < 0 {
				e = tryDomain(p)
			}
		}
		if e >= 0 {
			b.WriteString(s[last:i])
			last, i = e, e
			continue
		}
		if c < utf8.RuneSelf && isDomainChar(c) {
			// [runStart, runEnd) holds i (tryDomain(i) ran last). Inside
			// it, a match can start only 256 characters before a dot that
			// starts a TLD, or at a scheme, whose "://" ends the run.
			next := runEnd
			if j := sort.SearchInts(dots, i+2); j < len(dots) && dots[j] < runEnd {
				next = max(i+1, dots[j]-256)
			}
			if strings.HasPrefix(s[runEnd-1:], "://") {
				next = min(next, max(i+1, runEnd-len("https:")))
			}
			i = next
			continue
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// maxURLLead bounds the bytes between the start of a URL match and the dot
// before its TLD.
const maxURLLead = 320

// stripIPv4 is ipv4_regex.sub("", s) with
//
//	\s{0,10}\b((https?|ftp)://)?(?:[0-2]?[0-9]{1,2}\.){3}[0-2]?[0-9]{1,2}[-a-zA-Z0-9()@:%_\+.~#?&//=]*
//
// (Python's Unicode \s and \b).
func stripIPv4(s string) string {
	// Every match has a digit, a dot and a digit within its first 45 bytes
	// (10 spaces, a scheme, three digits).
	next := nextDigitDot(s, 0)
	if next < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if next < i {
			if next = nextDigitDot(s, i); next < 0 {
				break
			}
		}
		if next-i > 45 {
			i = next - 45
			for !utf8.RuneStart(s[i]) {
				i++
			}
			continue
		}
		c := s[i]
		e := -1
		if c >= '0' && c <= '9' || c == 'h' || c == 'f' || c >= utf8.RuneSelf || text.IsSpace(rune(c)) {
			e = ipv4At(s, i)
		}
		if e >= 0 {
			b.WriteString(s[last:i])
			last, i = e, e
			continue
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// nextDigitDot returns the index of the first dot at or after from that has
// an ASCII digit on each side, or -1.
func nextDigitDot(s string, from int) int {
	for from < len(s) {
		k := strings.IndexByte(s[from:], '.')
		if k < 0 {
			return -1
		}
		k += from
		if k > 0 && k+1 < len(s) && stripIsDigit(s[k-1]) && stripIsDigit(s[k+1]) {
			return k
		}
		from = k + 1
	}
	return -1
}

func stripIsDigit(c byte) bool { return c >= '0' && c <= '9' }

func ipv4At(s string, i int) int {
	ws := leadingSpace(s, i)
	if ws < 0 {
		return -1
	}
	p := i + ws
	if ws == 0 && i > 0 {
		// \b between the previous character and a word character.
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if text.IsWord(r) {
			return -1
		}
	}
	if sl := schemeLen(s, p); sl > 0 {
		if e := ipv4Digits(s, p+sl); e >= 0 {
			return e
		}
	}
	return ipv4Digits(s, p)
}

// ipv4Digits matches (?:[0-2]?[0-9]{1,2}\.){3}[0-2]?[0-9]{1,2} and the
// path characters after it.
func ipv4Digits(s string, q int) int {
	for g := 0; g < 3; g++ {
		n := 0
		for q+n < len(s) && n < 4 && s[q+n] >= '0' && s[q+n] <= '9' {
			n++
		}
		if n == 0 || n == 4 || (n == 3 && s[q] > '2') {
			return -1
		}
		if q+n >= len(s) || s[q+n] != '.' {
			return -1
		}
		q += n + 1
	}
	if q >= len(s) || s[q] < '0' || s[q] > '9' {
		return -1
	}
	return pathEnd(s, q)
}
