package c4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
	"github.com/curator-dev/curator/filters/urlfilter"
)

// ReasonBadWords is c4_badwords' removal reason, datatrove's.
const ReasonBadWords = "document_removed_with_badwords"

// ldnoobwEN is the LDNOOBW English list, built into package urlfilter
// (source and licence: testdata/urlfilter/SOURCES.md).
var ldnoobwEN = func() []byte {
	b, err := urlfilter.EmbeddedBanlist("ldnoobw.txt")
	if err != nil {
		panic(err) // embedded in the binary: cannot happen
	}
	return b
}()

// badwordsAllow is the union of datatrove's _BADWORDS_ALLOWLIST, which
// datatrove subtracts from every language's list.
var badwordsAllow = []string{"sm", "グロ", "女の子", "性"}

// BadWordsParams are the parameters of c4_badwords, with datatrove's names
// and defaults (C4BadWordsFilter) and two of curator's.
type BadWordsParams struct {
	KeepFraction          float64 `yaml:"keep_fraction" doc:"fraction of the documents with a bad word to keep anyway, chosen deterministically from seed and the text (not datatrove's random draw)"`
	FailOnMissingLanguage bool    `yaml:"fail_on_missing_language" doc:"fail on a document whose language has no list; false: keep it"`
	Seed                  int64   `yaml:"seed" doc:"seed of the keep_fraction choice"`
	DefaultLanguage       string  `yaml:"default_language" doc:"the language of documents without language_signal"`
	LanguageSignal        string  `yaml:"language_signal" doc:"string signal holding a document's language code (datatrove reads metadata language); empty: every document is in default_language"`
	BadwordsFile          string  `yaml:"badwords_file" file:"true" doc:"file of bad words, one a line, for badwords_language, relative to the recipe; empty: the built-in LDNOOBW English list for en"`
	BadwordsLanguage      string  `yaml:"badwords_language" doc:"the language badwords_file is for"`
}

// DefaultBadWordsParams returns datatrove's defaults.
func DefaultBadWordsParams() BadWordsParams {
	return BadWordsParams{FailOnMissingLanguage: true, DefaultLanguage: "en", BadwordsLanguage: "en"}
}

// Validate checks the parameters.
func (p BadWordsParams) Validate() error {
	if math.IsNaN(p.KeepFraction) || p.KeepFraction < 0 || p.KeepFraction > 1 {
		return errors.New("keep_fraction must be in [0, 1]")
	}
	if p.DefaultLanguage == "" {
		return errors.New("default_language is empty")
	}
	return nil
}

// matcher finds the words of one list as datatrove's regex does.
type matcher struct {
	// byFirst holds the words by their first byte; empty holds whether
	// the empty string is a word.
	byFirst map[byte][]string
	empty   bool
	// noBoundary: ja, th and zh match without word separations.
	noBoundary bool
}

func newMatcher(list []byte, lang string) *matcher {
	m := &matcher{byFirst: map[byte][]string{}, noBoundary: lang == "ja" || lang == "th" || lang == "zh"}
	seen := map[string]bool{}
	for _, a := range badwordsAllow {
		seen[a] = true // subtracted
	}
	sc := bufio.NewScanner(bytes.NewReader(list))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		w := text.Strip(sc.Text())
		if seen[w] {
			continue
		}
		seen[w] = true
		if w == "" {
			m.empty = true
			continue
		}
		m.byFirst[w[0]] = append(m.byFirst[w[0]], w)
	}
	return m
}

// match reports whether the lower-cased text s holds a word at a position
// flanked by non-word characters (Python's \W) or s's ends.
func (m *matcher) match(s string) bool {
	for i := 0; i <= len(s); {
		boundaryBefore := m.noBoundary || i == 0 || !isWordBefore(s, i)
		var next int
		if i < len(s) {
			_, n := utf8.DecodeRuneInString(s[i:])
			next = i + n
		} else {
			next = i + 1
		}
		if !boundaryBefore {
			i = next
			continue
		}
		if m.empty && (m.noBoundary || boundaryAt(s, i)) {
			return true
		}
		if i < len(s) {
			for _, w := range m.byFirst[s[i]] {
				if strings.HasPrefix(s[i:], w) && (m.noBoundary || boundaryAt(s, i+len(w))) {
					return true
				}
			}
		}
		i = next
	}
	return false
}

// isWordBefore reports whether the rune ending s[:i] is a word character.
func isWordBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return text.IsWord(r)
}

// boundaryAt is (?:\W|$) at i.
func boundaryAt(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !text.IsWord(r)
}

type badWords struct {
	p     BadWordsParams
	lists map[string]*matcher
}

// Filter removes documents with a bad word, keeping keep_fraction of them.
func (f *badWords) Filter(d *filters.Doc) (string, error) {
	lang := f.p.DefaultLanguage
	if f.p.LanguageSignal != "" {
		if v, ok := d.Signal(f.p.LanguageSignal); ok {
			if s, ok := v.(string); ok && s != "" {
				lang = s
			}
		}
	}
	m, ok := f.lists[lang]
	if !ok {
		if f.p.FailOnMissingLanguage {
			return "", fmt.Errorf("c4_badwords: document %s: no badwords list for language %q (set fail_on_missing_language: false to keep such documents)", d.ID, lang)
		}
		return "", nil
	}
	if !m.match(text.Lower(d.Text)) {
		return "", nil
	}
	if f.p.KeepFraction > 0 && uniform(f.p.Seed, d.Text) < f.p.KeepFraction {
		return "", nil
	}
	return ReasonBadWords, nil
}

// uniform is a number in [0, 1) determined by seed and s: the top 53 bits
// of SHA-256(seed as 8 little-endian bytes, s).
func uniform(seed int64, s string) float64 {
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	h.Write([]byte(s))
	sum := h.Sum(nil)
	return float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
}

func newBadWords(p BadWordsParams, env filters.Env) (*badWords, error) {
	f := &badWords{p: p, lists: map[string]*matcher{}}
	if p.BadwordsFile == "" {
		f.lists["en"] = newMatcher(ldnoobwEN, "en")
		return f, nil
	}
	if env.ParseOnly {
		return f, nil
	}
	path := env.Path(p.BadwordsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("c4_badwords: badwords_file: %w", err)
	}
	f.lists[p.BadwordsLanguage] = newMatcher(b, p.BadwordsLanguage)
	if p.BadwordsLanguage != "en" {
		f.lists["en"] = newMatcher(ldnoobwEN, "en")
	}
	return f, nil
}

func init() {
	filters.Register(filters.Spec{Name: "c4_badwords", Kind: filters.KindFilter,
		Doc: "C4's bad-words rule as datatrove's C4BadWordsFilter runs it (c4_filters.py at datatrove commit f4233219): removes documents whose lower-cased text holds a word of the LDNOOBW list between non-word characters (document_removed_with_badwords), keeping keep_fraction of them by a deterministic choice from seed and the text."},
		DefaultBadWordsParams(),
		func(p BadWordsParams, env filters.Env) (any, error) { return newBadWords(p, env) })
}
