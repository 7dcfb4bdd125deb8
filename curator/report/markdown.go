package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// mdSampleChars bounds the text shown of a sample in Markdown.
const mdSampleChars = 500

// Markdown renders r as Markdown: the same sections as the HTML page, with
// histograms as one-line sparklines and samples shortened.
func Markdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("# curator report: %s (%s)\n\n", r.RunID, r.Status)
	p("%s, %.1f s, %s documents read from %d files (%s), %d tasks (%d failed, %d not run).\n\n",
		r.Started.Format("2006-01-02 15:04:05 UTC"), r.WallSeconds, Int(r.Documents.Records), r.Lineage.PoolFiles,
		Bytes(r.Documents.InputBytes), r.Tasks.Total, r.Tasks.Failed, r.Tasks.NotRun)

	p("## Summary\n\n| recipe | documents kept | | tokens kept | | text kept | words kept | removed | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, rc := range r.Recipes {
		d := rc.Documents
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", rc.Name, Int(d.Kept), Pct(d.Kept, d.Records), Short(d.KeptTokens),
			Pct(d.KeptTokens, d.Tokens), Bytes(d.KeptTextBytes), Short(d.KeptWords), Int(d.Removed), Int(d.Errors))
	}

	p("\n## Funnel\n\nThe recipe tree, each step once (shared steps list every recipe that runs them).\n\n")
	p("| step | recipes | in | kept | removed | errors | modified | bytes kept | tokens after |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range r.Tree {
		p("| %s%s | %s | %s | %s | %s | %s | %s | %s | %s |\n", strings.Repeat("· ", n.Depth), n.ID, strings.Join(n.Recipes, ", "),
			Int(n.In), Int(n.Kept), Int(n.Removed), Int(n.Errors), Int(n.Modified), Bytes(n.BytesOut), tokensCell(n.TokensOut, n.Recipes))
	}

	p("\n## Removals by step and reason\n\n| step | reason | documents | of those in |\n|---|---|---:|---:|\n")
	for _, n := range r.Tree {
		for _, c := range n.Reasons {
			p("| %s | %s | %s | %s |\n", n.ID, c.Name, Int(c.Count), Pct(c.Count, n.In))
		}
		if n.Errors > 0 {
			p("| %s | error | %s | %s |\n", n.ID, Int(n.Errors), Pct(n.Errors, n.In))
		}
	}

	p("\n## Signals\n\n")
	if !r.Observed {
		p("This run recorded no signal histograms (an annotated run, or a selection).\n\n")
	}
	for _, n := range r.Tree {
		for _, g := range n.Gauges {
			var th []string
			for _, t := range g.Thresholds {
				th = append(th, fmt.Sprintf("keeps %s %s (%s)", t.Keep, Num(t.Value), t.Param))
			}
			p("- **%s / %s** (%s): `%s` on [%s, %s]%s, %s documents; %s\n", n.ID, g.Name, g.Doc, sparkline(g.Counts), Num(g.Min), Num(g.Max),
				map[bool]string{true: " (log)"}[g.Log], Int(g.N), strings.Join(th, "; "))
		}
	}

	p("\n## Evaluation\n\n")
	if ev := r.Eval; ev != nil {
		p("Suite %s (%s); 95%% bootstrap intervals.\n\n| recipe | human precision | recall | F1 | proxy LM bits/byte | distinct 4-grams | domains | near-dup rate |\n|---|---|---|---|---|---:|---:|---:|\n", ev.Suite, ev.SuiteHash)
		for _, e := range ev.Recipes {
			p("| %s | %s | %s | %s | %.4f [%.4f, %.4f] | %.3f | %d | %.3f |\n", e.Recipe, IntervalString(e.Precision), IntervalString(e.Recall),
				IntervalString(e.F1), e.BitsPerByte.Value, e.BitsPerByte.Low, e.BitsPerByte.High, e.DistinctNgramRatio, e.Domains, e.NearDupRate)
		}
		for _, d := range ev.LMDifferences {
			p("\n- LM %s − %s: %+.4f [%+.4f, %+.4f] bits/byte", d.A, d.B, d.BitsPerByte.Value, d.BitsPerByte.Low, d.BitsPerByte.High)
		}
		p("\n")
	} else {
		p("Not evaluated (`curator run --eval`, or `curator eval %s` then `curator report %s`).\n", r.Dir, r.Dir)
	}

	p("\n## Overlap between recipes\n\n")
	if len(r.Overlap) == 0 {
		p("One recipe: nothing to compare.\n")
	}
	for _, o := range r.Overlap {
		p("- %s ∩ %s: %s documents, Jaccard %.3f\n", o.A, o.B, Int(o.Both), o.Jaccard)
	}

	p("\n## Samples\n\nRemoved documents (the lowest content hashes per reason) and changed ones, per step.\n")
	for _, n := range r.Tree {
		if len(n.Removals)+len(n.Changes) == 0 {
			continue
		}
		p("\n### %s (%s)\n", n.ID, n.Use)
		for _, s := range n.Removals {
			p("\n- **%s** `%s` %s", s.Reason, s.ID, s.URL)
			if s.Error != "" {
				p(" error: %s", oneLine(s.Error))
			}
			for _, v := range s.Violated {
				p("\n  - %s", v)
			}
			p("\n\n  ```\n%s\n  ```\n", indent(shorten(s.Text, mdSampleChars, " […]")))
		}
		for _, s := range n.Changes {
			p("\n- **changed** `%s` %s (%s → %s bytes)\n\n  ```diff\n", s.ID, s.URL, Int(s.Bytes), Int(s.AfterBytes))
			var lines []string
			for _, l := range Diff(s.Text, s.After) {
				if l.Op != ' ' {
					lines = append(lines, string(l.Op)+" "+shorten(l.Text, 160, " […]"))
				}
			}
			p("%s\n  ```\n", indent(strings.Join(lines, "\n")))
		}
	}

	p("\n## Failed tasks\n\n")
	if len(r.Failed) == 0 {
		p("Every task finished without an error.\n")
	}
	for _, f := range r.Failed {
		p("- task %s (%s), %s: %s\n", f.Task, f.Path, f.Status, oneLine(f.Error))
		for _, e := range f.RecordErrors {
			p("  - %s\n", oneLine(e))
		}
	}

	l := r.Lineage
	p("\n## Lineage\n\n- run record: `%s`\n- curator %s, commit `%s`, %s\n- pool `%s`: %d files, %s, from %s\n",
		l.RunFile, l.CuratorVersion, l.CuratorCommit, l.GoVersion, l.PoolHash, l.PoolFiles, Bytes(l.PoolBytes), strings.Join(l.Inputs, ", "))
	if s := l.Source; s != nil {
		p("- selected from run %s (%s), recipe %s\n", s.RunID, s.OutputDir, s.Recipe)
	}
	for _, rc := range l.Recipes {
		p("- recipe %s: `%s`, hash `%s`", rc.Name, rc.Path, rc.Hash)
		if len(rc.Set) > 0 {
			p(", overrides %s", strings.Join(rc.Set, ", "))
		}
		p("\n")
		for _, f := range rc.Files {
			p("  - %s.%s: `%s` sha256 `%s`\n", f.Step, f.Param, f.Path, f.SHA256)
		}
	}
	return bw.Flush()
}

// sparkline draws counts as a line of block characters.
func sparkline(counts []int64) string {
	const blocks = " ▁▂▃▄▅▆▇█"
	rs := []rune(blocks)
	var maxC int64
	for _, c := range counts {
		maxC = max(maxC, c)
	}
	var b strings.Builder
	for _, c := range counts {
		i := 0
		if maxC > 0 && c > 0 {
			i = 1 + int(float64(c)/float64(maxC)*float64(len(rs)-2)+0.5)
			i = min(i, len(rs)-1)
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// shorten cuts s to n characters, marking the cut with mark.
func shorten(s string, n int, mark string) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + mark
}

// oneLine joins s's lines.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// indent puts s inside a list item, escaping fence-breaking backticks.
func indent(s string) string {
	s = strings.ReplaceAll(s, "```", "`\u200b``")
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
