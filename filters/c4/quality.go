package c4

import (
	"errors"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// The removal reasons of c4_quality, datatrove's.
const (
	ReasonLoremIpsum      = "lorem_ipsum"
	ReasonCurlyBracket    = "curly_bracket"
	ReasonTooFewSentences = "too_few_sentences"
)

// QualityParams are the parameters of c4_quality, with datatrove's names
// and defaults (C4QualityFilter).
type QualityParams struct {
	SplitParagraph        bool   `yaml:"split_paragraph" doc:"apply the line rules to the lines of str.splitlines (C4); false: to the sentences of spaCy's sentencizer, joined back with spaces"`
	RemoveCitations       bool   `yaml:"remove_citations" doc:"cut Wikipedia citations ([1], [edit], [citation needed]) from the lines"`
	FilterNoTerminalPunct bool   `yaml:"filter_no_terminal_punct" doc:"drop lines not ending in . ? ! \" ' or ending in ..."`
	MinNumSentences       int    `yaml:"min_num_sentences" doc:"remove documents with fewer sentences in the kept lines (too_few_sentences); -1 disables"`
	MinWordsPerLine       int    `yaml:"min_words_per_line" doc:"drop lines with fewer whitespace-separated words; -1 disables"`
	MaxWordLength         int    `yaml:"max_word_length" doc:"drop lines with a word longer than this many code points; -1 disables"`
	FilterLoremIpsum      bool   `yaml:"filter_lorem_ipsum" doc:"remove documents with a line containing \"lorem ipsum\" (lorem_ipsum)"`
	FilterJavascript      bool   `yaml:"filter_javascript" doc:"drop lines containing \"javascript\""`
	FilterCurlyBracket    bool   `yaml:"filter_curly_bracket" doc:"remove documents with a line containing \"{\" (curly_bracket)"`
	FilterPolicy          bool   `yaml:"filter_policy" doc:"drop lines containing a cookie or terms-of-use phrase (terms of use, privacy policy, cookie policy, uses cookies, use of cookies, use cookies)"`
	Language              string `yaml:"language" doc:"the language of the sentence tokenizer; only en (datatrove's English spaCy tokenizer) is supported"`
}

// DefaultQualityParams returns datatrove's defaults.
func DefaultQualityParams() QualityParams {
	return QualityParams{
		SplitParagraph: true, RemoveCitations: true, FilterNoTerminalPunct: true,
		MinNumSentences: 5, MinWordsPerLine: 3, MaxWordLength: 1000,
		FilterLoremIpsum: true, FilterJavascript: true, FilterCurlyBracket: true, FilterPolicy: true,
		Language: "en",
	}
}

// Validate checks the parameters.
func (p QualityParams) Validate() error {
	if p.Language != "en" {
		return errors.New("language: only en is supported")
	}
	return nil
}

// policySubstrings is datatrove's POLICY_SUBSTRINGS.
var policySubstrings = []string{"terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"}

type quality struct{ p QualityParams }

// Modify applies the rules; it removes the document with a reason or
// replaces its text with the kept lines.
func (f *quality) Modify(d *filters.Doc) (string, error) {
	var lines []string
	if f.p.SplitParagraph {
		lines = text.Splitlines(d.Text)
	} else {
		lines = sentences(d.Text)
	}
	numSentences := 0
	var kept []string
	for _, line := range lines {
		line = text.Strip(line)
		words := text.Fields(line)
		if f.p.MaxWordLength != -1 && hasLongWord(words, f.p.MaxWordLength) {
			continue
		}
		if f.p.RemoveCitations {
			line = removeCitations(line)
		}
		if f.p.FilterNoTerminalPunct && (!endsWithTerminal(line) || strings.HasSuffix(line, "...")) {
			continue
		}
		if len(words) < f.p.MinWordsPerLine {
			continue
		}
		lower := text.Lower(line)
		if f.p.FilterLoremIpsum && strings.Contains(lower, "lorem ipsum") {
			return ReasonLoremIpsum, nil
		}
		if f.p.FilterJavascript && strings.Contains(lower, "javascript") {
			continue
		}
		if f.p.FilterCurlyBracket && strings.Contains(line, "{") {
			return ReasonCurlyBracket, nil
		}
		if f.p.FilterPolicy && containsAny(lower, policySubstrings) {
			continue
		}
		if f.p.SplitParagraph {
			numSentences += countSentences(line)
		} else {
			numSentences++
		}
		kept = append(kept, line)
	}
	if numSentences < f.p.MinNumSentences {
		return ReasonTooFewSentences, nil
	}
	sep := "\n"
	if !f.p.SplitParagraph {
		sep = " "
	}
	if s := text.Strip(strings.Join(kept, sep)); s != d.Text {
		d.SetText(s)
	}
	return "", nil
}

func hasLongWord(words []string, max int) bool {
	for _, w := range words {
		if len(w) > max && text.RuneLen(w) > max {
			return true
		}
	}
	return false
}

// endsWithTerminal is line.endswith(END_PUNCTUATION).
func endsWithTerminal(line string) bool {
	if line == "" {
		return false
	}
	switch line[len(line)-1] {
	case '.', '?', '!', '"', '\'':
		return true
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// removeCitations is CITATION_REGEX.sub("", line) for the regex
// \[\d*]|\[edit]|\[citation needed] (\d: Unicode decimal digits).
func removeCitations(line string) string {
	if !strings.Contains(line, "[") {
		return line
	}
	var b strings.Builder
	i := 0
	for i < len(line) {
		if line[i] == '[' {
			if n := citationAt(line[i:]); n > 0 {
				i += n
				continue
			}
		}
		b.WriteByte(line[i])
		i++
	}
	return b.String()
}

// citationAt returns the length of a citation at the start of s, or 0.
func citationAt(s string) int {
	j := 1
	for j < len(s) {
		r, n := decodeRune(s[j:])
		if !text.IsDecimal(r) {
			break
		}
		j += n
	}
	if j < len(s) && s[j] == ']' {
		return j + 1
	}
	for _, c := range []string{"[edit]", "[citation needed]"} {
		if strings.HasPrefix(s, c) {
			return len(c)
		}
	}
	return 0
}

func init() {
	filters.Register(filters.Spec{Name: "c4_quality", Kind: filters.KindModifier,
		Doc: "C4's line and page rules (Raffel et al., 2020) as datatrove's C4QualityFilter runs them (c4_filters.py at datatrove commit f4233219): drops lines with an overlong word, without terminal punctuation, with too few words, mentioning javascript or a cookie/terms-of-use phrase, and cuts Wikipedia citations; removes pages with lorem ipsum (lorem_ipsum), a curly bracket (curly_bracket) or too few sentences in the kept lines (too_few_sentences); the text becomes the kept lines."},
		DefaultQualityParams(),
		func(p QualityParams, _ filters.Env) (any, error) { return &quality{p}, nil })
}
