package report

import "strings"

// DiffLine is one line of a before/after view.
type DiffLine struct {
	// Op is ' ' for a line in both texts, '-' for one the step removed, '+'
	// for one it added or changed.
	Op   byte
	Text string
}

// maxDiffLines bounds the lines compared (samples are short excerpts).
const maxDiffLines = 400

// Diff compares before and after by lines (a longest common subsequence),
// as a modifying step's before/after view shows them.
func Diff(before, after string) []DiffLine {
	a, b := splitLines(before), splitLines(after)
	n, m := len(a), len(b)
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, DiffLine{' ', a[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] > lcs[i+1][j]):
			out = append(out, DiffLine{'+', b[j]})
			j++
		default:
			out = append(out, DiffLine{'-', a[i]})
			i++
		}
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if len(lines) > maxDiffLines {
		lines = append(lines[:maxDiffLines:maxDiffLines], strings.Join(lines[maxDiffLines:], "\n"))
	}
	return lines
}
