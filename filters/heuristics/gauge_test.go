package heuristics_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/heuristics"
)

// gaugeTally counts, per step, the removed documents checkRemovalGauge
// found a violated threshold for.
type gaugeTally map[string]int

// checkRemovalGauge checks that a document the step removes has a gauge
// value that violates a threshold: the gauge of the failing check. Every
// filter of this package removes by thresholds only, but for documents
// with nothing to compare (no words, no lines, no paragraphs), which have
// a NaN value there. For massive_web_repetition_filters, the gauge named
// by the reason (the reason, or the reason + "_char_frac") must violate
// its threshold. With CheckGauges (kept documents pass every threshold)
// this makes removal and violation the same thing.
func checkRemovalGauge(use string, step any, d *filters.Doc, tally gaugeTally) error {
	g, ok := step.(filters.Gauger)
	if !ok {
		return fmt.Errorf("%T is not a Gauger", step)
	}
	reason, err := g.Filter(d.Clone())
	if err != nil || reason == "" {
		return nil
	}
	m, err := g.Measure(d.Clone())
	if err != nil {
		return err
	}
	gs := g.Gauges()
	vals := make([]float64, len(gs))
	if err := g.GaugeValues(m, vals); err != nil {
		return err
	}
	idx := 0 // the deciding gauge: the only one but for repetition
	if use == "massive_web_repetition_filters" {
		idx = -1
		for i, x := range gs {
			if x.Name == reason || x.Name == reason+"_char_frac" {
				idx = i
			}
		}
		if idx < 0 && reason != "empty" && reason != "dup_para_frac" {
			return fmt.Errorf("document %s removed as %q: no gauge of that name", d.ID, reason)
		}
	}
	var v float64
	if idx >= 0 {
		v = vals[idx]
	}
	if idx < 0 || math.IsNaN(v) {
		// Nothing compared: only for documents without words, lines or
		// paragraphs.
		switch reason {
		case "no_words", "empty", "dup_para_frac":
			return nil
		}
		return fmt.Errorf("document %s removed as %q with gauge values %v: none defined", d.ID, reason, vals)
	}
	for _, t := range gs[idx].Thresholds {
		if !t.Satisfied(v) {
			tally[use]++
			return nil
		}
	}
	return fmt.Errorf("document %s removed as %q, but gauge %s = %v passes its thresholds %+v (measurements %v)",
		d.ID, reason, gs[idx].Name, v, gs[idx].Thresholds, m)
}

