package heuristics

import (
	"fmt"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// Memo keys of values derived from the current text, shared by the steps of
// this package (and by any other package that uses the same keys).
const (
	memoLines      = "dclm.lines"       // []string: split_paragraphs(text, "\n")
	memoParagraphs = "dclm.paragraphs"  // []string: split_paragraphs(text, "\n\n")
	memoFields     = "dclm.split"       // []string: text.split()
	memoUAXWords   = "dclm.uniseg"      // []string: uniseg words, first char alnum
	memoFieldStats = "dclm.split.stats" // FieldStats of text.split()
	memoLineStats  = "dclm.line.stats"  // []text.LineStat of text.split("\n")
)

// Lines returns DCLM's split_paragraphs(d.Text, "\n") for the current text.
func Lines(d *filters.Doc) []string {
	return d.Memo(memoLines, func(s string) any { return text.SplitParagraphs(s, "\n") }).([]string)
}

// Paragraphs returns DCLM's split_paragraphs(d.Text, "\n\n").
func Paragraphs(d *filters.Doc) []string {
	return d.Memo(memoParagraphs, func(s string) any { return text.SplitParagraphs(s, "\n\n") }).([]string)
}

// Fields returns Python's d.Text.split().
func Fields(d *filters.Doc) []string {
	return d.Memo(memoFields, func(s string) any { return text.Fields(s) }).([]string)
}

// UAXWords returns DCLM's split_words(d.Text, model="uniseg",
// ignore_punctuation=True).
func UAXWords(d *filters.Doc) []string {
	return d.Memo(memoUAXWords, func(s string) any { return text.UAXWords(s) }).([]string)
}

// FieldStats summarizes Python's d.Text.split().
type FieldStats = text.SplitStats

// SplitStats returns the FieldStats of the current text.
func SplitStats(d *filters.Doc) FieldStats {
	return d.Memo(memoFieldStats, func(s string) any { return text.CountSplit(s) }).(FieldStats)
}

// LineStats returns text.LineStats of the current text: per line of
// text.split("\n"), its characters, uppercase characters, digits and words.
func LineStats(d *filters.Doc) []text.LineStat {
	return d.Memo(memoLineStats, func(s string) any { return text.LineStats(s) }).([]text.LineStat)
}

// Tokenizer models of DCLM's split_words.
const (
	ModelFastText = "fasttext"
	ModelUniseg   = "uniseg"
	ModelSplit    = "split"
)

func checkModel(m string) error {
	switch m {
	case ModelFastText, ModelUniseg, ModelSplit:
		return nil
	}
	return fmt.Errorf("model %q: want fasttext, uniseg or split", m)
}

// WordCount is len(split_words(d.Text, model, ignore_punctuation,
// ignore_whitespace)) in DCLM, memoized per text.
func WordCount(d *filters.Doc, model string, ignorePunct, ignoreSpace bool) int {
	key := fmt.Sprintf("dclm.count.%s.%t.%t", model, ignorePunct, ignoreSpace)
	switch {
	case model == ModelFastText && ignoreSpace:
		key = "dclm.count.ft.p"
		if !ignorePunct {
			key = "dclm.count.ft"
		}
	}
	return d.Memo(key, func(s string) any { return countWords(s, model, ignorePunct, ignoreSpace) }).(int)
}

func countWords(s, model string, ignorePunct, ignoreSpace bool) int {
	n := 0
	keep := func(w string) bool {
		if keepToken(w, ignorePunct, ignoreSpace) {
			n++
		}
		return true
	}
	switch model {
	case ModelFastText:
		if ignoreSpace {
			return text.FastTextCount(s, ignorePunct)
		}
		text.FastTextTokens(s, keep)
	case ModelUniseg:
		text.UAXWordsFunc(s, keep)
	case ModelSplit:
		text.FieldsFunc(s, keep)
	}
	return n
}

// keepToken applies split_words' filters to one non-empty token.
func keepToken(w string, ignorePunct, ignoreSpace bool) bool {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case ignorePunct && ignoreSpace:
		return text.IsAlnum(r)
	case ignorePunct:
		return text.IsAlnum(r) || text.IsSpace(r)
	case ignoreSpace:
		return text.Strip(w) != ""
	}
	return true
}

// noMax is the value of a maximum-length parameter that sets no maximum.
const noMax = -1
