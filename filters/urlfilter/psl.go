package urlfilter

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// publicSuffixList is the Public Suffix List (publicsuffix.org, MPL-2.0),
// the snapshot of 2023-02-09 that Debian's publicsuffix package
// 20230209.2326-1 ships, unmodified. tldextract fetches the current list
// when it starts; a fixed snapshot keeps url_filter's decisions the same
// on every machine and every day.
//
//go:embed data/public_suffix_list.dat
var publicSuffixList string

// pslNode is a node of tldextract's suffix trie: the labels of a rule from
// the right ("co.uk": "uk", then "co"), wildcards as "*" and exceptions as
// "!label".
type pslNode struct {
	children map[string]*pslNode
	end      bool // a rule ends here
}

var (
	icannOnce sync.Once
	icannTrie *pslNode
)

// icannRules returns the trie of the list's ICANN rules (the part before
// "// ===BEGIN PRIVATE DOMAINS==="), tldextract's default.
func icannRules() *pslNode {
	icannOnce.Do(func() {
		text, _, _ := strings.Cut(publicSuffixList, "// ===BEGIN PRIVATE DOMAINS===")
		icannTrie = &pslNode{}
		for line := range strings.Lines(text) {
			if rule, ok := pslRule(line); ok {
				icannTrie.add(rule)
			}
		}
	})
	return icannTrie
}

// pslRule is tldextract's PUBLIC_SUFFIX_RE, ^(?P<suffix>[.*!]*\w[\S]*):
// at the start of a line, any of ".*!", a word character, then everything
// up to white space.
func pslRule(line string) (string, bool) {
	rest := strings.TrimLeft(line, ".*!")
	r := []rune(rest)
	if len(r) == 0 || !(unicode.IsLetter(r[0]) || unicode.IsDigit(r[0]) || r[0] == '_' || unicode.Is(unicode.Mn, r[0])) {
		return "", false
	}
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		line = line[:i]
	}
	return line, true
}

func (n *pslNode) add(rule string) {
	labels := strings.Split(rule, ".")
	for i := len(labels) - 1; i >= 0; i-- {
		if n.children == nil {
			n.children = map[string]*pslNode{}
		}
		c, ok := n.children[labels[i]]
		if !ok {
			c = &pslNode{}
			n.children[labels[i]] = c
		}
		n = c
	}
	n.end = true
}

// suffixIndex is tldextract's Trie walk (_PublicSuffixListTLDExtractor.
// suffix_index): the index of the first label of the public suffix of
// labels (lower-cased, punycode-decoded), or len(labels) when none.
func (n *pslNode) suffixIndex(labels []string) int {
	i, j := len(labels), len(labels)
	for k := len(labels) - 1; k >= 0; k-- {
		label := labels[k]
		if c, ok := n.children[label]; ok {
			j--
			n = c
			if n.end {
				i = j
			}
			continue
		}
		if _, wildcard := n.children["*"]; wildcard {
			if _, exception := n.children["!"+label]; exception {
				return j
			}
			return j - 1
		}
		break
	}
	return i
}