// TestGaugesHaveNames checks the gauge names of the default builds, and
// that skip_paragraph drops the two paragraph gauges.
func TestGaugesHaveNames(t *testing.T) {
	want := map[string]string{
		"page_length_filter":           "words",
		"word_length_filter":           "mean_word_length",
		"symbol_ratio_filter":          "symbol_word_ratio",
		"bullet_count_filter":          "bullet_line_ratio",
		"ellipsis_count_filter":        "ellipsis_line_ratio",
		"alphabetic_word_ratio_filter": "non_alpha_word_ratio",
		"stop_word_filter":             "stop_words",
		"word_removal_ratio_filter":    "removed_word_ratio",
		"massive_web_repetition_filters": "dup_line_frac dup_para_frac dup_line_char_frac dup_para_char_frac " +
			"top_2gram_char_frac top_3gram_char_frac top_4gram_char_frac dup_5gram_char_frac dup_6gram_char_frac " +
			"dup_7gram_char_frac dup_8gram_char_frac dup_9gram_char_frac dup_10gram_char_frac",
	}
	for use, names := range want {
		e, ok := filters.Lookup(use)
		if !ok {
			t.Fatalf("%s is not registered", use)
		}
		st, err := e.Build(e.Defaults(), filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		g, ok := st.(filters.Gauger)
		if !ok {
			t.Errorf("%s is not a Gauger", use)
			continue
		}
		var got []string
		for _, x := range g.Gauges() {
			if err := x.Check(); err != nil {
				t.Errorf("%s: %v", use, err)
			}
			if len(x.Thresholds) == 0 {
				t.Errorf("%s: gauge %s has no threshold", use, x.Name)
			}
			got = append(got, x.Name)
		}
		if strings.Join(got, " ") != names {
			t.Errorf("%s: gauges %v, want %s", use, got, names)
		}
	}
}

// TestRepetitionGaugesSkipParagraph checks that skip_paragraph drops the
// paragraph gauges, and that GaugeValues wants one value per gauge.
func TestRepetitionGaugesSkipParagraph(t *testing.T) {
	e, _ := filters.Lookup("massive_web_repetition_filters")
	p := heuristics.DefaultRepetitionParams()
	p.SkipParagraph = true
	st, err := e.Build(p, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	g := st.(filters.Gauger)
	var names []string
	for _, x := range g.Gauges() {
		names = append(names, x.Name)
	}
	if len(names) != 11 || strings.Contains(strings.Join(names, " "), "para") {
		t.Errorf("gauges %v", names)
	}
	d := &filters.Doc{ID: "x", Text: "a b a b\na b a b\nc"}
	m, err := g.Measure(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.GaugeValues(m, make([]float64, 13)); err == nil {
		t.Error("GaugeValues fills 13 values for 11 gauges")
	}
	vals := make([]float64, 11)
	if err := g.GaugeValues(m, vals); err != nil {
		t.Fatal(err)
	}
	// 2 of 3 lines duplicated, holding 14 of 15 line characters; the
	// words a b a b a b a b c: the 2-gram "a b" 4 times (and "b a" 3
	// times): 4*2 of 9 characters; 3-grams "a b a" 3 times, 3*3 of 9;
	// 4-grams "a b a b" 3 times, 3*4 of 9; the 5-grams "a b a b a" at 0
	// and 2, "b a b a b" at 1 and 3, cover words 0..7: 8 of 9.
	want := []float64{2.0 / 3, 14.0 / 15, 8.0 / 9, 9.0 / 9, 12.0 / 9, 8.0 / 9}
	for i, w := range want {
		if vals[i] != w {
			t.Errorf("gauge %s = %v, want %v", names[i], vals[i], w)
		}
	}
	if r, _ := g.Filter(d.Clone()); r != "dup_line_frac" {
		t.Errorf("reason %q", r)
	}
}

// TestLineRatioRounding checks the bullet and ellipsis gauges where the
// ratio and DCLM's product round apart: 63 bullet lines of 90 are 0.7 as a
// ratio, but 63 > 0.7*90 = 62.99999999999999 removes the document, so its
// gauge value must be past the threshold 0.7.
func TestLineRatioRounding(t *testing.T) {
	var b, e strings.Builder
	for i := range 90 {
		if i < 63 {
			b.WriteString("- item\n")
			e.WriteString("more...\n")
		} else {
			b.WriteString("text\n")
			e.WriteString("text\n")
		}
	}
	for _, c := range []struct {
		use    string
		params any
		text   string
	}{
		{"bullet_count_filter", heuristics.BulletCountParams{MaxBulletStartRatio: 0.7}, b.String()},
		{"ellipsis_count_filter", heuristics.EllipsisCountParams{MaxEllipsisEndRatio: 0.7}, e.String()},
	} {
		e, _ := filters.Lookup(c.use)
		st, err := e.Build(c.params, filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		d := &filters.Doc{ID: "rounding", Text: c.text}
		if r, _ := st.(filters.Filter).Filter(d.Clone()); r == "" {
			t.Fatalf("%s keeps 63 of 90 lines at 0.7", c.use)
		}
		tally := gaugeTally{}
		if err := checkRemovalGauge(c.use, st, d, tally); err != nil || tally[c.use] != 1 {
			t.Errorf("%s: %v", c.use, err)
		}
		if err := filters.CheckGauges(st, d); err != nil {
			t.Errorf("%s: %v", c.use, err)
		}
	}
}
