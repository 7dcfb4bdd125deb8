package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// table is a titled table of strings.
type table struct {
	title  string
	header []string
	rows   [][]string
}

// tableWriter renders one table.
type tableWriter func(w io.Writer, t table) error

// terminalTable renders a table as aligned columns (numbers right-aligned).
func terminalTable(w io.Writer, t table) error {
	width := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", t.title)
	line := func(r []string) {
		var l strings.Builder
		l.WriteString(" ")
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i == 0 || !numeric(c) {
				l.WriteString(" " + c + pad)
			} else {
				l.WriteString(" " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(t.header)
	for _, r := range t.rows {
		line(r)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownTable renders a table in GitHub Markdown.
func markdownTable(w io.Writer, t table) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", t.title)
	b.WriteString("| " + strings.Join(t.header, " | ") + " |\n|")
	for i := range t.header {
		if i == 0 {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		esc := make([]string, len(r))
		for i, c := range r {
			esc[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(esc, " | ") + " |\n")
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// numeric says whether a cell starts like a number.
func numeric(s string) bool {
	return s != "" && (s[0] >= '0' && s[0] <= '9' || (s[0] == '-' || s[0] == '+') && len(s) > 1)
}

// writeComparison renders a comparison's tables.
func writeComparison(w io.Writer, c *comparison, render tableWriter) error {
	runs := table{title: "Runs", header: []string{"run", "dir", "status", "pool", "suite"}}
	for _, r := range c.Runs {
		suite := "not evaluated"
		if r.SuiteHash != "" {
			suite = r.Suite + " " + short(r.SuiteHash)
		}
		runs.rows = append(runs.rows, []string{r.RunID, r.Dir, r.Status, short(r.PoolHash), suite})
	}
	tables := []table{runs}
	if len(c.Differences) > 0 {
		d := table{title: "Differences (compared with --force)", header: []string{"difference"}}
		for _, s := range c.Differences {
			d.rows = append(d.rows, []string{s})
		}
		tables = append(tables, d)
	}
	tables = append(tables, scoresTable(c))
	if len(c.LMDifferences) > 0 {
		d := table{title: "Proxy LM, paired: A's bits/byte minus B's on the same held-out paragraphs (below 0: A better)",
			header: []string{"A", "B", "difference", "95% interval"}}
		for _, x := range c.LMDifferences {
			d.rows = append(d.rows, []string{x.A, x.B, fmt.Sprintf("%+.4f", x.BitsPerByte.Value),
				fmt.Sprintf("[%+.4f, %+.4f]", x.BitsPerByte.Low, x.BitsPerByte.High)})
		}
		tables = append(tables, d)
	}
	tables = append(tables, funnelTable(c), overlapTable(c))
	for _, t := range tables {
		if err := render(w, t); err != nil {
			return err
		}
	}
	return nil
}

// short abbreviates a "sha256:<hex>" hash.
func short(h string) string {
	h = strings.TrimPrefix(h, "sha256:")
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "-"
	}
	return h
}

// scoresTable lines up the recipes' yields and evaluation scores.
func scoresTable(c *comparison) table {
	t := table{title: "Recipes (intervals: bootstrap 95%; rank 1 is best)", header: []string{"recipe", "kept docs", "kept tokens",
		"human precision", "rank", "recall", "F1", "proxy LM bits/byte", "rank", "distinct n-grams", "domains (entropy)", "near-dup rate"}}
	for _, r := range c.Recipes {
		row := []string{r.Label}
		if r.Eval == nil {
			kept := int64(0)
			tok := int64(0)
			if n := len(r.Funnel); n > 0 {
				kept, tok = r.Funnel[n-1].Documents, r.Funnel[n-1].Tokens
			}
			row = append(row, fmt.Sprintf("%d (%s)", kept, pct(kept, r.Documents)), fmt.Sprintf("%d (%s)", tok, pct(tok, r.Tokens)))
			for len(row) < len(t.header) {
				row = append(row, "-")
			}
			t.rows = append(t.rows, row)
			continue
		}
		e := r.Eval
		y, h, lm, d := e.Yield, e.Human, e.LM, e.Diversity
		bpb := fmt.Sprintf("%.4f [%.4f, %.4f]", lm.BitsPerByte.Value, lm.BitsPerByte.Low, lm.BitsPerByte.High)
		if lm.Short {
			bpb += " short"
		}
		row = append(row,
			fmt.Sprintf("%d (%.1f%%)", y.KeptDocuments, 100*y.DocumentShare),
			fmt.Sprintf("%d (%.1f%%)", y.KeptTokens, 100*y.TokenShare),
			fmt.Sprintf("%.3f [%.3f, %.3f]", h.Precision.Value, h.Precision.Low, h.Precision.High),
			fmt.Sprint(r.Ranks["human_precision"]),
			fmt.Sprintf("%.3f [%.3f, %.3f]", h.Recall.Value, h.Recall.Low, h.Recall.High),
			fmt.Sprintf("%.3f [%.3f, %.3f]", h.F1.Value, h.F1.Low, h.F1.High),
			bpb, fmt.Sprint(r.Ranks["lm_bits_per_byte"]),
			fmt.Sprintf("%.4f", d.DistinctNgramRatio),
			fmt.Sprintf("%d (%.2f bits)", d.Domains.Count, d.Domains.Entropy),
			fmt.Sprintf("%.2f%%", 100*d.NearDup.Rate))
		t.rows = append(t.rows, row)
	}
	return t
}

func pct(a, b int64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// funnelTable lines up the recipes' funnels: a row per step (steps that
// several recipes share appear once, in order), documents and tokens
// remaining after it in each recipe's column.
func funnelTable(c *comparison) table {
	var steps []string
	for _, r := range c.Recipes {
		prev := -1
		for _, s := range r.Funnel {
			if i := slices.Index(steps, s.Step); i >= 0 {
				prev = i
				continue
			}
			steps = slices.Insert(steps, prev+1, s.Step)
			prev++
		}
	}
	t := table{title: "Funnel: documents / tokens remaining after each step", header: []string{"step"}}
	for _, r := range c.Recipes {
		t.header = append(t.header, r.Label)
	}
	in := []string{"(in)"}
	for _, r := range c.Recipes {
		in = append(in, fmt.Sprintf("%d / %d", r.Documents, r.Tokens))
	}
	t.rows = append(t.rows, in)
	for _, s := range steps {
		row := []string{s}
		for _, r := range c.Recipes {
			cell := ""
			for _, f := range r.Funnel {
				if f.Step == s {
					cell = fmt.Sprintf("%d / %d", f.Documents, f.Tokens)
				}
			}
			row = append(row, cell)
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// overlapTable is the Jaccard index of kept ids, recipe by recipe.
func overlapTable(c *comparison) table {
	t := table{title: "Overlap: Jaccard index of the kept document ids", header: []string{"recipe"}}
	for _, r := range c.Recipes {
		t.header = append(t.header, r.Label)
	}
	for _, a := range c.Recipes {
		row := []string{a.Label}
		for _, b := range c.Recipes {
			j := 1.0
			for _, o := range c.Overlap {
				if (o.A == a.Label && o.B == b.Label) || (o.A == b.Label && o.B == a.Label) {
					j = o.Jaccard
				}
			}
			row = append(row, fmt.Sprintf("%.3f", j))
		}
		t.rows = append(t.rows, row)
	}
	return t
}
