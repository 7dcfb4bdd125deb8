package gopher

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters/text"
)

// dolmaSpan is one (type, score) of dolma's gopher_v1 tagger.
type dolmaSpan struct {
	Index int     `json:"index"`
	Type  string  `json:"type"`
	Score float64 `json:"score"`
}

// dolmaGopher computes the Gopher statistics as allenai/dolma's
// python/dolma/taggers/gopher.py (get_attributes, as_spans) does: words
// are str.split() words, n-gram fractions are over the words' code points,
// lines are text.split("\n"). It reuses this package's Python-semantics
// pieces (text.Fields, text.RuneLen, text.IsAlpha) and shows where dolma's
// definitions differ from datatrove's, which gopher_quality and
// gopher_repetition follow.
func dolmaGopher(s string) []dolmaSpan {
	var out []dolmaSpan
	add := func(typ string, v float64) { out = append(out, dolmaSpan{Index: len(out), Type: typ, Score: v}) }
	charCount := text.RuneLen(s)
	if charCount == 0 {
		for _, typ := range []string{"character_count", "word_count", "median_word_length", "symbol_to_word_ratio",
			"fraction_of_words_with_alpha_character", "required_word_count", "fraction_of_lines_starting_with_bullet_point",
			"fraction_of_lines_ending_with_ellipsis", "fraction_of_duplicate_lines", "fraction_of_characters_in_duplicate_lines"} {
			add(typ, 0)
		}
		return out
	}
	words := text.Fields(s)
	wordChars := 0
	lens := make([]int, len(words))
	for i, w := range words {
		lens[i] = text.RuneLen(w)
		wordChars += lens[i]
	}
	maxOne := func(n int) float64 { return float64(max(n, 1)) }
	ids := map[string]int{}
	wid := make([]int, len(words))
	for i, w := range words {
		if _, ok := ids[w]; !ok {
			ids[w] = len(ids)
		}
		wid[i] = ids[w]
	}
	var common, dup []dolmaSpan
	for n := 2; n <= 10; n++ {
		if len(words) < n {
			continue
		}
		type gram struct{ count, chars, first int }
		grams := map[string]*gram{}
		var order []string
		for i := 0; i+n <= len(words); i++ {
			key := fmt.Sprint(wid[i : i+n])
			g, ok := grams[key]
			if !ok {
				c := 0
				for _, l := range lens[i : i+n] {
					c += l
				}
				g = &gram{chars: c, first: i}
				grams[key] = g
				order = append(order, key)
			}
			g.count++
		}
		if n <= 4 {
			best := grams[order[0]]
			for _, k := range order[1:] { // Counter.most_common(1): the first of the most common
				if grams[k].count > best.count {
					best = grams[k]
				}
			}
			common = append(common, dolmaSpan{Type: fmt.Sprintf("fraction_of_characters_in_most_common_%dgrams", n),
				Score: float64(best.count*best.chars) / maxOne(wordChars)})
		} else {
			all, rep := 0, 0
			for _, k := range order {
				g := grams[k]
				all += g.count * g.chars
				if g.count > 1 {
					rep += g.count * g.chars
				}
			}
			dup = append(dup, dolmaSpan{Type: fmt.Sprintf("fraction_of_characters_in_duplicate_%dgrams", n),
				Score: float64(rep) / maxOne(all)})
		}
	}
	for _, sp := range append(common, dup...) {
		add(sp.Type, sp.Score)
	}
	add("character_count", float64(charCount))
	add("word_count", float64(len(words)))
	median := 0.0
	if len(lens) > 0 {
		sorted := slices.Clone(lens)
		sort.Ints(sorted)
		if m := len(sorted); m%2 == 1 {
			median = float64(sorted[m/2])
		} else {
			median = float64(sorted[m/2-1]+sorted[m/2]) / 2
		}
	}
	add("median_word_length", median)
	symbols, alpha, required := 0, 0, 0
	for _, w := range words {
		if strings.Contains(w, "#") || strings.Contains(w, "…") {
			symbols++
		}
		if strings.IndexFunc(w, text.IsAlpha) >= 0 {
			alpha++
		}
		if slices.Contains(DefaultStopWords, w) {
			required++
		}
	}
	add("symbol_to_word_ratio", float64(symbols)/maxOne(len(words)))
	add("fraction_of_words_with_alpha_character", float64(alpha)/maxOne(len(words)))
	add("required_word_count", float64(required))
	lines := strings.Split(s, "\n")
	bullets, ellipses := 0.0, 0.0
	counts := map[string]int{}
	for _, l := range lines {
		if strings.HasPrefix(l, "*") || strings.HasPrefix(l, "-") {
			bullets++
		}
		if strings.HasSuffix(l, "…") {
			ellipses++
		}
		counts[l]++
	}
	add("fraction_of_lines_starting_with_bullet_point", bullets/maxOne(len(lines)))
	add("fraction_of_lines_ending_with_ellipsis", ellipses/maxOne(len(lines)))
	dupLines, dupChars := 0, 0
	for l, c := range counts {
		if c > 1 {
			dupLines += c
			dupChars += text.RuneLen(l) * c
		}
	}
	add("fraction_of_duplicate_lines", float64(dupLines)/maxOne(len(lines)))
	add("fraction_of_characters_in_duplicate_lines", float64(dupChars)/maxOne(wordChars))
	return out
}

// TestDolmaGopherFixture reproduces every metric of
// testdata/gopher/dolma_gopher_expected.json exactly.
func TestDolmaGopherFixture(t *testing.T) {
	b, err := os.ReadFile("../../testdata/gopher/dolma_gopher_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Cases []struct {
			Text   string      `json:"text"`
			NSpans *int        `json:"n_spans"`
			Spans  []dolmaSpan `json:"spans"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) != 5 {
		t.Fatalf("%d cases, want 5", len(fx.Cases))
	}
	checked := 0
	for i, c := range fx.Cases {
		got := dolmaGopher(c.Text)
		if c.NSpans != nil && len(got) != *c.NSpans {
			t.Errorf("case %d: %d spans, want %d", i, len(got), *c.NSpans)
		}
		for _, want := range c.Spans {
			if want.Index >= len(got) {
				t.Errorf("case %d: no span %d", i, want.Index)
				continue
			}
			g := got[want.Index]
			if g.Type != want.Type || g.Score != want.Score {
				t.Errorf("case %d span %d: %s = %v, want %s = %v", i, want.Index, g.Type, g.Score, want.Type, want.Score)
			}
			checked++
		}
	}
	if checked != 19+13+3 {
		t.Errorf("checked %d spans, want 35", checked)
	}
}
