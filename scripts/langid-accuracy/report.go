package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// runTimes are the wall and CPU times of one data set's runs.
type runTimes struct {
	Lingua, Curator          time.Duration
	LinguaCPU, CuratorCPU    time.Duration
	LinguaCached             bool
	LinguaBuild, CuratorLoad time.Duration
}

func iso1(l lingua.Language) string {
	if l == lingua.Unknown {
		return "??"
	}
	return strings.ToLower(l.IsoCode639_1().String())
}

func pct(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(a) / float64(n)
}

// excerpt returns the first n runes of s on one line, escaped for a table.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return strings.NewReplacer("|", `\|`, "`", "'").Replace(s)
}

func writeTimes(w io.Writer, n int, t runTimes) {
	cached := ""
	if t.LinguaCached {
		cached = " (from the label cache of an earlier run)"
	}
	ratio := func(a, b time.Duration) string {
		if a <= 0 || b <= 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.0fx", a.Seconds()/b.Seconds())
	}
	cpu := func(d time.Duration) string {
		if d <= 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	fmt.Fprintf(w, "Time over the %d texts, one goroutine each, on a shared 2-core machine: "+
		"lingua-go %.1f s wall / %s CPU%s; curator %.2f s wall / %s CPU; ratio %s wall, %s CPU. "+
		"Model set-up: lingua-go build %s, curator LoadModels + high-order models %.1f s.\n\n",
		n, t.Lingua.Seconds(), cpu(t.LinguaCPU), cached, t.Curator.Seconds(), cpu(t.CuratorCPU),
		ratio(t.Lingua, t.Curator), ratio(t.LinguaCPU, t.CuratorCPU), cpu(t.LinguaBuild), t.CuratorLoad.Seconds())
}

// accuracyReport writes the per-language accuracy table of a labelled data
// set and returns whether every language is within one point.
func accuracyReport(w io.Writer, title string, items []item, lin, cur []label, t runTimes, maxList int) bool {
	type row struct {
		n, lin, cur int
	}
	rows := map[lingua.Language]*row{}
	agreeUsed, agreeRule, linTies, curTies := 0, 0, 0, 0
	var disagree []int
	for i, it := range items {
		r := rows[it.Truth]
		if r == nil {
			r = &row{}
			rows[it.Truth] = r
		}
		r.n++
		if lin[i].Decision == it.Truth {
			r.lin++
		}
		if cur[i].Top == it.Truth {
			r.cur++
		}
		if cur[i].Top == lin[i].Decision {
			agreeUsed++
		} else {
			disagree = append(disagree, i)
		}
		if cur[i].Decision == lin[i].Decision {
			agreeRule++
		}
		if lin[i].Decision != lin[i].Top {
			linTies++
		}
		if cur[i].Decision != cur[i].Top {
			curTies++
		}
	}
	langs := make([]lingua.Language, 0, len(rows))
	for l := range rows {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool { return iso1(langs[i]) < iso1(langs[j]) })

	fmt.Fprintf(w, "## %s\n\n", title)
	fmt.Fprintf(w, "%d texts in %d languages. lingua-go = v1.4.0 high-accuracy mode, all 75 languages, "+
		"`DetectLanguageOf` (Unknown on a tie); curator = `ngram.NewDetector(m, ngram.Options{})` "+
		"(default mode, all 75 languages), `Top`. Accuracy = share of texts whose answer is the labelled language.\n\n",
		len(items), len(langs))
	fmt.Fprintln(w, "| language | n | lingua-go high % | curator default % | difference |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|")
	var macroL, macroC, worst float64
	var worstLang lingua.Language
	totN, totL, totC := 0, 0, 0
	within := true
	for _, l := range langs {
		r := rows[l]
		pl, pc := pct(r.lin, r.n), pct(r.cur, r.n)
		d := pc - pl
		if math.Abs(d) > 1 {
			within = false
		}
		if math.Abs(d) >= math.Abs(worst) {
			worst, worstLang = d, l
		}
		macroL += pl
		macroC += pc
		totN += r.n
		totL += r.lin
		totC += r.cur
		fmt.Fprintf(w, "| %s %s | %d | %.2f | %.2f | %+.2f |\n", iso1(l), l, r.n, pl, pc, d)
	}
	k := float64(len(langs))
	fmt.Fprintf(w, "| **macro average** | %d langs | %.2f | %.2f | %+.2f |\n", len(langs), macroL/k, macroC/k, (macroC-macroL)/k)
	fmt.Fprintf(w, "| **micro average** | %d | %.2f | %.2f | %+.2f |\n\n", totN, pct(totL, totN), pct(totC, totN),
		pct(totC, totN)-pct(totL, totN))
	yes := "yes"
	if !within {
		yes = "NO"
	}
	if worst == 0 {
		fmt.Fprintf(w, "Every language within 1 point: **%s** (no language differs).\n\n", yes)
	} else {
		fmt.Fprintf(w, "Every language within 1 point: **%s** (largest difference %+.2f, %s %s).\n\n", yes, worst, iso1(worstLang), worstLang)
	}
	fmt.Fprintf(w, "Same answer as lingua-go (curator `Top` = lingua `DetectLanguageOf`): %d of %d (%.3f%%); "+
		"with lingua's tie rule applied to curator's values too: %d of %d (%.3f%%). "+
		"Texts where a tie between the two best languages makes the decision Unknown: lingua-go %d, curator %d.\n\n",
		agreeUsed, len(items), pct(agreeUsed, len(items)), agreeRule, len(items), pct(agreeRule, len(items)), linTies, curTies)
	if t.Lingua > 0 {
		writeTimes(w, len(items), t)
	}
	listDisagreements(w, items, lin, cur, disagree, maxList, true)
	return within
}

// listDisagreements writes a table of the texts where the answers differ.
func listDisagreements(w io.Writer, items []item, lin, cur []label, idx []int, maxList int, truth bool) {
	if len(idx) == 0 {
		fmt.Fprintln(w, "No disagreements.")
		fmt.Fprintln(w)
		return
	}
	shown := min(len(idx), maxList)
	fmt.Fprintf(w, "Disagreements (%d, %d shown):\n\n", len(idx), shown)
	if truth {
		fmt.Fprintln(w, "| id | label | lingua-go (conf) | curator (conf) | text |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
	} else {
		fmt.Fprintln(w, "| id | runes | lingua-go (conf) | curator (conf) | text |")
		fmt.Fprintln(w, "|---|--:|---|---|---|")
	}
	for _, i := range idx[:shown] {
		it := items[i]
		second := iso1(it.Truth)
		if !truth {
			second = fmt.Sprint(utf8.RuneCountInString(it.Text))
		}
		fmt.Fprintf(w, "| %s | %s | %s (%.4f) | %s (%.4f) | %s |\n", it.ID, second,
			iso1(lin[i].Decision), lin[i].Conf, iso1(cur[i].Top), cur[i].Conf, excerpt(it.Text, 100))
	}
	fmt.Fprintln(w)
}

// poolReport writes the agreement of curator with lingua-go on pool
// documents and returns the agreement share in percent.
func poolReport(w io.Writer, dir string, total, minRunes int, items []item, lin, cur []label, t runTimes, maxList int) float64 {
	agree, agreeRule := 0, 0
	var disagree []int
	counts := map[lingua.Language]int{}
	for i := range items {
		counts[lin[i].Decision]++
		if cur[i].Top == lin[i].Decision {
			agree++
		} else {
			disagree = append(disagree, i)
		}
		if cur[i].Decision == lin[i].Decision {
			agreeRule++
		}
	}
	share := pct(agree, len(items))
	fmt.Fprintf(w, "## Benchmark pool: whole documents of %d characters or more\n\n", minRunes)
	fmt.Fprintf(w, "Pool `%s`: %d documents, %d with at least %d characters (runes) of `text`. "+
		"Decision compared: curator default `Top` against lingua-go high-accuracy `DetectLanguageOf` "+
		"(Unknown counted as a language), on the raw `text` field.\n\n", dir, total, len(items), minRunes)
	ok := "yes"
	if share < 99.5 {
		ok = "NO"
	}
	fmt.Fprintf(w, "Agreement: **%d of %d = %.3f%%** (at least 99.5%%: **%s**); with lingua's tie rule for both: %d of %d (%.3f%%).\n\n",
		agree, len(items), share, ok, agreeRule, len(items), pct(agreeRule, len(items)))
	langs := make([]lingua.Language, 0, len(counts))
	for l := range counts {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool {
		if counts[langs[i]] != counts[langs[j]] {
			return counts[langs[i]] > counts[langs[j]]
		}
		return langs[i] < langs[j]
	})
	var parts []string
	for _, l := range langs {
		parts = append(parts, fmt.Sprintf("%s %d", iso1(l), counts[l]))
	}
	fmt.Fprintf(w, "lingua-go decisions: %s.\n\n", strings.Join(parts, ", "))
	writeTimes(w, len(items), t)
	listDisagreements(w, items, lin, cur, disagree, maxList, false)
	return share
}
