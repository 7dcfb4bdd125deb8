package heuristics

import (
	"github.com/curator-dev/curator/filters"
)

// The filters of this package are filters.Deciders: they measure counts
// (never ratios, so that a decision from recorded measurements is the
// same floating-point computation as Filter's) and decide with the same
// function Filter uses.

// ints reads the integer measurements keys of m, in order.
func ints(m filters.Measurements, keys ...string) ([]int, error) {
	out := make([]int, len(keys))
	for i, k := range keys {
		n, err := m.Int(k)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// Measure implements filters.Decider: the length in the step's unit.
func (f *pageLength) Measure(d *filters.Doc) (filters.Measurements, error) {
	return filters.Measurements{"n": f.length(d)}, nil
}

// Decide implements filters.Decider.
func (f *pageLength) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	n, err := m.Int("n")
	if err != nil {
		return "", err
	}
	return f.decide(n), nil
}

// Measure implements filters.Decider: words and their code points.
func (f *wordLength) Measure(d *filters.Doc) (filters.Measurements, error) {
	st := SplitStats(d)
	return filters.Measurements{"words": st.Words, "runes": st.Runes}, nil
}

// Decide implements filters.Decider.
func (f *wordLength) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	v, err := ints(m, "words", "runes")
	if err != nil {
		return "", err
	}
	return f.decide(v[0], v[1]), nil
}

// Measure implements filters.Decider: symbols and words.
func (f *symbolRatio) Measure(d *filters.Doc) (filters.Measurements, error) {
	return filters.Measurements{"symbols": countSymbols(d.Text), "words": SplitStats(d).Words}, nil
}

// Decide implements filters.Decider.
func (f *symbolRatio) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	v, err := ints(m, "symbols", "words")
	if err != nil {
		return "", err
	}
	return f.decide(v[0], v[1]), nil
}

// Measure implements filters.Decider: bullet lines and lines.
func (f *bulletCount) Measure(d *filters.Doc) (filters.Measurements, error) {
	lines := Lines(d)
	return filters.Measurements{"bullets": countBullets(lines), "lines": len(lines)}, nil
}

// Decide implements filters.Decider.
func (f *bulletCount) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	v, err := ints(m, "bullets", "lines")
	if err != nil {
		return "", err
	}
	return f.decide(v[0], v[1]), nil
}

// Measure implements filters.Decider: lines ending with an ellipsis, and lines.
func (f *ellipsisCount) Measure(d *filters.Doc) (filters.Measurements, error) {
	lines := Lines(d)
	return filters.Measurements{"ellipses": countEllipses(lines), "lines": len(lines)}, nil
}

// Decide implements filters.Decider.
func (f *ellipsisCount) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	v, err := ints(m, "ellipses", "lines")
	if err != nil {
		return "", err
	}
	return f.decide(v[0], v[1]), nil
}

// Measure implements filters.Decider: words without a letter, and words.
func (f *alphaRatio) Measure(d *filters.Doc) (filters.Measurements, error) {
	st := SplitStats(d)
	return filters.Measurements{"non_alpha": st.NonAlpha, "words": st.Words}, nil
}

// Decide implements filters.Decider.
func (f *alphaRatio) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	v, err := ints(m, "non_alpha", "words")
	if err != nil {
		return "", err
	}
	return f.decide(v[0], v[1]), nil
}

// Measure implements filters.Decider: every stop word (Filter stops counting
// at min_stop_word).
func (f *stopWord) Measure(d *filters.Doc) (filters.Measurements, error) {
	return filters.Measurements{"stop_words": f.count(d.Text, 0)}, nil
}

// Decide implements filters.Decider.
func (f *stopWord) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	n, err := m.Int("stop_words")
	if err != nil {
		return "", err
	}
	return f.decide(n), nil
}

// Measure implements filters.Decider: the word counts before and now.
func (f *wordRemovalRatio) Measure(d *filters.Doc) (filters.Measurements, error) {
	prev, cur, err := f.counts(d)
	if err != nil {
		return nil, err
	}
	return filters.Measurements{"prev": prev, "cur": cur}, nil
}

// Decide implements filters.Decider.
func (f *wordRemovalRatio) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	v, err := ints(m, "prev", "cur")
	if err != nil {
		return "", err
	}
	return f.decide(v[0], v[1]), nil
}

// Measure implements filters.Decider: the counts of duplicated lines and
// paragraphs, and the code points covered by the n-grams for n = 2, 3, ...
// up to the first n without a repeated n-gram (Filter stops at the first
// failing check).
func (f *repetition) Measure(d *filters.Doc) (filters.Measurements, error) {
	lines := Lines(d)
	m := filters.Measurements{"lines": len(lines)}
	if len(lines) == 0 {
		return m, nil
	}
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	putSeg(m, "line", sc.segmentRepetition(lines))
	if !f.p.SkipParagraph {
		paras := Paragraphs(d)
		m["paras"] = len(paras)
		if len(paras) == 0 {
			return m, nil
		}
		putSeg(m, "para", sc.segmentRepetition(paras))
	}
	nums := []int{}
	total := 0
	sc.ngramRepetition(UAXWords(d), func(_, num, t int) bool {
		nums = append(nums, num)
		total = t
		return false
	})
	m["ngram"], m["word_chars"] = nums, total
	return m, nil
}

func putSeg(m filters.Measurements, what string, c segCounts) {
	m[what+"_dup"], m[what+"_dup_chars"], m[what+"_chars"] = c.dup, c.dupChars, c.chars
}

func getSeg(m filters.Measurements, what string, n int) (segCounts, error) {
	v, err := ints(m, what+"_dup", what+"_dup_chars", what+"_chars")
	if err != nil {
		return segCounts{}, err
	}
	return segCounts{n: n, dup: v[0], dupChars: v[1], chars: v[2]}, nil
}

// Decide implements filters.Decider.
func (f *repetition) Decide(_ *filters.Doc, m filters.Measurements) (string, error) {
	n, err := m.Int("lines")
	if err != nil || n == 0 {
		return "empty", err
	}
	lines, err := getSeg(m, "line", n)
	if err != nil {
		return "", err
	}
	var paras segCounts
	if !f.p.SkipParagraph {
		if paras.n, err = m.Int("paras"); err != nil {
			return "", err
		}
		if paras.n > 0 {
			if paras, err = getSeg(m, "para", paras.n); err != nil {
				return "", err
			}
		}
	}
	if r := f.decideSegments(lines, paras); r != "" {
		return r, nil
	}
	nums, err := m.Ints("ngram")
	if err != nil {
		return "", err
	}
	total, err := m.Int("word_chars")
	if err != nil {
		return "", err
	}
	for i, num := range nums {
		if n := i + 2; n <= 10 && f.ngramFails(n, num, total) {
			return ngramReasons[n], nil
		}
	}
	return "", nil
}
