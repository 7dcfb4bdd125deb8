package c4

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// ParagraphParams are the parameters of c4_paragraph: mC4's paragraph
// filter, whose values datatrove's C4ParagraphFilter fixes (curator lets a
// recipe change them).
type ParagraphParams struct {
	MinParagraphs   int `yaml:"min_paragraphs" decide:"true" doc:"remove documents with fewer lines (split at \\n) than this"`
	MinParagraphLen int `yaml:"min_paragraph_len" decide:"true" doc:"remove documents whose three longest lines are not all at least this many code points long (fewer than three lines: all of them)"`
}

// DefaultParagraphParams returns datatrove's (and mC4's) values.
func DefaultParagraphParams() ParagraphParams {
	return ParagraphParams{MinParagraphs: 3, MinParagraphLen: 200}
}

// Validate checks the parameters.
func (p ParagraphParams) Validate() error {
	if p.MinParagraphs < 1 || p.MinParagraphLen < 0 {
		return errors.New("min_paragraphs must be at least 1 and min_paragraph_len at least 0")
	}
	return nil
}

// ParagraphReason is c4_paragraph's removal reason for min_paragraphs,
// datatrove's f"< {self.min_paragraphs} paragraphs".
func ParagraphReason(minParagraphs int) string { return fmt.Sprintf("< %d paragraphs", minParagraphs) }

type paragraph struct {
	p      ParagraphParams
	reason string // ParagraphReason(p.MinParagraphs)
}

// measureParagraphs returns the number of lines and the shortest of the
// three longest lines' lengths in code points (heapq.nlargest(3, ...):
// three whatever min_paragraphs, as in mC4).
func measureParagraphs(s string) (lines, top3 int) {
	var top [3]int // the longest lengths so far, longest first
	k := 0
	for line := range strings.SplitSeq(s, "\n") {
		lines++
		n := text.RuneLen(line)
		switch {
		case k < len(top):
			top[k] = n
			k++
		case n > top[k-1]:
			top[k-1] = n
		default:
			continue
		}
		for i := k - 1; i > 0 && top[i] > top[i-1]; i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	return lines, top[k-1]
}

func (f *paragraph) decide(lines, top3 int) string {
	if lines < f.p.MinParagraphs || top3 < f.p.MinParagraphLen {
		return f.reason
	}
	return ""
}

// Filter implements filters.Filter.
func (f *paragraph) Filter(d *filters.Doc) (string, error) {
	return f.decide(measureParagraphs(d.Text)), nil
}

// Measure implements filters.Decider.
func (f *paragraph) Measure(d *filters.Doc) (filters.Measurements, error) {
	lines, top3 := measureParagraphs(d.Text)
	return filters.Measurements{"lines": lines, "top3_min_len": top3}, nil
}

func readParagraphs(m filters.Measurements) (lines, top3 int, err error) {
	if lines, err = m.Int("lines"); err != nil {
		return 0, 0, err
	}
	if top3, err = m.Int("top3_min_len"); err != nil {
		return 0, 0, err
	}
	if lines < 1 {
		return 0, 0, errors.New("measurement lines must be at least 1")
	}
	return lines, top3, nil
}

// Decide implements filters.Decider.
func (f *paragraph) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	lines, top3, err := readParagraphs(m)
	if err != nil {
		return "", err
	}
	return f.decide(lines, top3), nil
}

// Gauges implements filters.Gauger: the shortest of the three longest
// lines, NaN when the document has fewer than min_paragraphs lines.
func (f *paragraph) Gauges() []filters.Gauge {
	return []filters.Gauge{filters.CountGauge("paragraph_len", "code points of the shortest of the three longest lines (NaN: fewer than min_paragraphs lines)",
		filters.Threshold{Param: "min_paragraph_len", Value: float64(f.p.MinParagraphLen), Keep: ">="})}
}

// GaugeValues implements filters.Gauger.
func (f *paragraph) GaugeValues(m filters.Measurements, values []float64) error {
	if err := filters.WantGauges(values, 1); err != nil {
		return err
	}
	lines, top3, err := readParagraphs(m)
	if err != nil {
		return err
	}
	values[0] = math.NaN()
	if lines >= f.p.MinParagraphs {
		values[0] = float64(top3)
	}
	return nil
}

func init() {
	filters.Register(filters.Spec{Name: "c4_paragraph", Kind: filters.KindFilter,
		Doc: "mC4's paragraph rule as datatrove's C4ParagraphFilter runs it (c4_filters.py at datatrove commit 10c00469): removes documents with fewer than min_paragraphs lines or whose three longest lines are not all min_paragraph_len code points long, with datatrove's reason \"< 3 paragraphs\" (the number is min_paragraphs)."},
		DefaultParagraphParams(),
		func(p ParagraphParams, _ filters.Env) (any, error) {
			return &paragraph{p: p, reason: ParagraphReason(p.MinParagraphs)}, nil
		})
}
