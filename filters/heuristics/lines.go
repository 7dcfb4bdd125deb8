package heuristics

import (
	"errors"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// rewriteLines keeps the lines of d.Text.split("\n") for which keep is
// true, joins them with "\n" and, if strip, strips the result (Python
// str.strip). It changes d's text only if the result differs, and returns
// "empty" when nothing is left, as DCLM's line modifiers remove such pages.
func rewriteLines(d *filters.Doc, strip bool, keep func(i int, line string) bool) string {
	return editLines(d, strip, func(i int, line string) (string, bool) { return line, keep(i, line) })
}

// editLines is rewriteLines with lines that may also change: edit returns
// the new line and whether to keep it. Lines are numbered from 0.
func editLines(d *filters.Doc, strip bool, edit func(i int, line string) (string, bool)) string {
	s := d.Text
	var b *strings.Builder
	first := true
	start := 0
	for n := 0; ; n++ {
		i := strings.IndexByte(s[start:], '\n')
		end := len(s)
		if i >= 0 {
			end = start + i
		}
		line := s[start:end]
		nl, keep := edit(n, line)
		if b == nil && (!keep || nl != line) {
			b = &strings.Builder{}
			b.Grow(len(s))
			if start > 0 {
				b.WriteString(s[:start-1]) // the lines so far, kept unchanged
			}
		}
		if keep {
			if b != nil {
				if !first {
					b.WriteByte('\n')
				}
				b.WriteString(nl)
			}
			first = false
		}
		if i < 0 {
			break
		}
		start = end + 1
	}
	out := s
	if b != nil {
		out = b.String()
	}
	if strip {
		out = text.Strip(out)
	}
	if out == "" {
		return "empty"
	}
	if out != d.Text {
		d.SetText(out)
	}
	return ""
}

// NewlineRemovalParams are the parameters of newline_removal_modifier.
type NewlineRemovalParams struct {
	MaxConsecutive int `yaml:"max_consecutive" doc:"longer runs of \\n are cut to this many"`
}

// Validate checks the parameters.
func (p NewlineRemovalParams) Validate() error {
	if p.MaxConsecutive < 0 {
		return errors.New("max_consecutive is negative")
	}
	return nil
}

type newlineRemoval struct{ p NewlineRemovalParams }

// Modify implements filters.Modifier.
func (m *newlineRemoval) Modify(d *filters.Doc) (string, error) {
	s := d.Text
	k := m.p.MaxConsecutive
	// Find the first run longer than k.
	run := strings.Repeat("\n", k+1)
	i := strings.Index(s, run)
	if i < 0 {
		return "", nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		j := i
		for j < len(s) && s[j] == '\n' {
			j++
		}
		b.WriteString(run[:k])
		s = s[j:]
		i = strings.Index(s, run)
	}
	b.WriteString(s)
	d.SetText(b.String())
	return "", nil
}

// LineRatioParams are the parameters of uppercase_ratio_line_modifier and
// numeric_ratio_line_modifier.
type LineRatioParams struct {
	MaxRatio float64 `yaml:"max_ratio" doc:"remove lines in which the fraction of matching characters (of all code points) is above this"`
}

type charRatioLines struct {
	p     LineRatioParams
	digit bool // count digits, not uppercase characters
}

// Modify implements filters.Modifier.
func (m *charRatioLines) Modify(d *filters.Doc) (string, error) {
	stats := LineStats(d)
	return rewriteLines(d, true, func(i int, line string) bool {
		st := stats[i]
		if st.Runes == 0 {
			return true
		}
		n := st.Upper
		if m.digit {
			n = st.Digit
		}
		return float64(n)/float64(st.Runes) <= m.p.MaxRatio
	}), nil
}

// NoParams is the parameter struct of steps without parameters.
type NoParams struct{}

type counterLines struct{}

func (counterLines) Modify(d *filters.Doc) (string, error) {
	return rewriteLines(d, true, func(_ int, line string) bool { return !isCounterLine(line) }), nil
}

// LineLengthParams are the parameters of line_length_modifier.
type LineLengthParams struct {
	MinLength int `yaml:"min_length" doc:"remove non-empty lines with fewer str.split words"`
	MaxLength int `yaml:"max_length" doc:"remove non-empty lines with more str.split words; -1 for no maximum"`
}

type lineLength struct{ p LineLengthParams }

// Modify implements filters.Modifier.
func (m *lineLength) Modify(d *filters.Doc) (string, error) {
	stats := LineStats(d)
	return rewriteLines(d, false, func(i int, line string) bool {
		if line == "" {
			return true
		}
		n := int(stats[i].Words)
		return m.p.MinLength <= n && (m.p.MaxLength == noMax || n <= m.p.MaxLength)
	}), nil
}

func init() {
	filters.Register(filters.Spec{Name: "newline_removal_modifier", Kind: filters.KindModifier,
		Doc: "Cuts every run of more than max_consecutive newlines to max_consecutive newlines."},
		NewlineRemovalParams{MaxConsecutive: 2},
		func(p NewlineRemovalParams, _ filters.Env) (any, error) { return &newlineRemoval{p}, nil })
	filters.Register(filters.Spec{Name: "uppercase_ratio_line_modifier", Kind: filters.KindModifier,
		Doc: "Removes lines whose fraction of uppercase characters (Python isupper) is above max_ratio, then strips the text; removes the document if nothing is left."},
		LineRatioParams{MaxRatio: 0.5},
		func(p LineRatioParams, _ filters.Env) (any, error) { return &charRatioLines{p, false}, nil })
	filters.Register(filters.Spec{Name: "numeric_ratio_line_modifier", Kind: filters.KindModifier,
		Doc: "Removes lines whose fraction of digits (Python isdigit) is above max_ratio, then strips the text; removes the document if nothing is left."},
		LineRatioParams{MaxRatio: 1.0},
		func(p LineRatioParams, _ filters.Env) (any, error) { return &charRatioLines{p, true}, nil })
	filters.Register(filters.Spec{Name: "counter_line_modifier", Kind: filters.KindModifier,
		Doc: "Removes lines that are social-media counters (\"1.2K likes\", \"35 views\"), then strips the text; removes the document if nothing is left."},
		NoParams{},
		func(NoParams, filters.Env) (any, error) { return counterLines{}, nil })
	filters.Register(filters.Spec{Name: "line_length_modifier", Kind: filters.KindModifier,
		Doc: "Removes non-empty lines whose str.split word count is outside [min_length, max_length] (whitespace-only lines too); no strip; removes the document if nothing is left."},
		LineLengthParams{MinLength: 0, MaxLength: noMax},
		func(p LineLengthParams, _ filters.Env) (any, error) { return &lineLength{p}, nil })
}
