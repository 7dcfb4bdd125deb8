package dedup

import (
	"fmt"
	"strings"
)

// Mode is a BFF removal mode.
type Mode string

// The modes of DCLM's BFF that curator implements.
const (
	// ModeOldBoth is DCLM's old-both (what DCLM-Baseline used): paragraph
	// removal, and the document emptied when more than threshold of all
	// its shingles were contained.
	ModeOldBoth Mode = "old-both"
	// ModeParagraph removes duplicate paragraphs only.
	ModeParagraph Mode = "paragraph"
	// ModeDocument treats the whole text as one unit.
	ModeDocument Mode = "document"
)

// ParseMode checks a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeOldBoth, ModeParagraph, ModeDocument:
		return m, nil
	}
	return "", fmt.Errorf("unknown bff mode %q (want old-both, paragraph or document)", s)
}

// Whole reports whether the mode makes the whole text one unit.
func (m Mode) Whole() bool { return m == ModeDocument }

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Decision is the verdict on one document.
type Decision struct {
	// Removed are the windows of the duplicate units, in order.
	Removed []Span
	// Empty says the whole document goes: old-both's document rule, or
	// the one unit of document mode was a duplicate.
	Empty bool
	// Contained counts the shingles found contained, each unit queried
	// before its own insertion (bff_contained_ngram_count_before_dedupe).
	Contained int
	// Total counts the document's shingles.
	Total int
}

// Decider makes BFF decisions. Its zero value is not useful: set Mode and
// Threshold (DCLM: 0.8).
type Decider struct {
	Mode      Mode
	Threshold float64
}

// Decide decides on the document whose shingles are s, reading and
// updating m as DCLM's sequential pass reads and updates its filter: for
// each unit in order, count the contained shingles, then insert the
// unit's shingles unless it is a duplicate (contained/total > threshold,
// strict; 0/0 is not). The result is written to dst, whose slices are
// reused.
func (d Decider) Decide(s *Shingles, m Membership, dst *Decision) {
	*dst = Decision{Removed: dst.Removed[:0]}
	for _, u := range s.Units {
		hs := s.Hashes[u.Lo:u.Hi]
		c := 0
		for _, h := range hs {
			if m.Contains(h) {
				c++
			}
		}
		dst.Total += len(hs)
		dst.Contained += c
		// float division as DCLM: 0/0 is NaN, and NaN > t is false.
		if float64(c)/float64(len(hs)) > d.Threshold {
			dst.Removed = append(dst.Removed, Span{u.Start, u.End})
			if d.Mode.Whole() {
				dst.Empty = true
			}
			continue
		}
		for _, h := range hs {
			m.Add(h)
		}
	}
	if d.Mode == ModeOldBoth && float64(dst.Contained)/float64(dst.Total) > d.Threshold {
		dst.Empty = true
	}
}

// Apply returns the text a decision leaves of text: "" when Empty, else the
// text without the removed windows (nothing trimmed).
func (dc *Decision) Apply(text string) string {
	if dc.Empty {
		return ""
	}
	if len(dc.Removed) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, w := range dc.Removed {
		b.WriteString(text[last:w.Start])
		last = w.End
	}
	b.WriteString(text[last:])
	return b.String()
}
