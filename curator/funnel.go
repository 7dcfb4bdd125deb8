package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/curator-dev/curator/curator/coordinator"
)

// printFunnel writes a recipe's funnel, read from its stats.json: documents
// in and kept per step, and the reasons documents were removed.
func printFunnel(w io.Writer, statsPath string) error {
	b, err := os.ReadFile(statsPath)
	if err != nil {
		return err
	}
	var st coordinator.RecipeStats
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("%s: %w", statsPath, err)
	}
	width := len("step")
	for _, s := range st.Steps {
		width = max(width, len(s.ID))
	}
	fmt.Fprintf(w, "    %-*s %8s %8s %8s %8s %8s %10s  %s\n", width, "step", "in", "kept", "removed", "errors", "modified", "tokens", "why removed")
	for _, s := range st.Steps {
		line := fmt.Sprintf("    %-*s %8d %8d %8d %8d %8d %10d  %s", width, s.ID, s.In, s.Kept, sum(s.Removed), s.Errors, s.Modified, s.TokensOut, reasons(s.Removed))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		if th := s.Threshold; th != nil {
			fmt.Fprintf(w, "    %-*s keep_top %g: %s\n", width, "", th.KeepTop, describeThreshold(th))
		}
	}
	d := st.Documents
	if st.Annotated {
		_, err = fmt.Fprintf(w, "    annotated: all %d documents kept with every step's measurements (%d %s tokens); the counters say what each step would have removed\n",
			d.Kept, d.KeptTokens, st.Tokenizer)
		return err
	}
	pct := 0.0
	if d.Records > 0 {
		pct = 100 * float64(d.Kept) / float64(d.Records)
	}
	_, err = fmt.Fprintf(w, "    %d documents in, %d kept (%.1f%%), %d removed, %d errors; %d %s tokens kept of %d\n",
		d.Records, d.Kept, pct, d.Removed, d.Errors, d.KeptTokens, st.Tokenizer, d.Tokens)
	return err
}

// describeThreshold says which threshold a keep_top step got and how.
func describeThreshold(th *coordinator.ThresholdRecord) string {
	if th.Threshold == nil {
		return "no document was scored"
	}
	how := "exact"
	if th.Method != "exact" {
		how = fmt.Sprintf("sketch, rank error at most %d", th.RankError)
	}
	return fmt.Sprintf("score >= %.6g, the score of the %s best of %d (%s)", *th.Threshold, ordinal(th.Target), th.Scored, how)
}

// ordinal writes n as 1st, 2nd, 3rd, 4th, 11th, 21st...
func ordinal(n int64) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// reasons lists removal reasons, most frequent first.
func reasons(m map[string]int64) string {
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return int(m[b] - m[a]) })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
