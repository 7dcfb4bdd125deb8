package urlfilter

import (
	"slices"
	"strings"

	"github.com/curator-dev/curator/filters/text"
)

// matcher finds banned strings the way DCLM's url_substring_filter does with
// a retrie Blacklist: a regular expression built from a trie of the keys,
// `(?:trie)` or `\b(?:trie)\b`, run with Python's re.findall.
//
// retrie's regex has, at each trie node, one alternative per child (children
// that end a key and have no children of their own share one character
// class), sorted by their regex text, and a greedy optional group where a
// key ends. Distinct children start with distinct characters, so at a start
// position it matches the longest key that is a prefix of the text there;
// wrapped in \b...\b, the longest such key that also ends on a word
// boundary (the regex backtracks to shorter keys). Under re.IGNORECASE two
// children can match the same character (key characters "i" and "ı" both
// match "ı"); the regex then takes the first alternative in its sorted order
// that leads to a match, and so does matcher.
//
// findall scans left to right, takes that match and goes on after it
// (non-overlapping); an empty match (the empty key, or an empty banlist,
// whose pattern is "") is recorded and the scan moves one character on.
// DCLM counts len(set(findall(url))): distinct matched texts.
//
// matcher walks the trie from each start position instead of compiling a
// regex: time linear in the URL length times the trie depth.
type matcher struct {
	nodes []trieNode
	// fold compares runes under Python's re.IGNORECASE (see foldRune).
	fold bool
	// words wraps the pattern in \b...\b.
	words bool
}

type trieNode struct {
	end bool // a key ends here
	// edges are sorted by the rune they match (folded under IGNORECASE),
	// then by the rank of their alternative in retrie's regex.
	edges []edge
	// ascii, for nodes with many edges, gives the index of the first edge
	// matching each ASCII rune, or -1.
	ascii *[128]int16
}

type edge struct {
	key   rune  // the key's rune, as given
	match rune  // the rune it matches: key, folded under IGNORECASE
	rank  int32 // position of its alternative in the node's regex
	child int32
}

// newMatcher builds a matcher for keys. An empty key set behaves as the
// empty pattern, which Python matches at every position.
func newMatcher(keys []string, fold, words bool) *matcher {
	m := &matcher{nodes: []trieNode{{}}, fold: fold, words: words}
	if len(keys) == 0 {
		keys = []string{""}
	}
	for _, k := range keys {
		n := 0
		for _, r := range k {
			n = m.child(n, r)
		}
		m.nodes[n].end = true
	}
	for i := range m.nodes {
		m.order(i)
	}
	return m
}

// child returns the child of node n along the key rune r, adding it.
func (m *matcher) child(n int, r rune) int {
	for _, e := range m.nodes[n].edges {
		if e.key == r {
			return int(e.child)
		}
	}
	c := int32(len(m.nodes))
	mr := r
	if m.fold {
		mr = text.FoldRune(r)
	}
	m.nodes[n].edges = append(m.nodes[n].edges, edge{key: r, match: mr, child: c})
	m.nodes = append(m.nodes, trieNode{})
	return int(c)
}

// order ranks node n's alternatives as retrie's Trie._pattern sorts them
// (by regex text: an escaped character, or "[" for a class of several
// leaves) and sorts its edges for lookup.
func (m *matcher) order(n int) {
	nd := &m.nodes[n]
	leaves := 0
	for _, e := range nd.edges {
		if m.isLeaf(e.child) {
			leaves++
		}
	}
	text := func(e edge) string {
		if m.isLeaf(e.child) && leaves > 1 {
			return "["
		}
		return reEscape(e.key)
	}
	alts := slices.Clone(nd.edges)
	slices.SortStableFunc(alts, func(a, b edge) int { return strings.Compare(text(a), text(b)) })
	rank := map[rune]int32{}
	for i, e := range alts {
		if m.isLeaf(e.child) && leaves > 1 {
			rank[e.key] = -1 // the class: ranked below
			continue
		}
		rank[e.key] = int32(i)
	}
	classRank := int32(slices.IndexFunc(alts, func(e edge) bool { return m.isLeaf(e.child) && leaves > 1 }))
	for i := range nd.edges {
		r := rank[nd.edges[i].key]
		if r < 0 {
			r = classRank
		}
		nd.edges[i].rank = r
	}
	slices.SortFunc(nd.edges, func(a, b edge) int {
		if a.match != b.match {
			return int(a.match) - int(b.match)
		}
		return int(a.rank - b.rank)
	})
	if len(nd.edges) > 8 && len(nd.edges) < 1<<15 {
		nd.ascii = new([128]int16)
		for i := range nd.ascii {
			nd.ascii[i] = -1
		}
		for i := len(nd.edges) - 1; i >= 0; i-- {
			if r := nd.edges[i].match; r < 128 {
				nd.ascii[r] = int16(i)
			}
		}
	}
}

func (m *matcher) isLeaf(n int32) bool {
	return m.nodes[n].end && len(m.nodes[n].edges) == 0
}

// reEscape is Python's re.escape for one character.
func reEscape(r rune) string {
	if strings.ContainsRune("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", r) {
		return "\\" + string(r)
	}
	return string(r)
}

// boundary reports whether Python's \b matches before rs[i].
func boundary(rs []rune, i int) bool {
	before := i > 0 && text.IsWord(rs[i-1])
	after := i < len(rs) && text.IsWord(rs[i])
	return before != after
}

// findAll returns the distinct texts matched in s, in order of first
// appearance, stopping once it has limit of them (limit <= 0: no limit).
func (m *matcher) findAll(s string, limit int) []string {
	rs := []rune(s)
	var found []string
	add := func(t string) bool {
		if !slices.Contains(found, t) {
			found = append(found, t)
		}
		return limit > 0 && len(found) >= limit
	}
	for pos := 0; pos <= len(rs); {
		end := -1
		if !m.words || boundary(rs, pos) {
			end = m.matchAt(rs, 0, pos)
		}
		switch {
		case end > pos:
			if add(string(rs[pos:end])) {
				return found
			}
			pos = end
		case end == pos:
			if add("") {
				return found
			}
			pos++
		default:
			pos++
		}
	}
	return found
}

// matchAt returns where the regex of node n, tried at rs[i:], ends its first
// successful match (trailing \b included), or -1: the alternatives that
// match rs[i] in rank order, then, if a key ends at n, the empty match.
func (m *matcher) matchAt(rs []rune, n, i int) int {
	nd := &m.nodes[n]
	if i < len(rs) && len(nd.edges) > 0 {
		r := rs[i]
		if m.fold {
			r = text.FoldRune(r)
		}
		j := 0
		switch {
		case nd.ascii != nil && r < 128:
			if j = int(nd.ascii[r]); j < 0 {
				j = len(nd.edges)
			}
		case len(nd.edges) > 8:
			j, _ = slices.BinarySearchFunc(nd.edges, r, func(e edge, r rune) int { return int(e.match) - int(r) })
		}
		for ; j < len(nd.edges) && nd.edges[j].match <= r; j++ {
			if nd.edges[j].match != r {
				continue
			}
			if end := m.matchAt(rs, int(nd.edges[j].child), i+1); end >= 0 {
				return end
			}
		}
	}
	if nd.end && (!m.words || boundary(rs, i)) {
		return i
	}
	return -1
}

// count returns len(set(findall(s))), counting no further than limit.
func (m *matcher) count(s string, limit int) int {
	return len(m.findAll(s, limit))
}
