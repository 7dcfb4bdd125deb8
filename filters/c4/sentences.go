package c4

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters/gopher"
	"github.com/curator-dev/curator/filters/text"
)

// sentencePunct is spaCy's Sentencizer.default_punct_chars
// (spacy/pipeline/sentencizer.pyx).
var sentencePunct = func() map[string]bool {
	chars := []string{"!", ".", "?", "։", "؟", "۔", "܀", "܁", "܂", "߹",
		"।", "॥", "၊", "။", "።", "፧", "፨", "᙮", "᜵", "᜶", "᠃", "᠉", "᥄",
		"᥅", "᪨", "᪩", "᪪", "᪫", "᭚", "᭛", "᭞", "᭟", "᰻", "᰼", "᱾", "᱿",
		"‼", "‽", "⁇", "⁈", "⁉", "⸮", "⸼", "꓿", "꘎", "꘏", "꛳", "꛷", "꡶",
		"꡷", "꣎", "꣏", "꤯", "꧈", "꧉", "꩝", "꩞", "꩟", "꫰", "꫱", "꯫", "﹒",
		"﹖", "﹗", "！", "．", "？", "𐩖", "𐩗", "𑁇", "𑁈", "𑂾", "𑂿", "𑃀",
		"𑃁", "𑅁", "𑅂", "𑅃", "𑇅", "𑇆", "𑇍", "𑇞", "𑇟", "𑈸", "𑈹", "𑈻", "𑈼",
		"𑊩", "𑑋", "𑑌", "𑗂", "𑗃", "𑗉", "𑗊", "𑗋", "𑗌", "𑗍", "𑗎", "𑗏", "𑗐",
		"𑗑", "𑗒", "𑗓", "𑗔", "𑗕", "𑗖", "𑗗", "𑙁", "𑙂", "𑜼", "𑜽", "𑜾", "𑩂",
		"𑩃", "𑪛", "𑪜", "𑱁", "𑱂", "𖩮", "𖩯", "𖫵", "𖬷", "𖬸", "𖭄", "𛲟", "𝪈",
		"｡", "。"}
	m := make(map[string]bool, len(chars))
	for _, c := range chars {
		m[c] = true
	}
	return m
}()

// isPunctToken is spaCy's Token.is_punct (lex_attrs.is_punct): every
// character's Unicode category is P*.
func isPunctToken(tok string) bool {
	for _, r := range tok {
		if !unicode.IsPunct(r) {
			return false
		}
	}
	return true
}

// sentences returns the sentences spaCy's sentencizer finds in s (as
// spans of tokens) after datatrove's strip_strings: a new sentence starts
// at the first token after a token of sentencePunct that is neither
// punctuation nor in sentencePunct. It returns the sentences as strings
// joined from s.
func sentences(s string) []string {
	toks := gopher.EnglishWords(s)
	if len(toks) == 0 {
		return nil
	}
	var out []string
	start := 0 // byte offset in s of the current sentence's first token
	seenPeriod := false
	pos := 0 // byte offset in s after the previous token
	for i, tok := range toks {
		at, n := pos, 0
		if j := strings.Index(s[pos:], tok); j >= 0 {
			at, n = pos+j, len(tok)
		}
		if i == 0 {
			start = at
		}
		inPunct := sentencePunct[tok]
		if seenPeriod && !isPunctToken(tok) && !inPunct {
			out = appendStripped(out, s[start:at])
			start = at
			seenPeriod = false
		} else if inPunct {
			seenPeriod = true
		}
		pos = at + n
	}
	return appendStripped(out, s[start:pos])
}

func appendStripped(out []string, s string) []string {
	if s = text.Strip(s); s != "" {
		out = append(out, s)
	}
	return out
}

// countSentences is len(sent_tokenize(s)).
func countSentences(s string) int { return len(sentences(s)) }

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
