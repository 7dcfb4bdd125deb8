package heuristics

import (
	"fmt"
	"sync"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// RepetitionParams are the parameters of massive_web_repetition_filters.
// The thresholds default to Gopher's (Rae et al., 2021), as in DCLM.
type RepetitionParams struct {
	SkipParagraph         bool      `yaml:"skip_paragraph" doc:"skip the two paragraph checks (when extraction does not tell lines from paragraphs)"`
	MaxLineCountFrac      float64   `yaml:"max_line_count_frac" decide:"true" doc:"drop when duplicated lines make more than this fraction of the lines"`
	MaxParagraphCountFrac float64   `yaml:"max_paragraph_count_frac" decide:"true" doc:"drop when duplicated paragraphs make more than this fraction of the paragraphs"`
	MaxLineCharFrac       float64   `yaml:"max_line_char_frac" decide:"true" doc:"drop when duplicated lines hold more than this fraction of the line characters"`
	MaxParagraphCharFrac  float64   `yaml:"max_paragraph_char_frac" decide:"true" doc:"drop when duplicated paragraphs hold more than this fraction of the paragraph characters"`
	MaxTopNgramCharFrac   []float64 `yaml:"max_top_ngram_char_frac" decide:"true" doc:"for n = 2, 3, 4: drop when the most common n-gram (the longest among ties) covers more than this fraction of the word characters"`
	MaxDupNgramCharFrac   []float64 `yaml:"max_dup_ngram_char_frac" decide:"true" doc:"for n = 5..10: drop when the words inside repeated n-grams hold more than this fraction of the word characters"`
}

// Validate checks the parameters.
func (p RepetitionParams) Validate() error {
	if len(p.MaxTopNgramCharFrac) != 3 {
		return fmt.Errorf("max_top_ngram_char_frac has %d values, want 3 (n = 2, 3, 4)", len(p.MaxTopNgramCharFrac))
	}
	if len(p.MaxDupNgramCharFrac) != 6 {
		return fmt.Errorf("max_dup_ngram_char_frac has %d values, want 6 (n = 5..10)", len(p.MaxDupNgramCharFrac))
	}
	return nil
}

// DefaultRepetitionParams returns DCLM's (Gopher's) thresholds.
func DefaultRepetitionParams() RepetitionParams {
	return RepetitionParams{
		MaxLineCountFrac: 0.3, MaxParagraphCountFrac: 0.3,
		MaxLineCharFrac: 0.2, MaxParagraphCharFrac: 0.2,
		MaxTopNgramCharFrac: []float64{0.2, 0.18, 0.16},
		MaxDupNgramCharFrac: []float64{0.15, 0.14, 0.13, 0.12, 0.11, 0.10},
	}
}

func init() {
	filters.Register(filters.Spec{Name: "massive_web_repetition_filters", Kind: filters.KindFilter,
		Doc: "Gopher's repetition filters as DCLM runs them: duplicate line and paragraph fractions (by count, then by characters), most common 2-4-gram and duplicated 5-10-gram character fractions over uniseg words; the first failing check names the reason."},
		DefaultRepetitionParams(),
		func(p RepetitionParams, _ filters.Env) (any, error) { return &repetition{p}, nil })
}

type repetition struct{ p RepetitionParams }

// Check names, in DCLM's order, used as removal reasons.
var ngramReasons = [...]string{2: "top_2gram", 3: "top_3gram", 4: "top_4gram",
	5: "dup_5gram", 6: "dup_6gram", 7: "dup_7gram", 8: "dup_8gram", 9: "dup_9gram", 10: "dup_10gram"}

// Filter implements filters.Filter.
func (f *repetition) Filter(d *filters.Doc) (string, error) {
	return f.check(d), nil
}

// check returns the reason of the first failing check, or "".
func (f *repetition) check(d *filters.Doc) string {
	if d.Text == "" {
		return "empty"
	}
	lines := Lines(d)
	if len(lines) == 0 {
		return "empty" // DCLM: no segments fails the first check
	}
	var paras []string
	if !f.p.SkipParagraph {
		paras = Paragraphs(d)
	}
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	lc := sc.segmentRepetition(lines)
	var pc segCounts
	if !f.p.SkipParagraph && len(paras) > 0 {
		pc = sc.segmentRepetition(paras)
	}
	if r := f.decideSegments(lc, pc); r != "" {
		return r
	}
	n := sc.ngramRepetition(UAXWords(d), f.ngramFails)
	if n > 0 {
		return ngramReasons[n]
	}
	return ""
}

// segCounts are the counts of one segmentation (lines or paragraphs): the
// segments, the duplicated ones (every occurrence counts, the first too),
// the code points these hold and those of every segment (0 when none is
// duplicated).
type segCounts struct{ n, dup, dupChars, chars int }

// fracs returns the fraction of segments that are duplicated and the
// fraction of characters they hold. One segment counts as no repetition.
func (c segCounts) fracs() (countFrac, charFrac float64) {
	if c.n <= 1 || c.dup == 0 {
		return 0, 0
	}
	return float64(c.dup) / float64(c.n), float64(c.dupChars) / float64(c.chars)
}

// decideSegments gives the reason of the first failing line or paragraph
// check, or "".
func (f *repetition) decideSegments(lines, paras segCounts) string {
	if lines.n == 0 {
		return "empty"
	}
	if !f.p.SkipParagraph && paras.n == 0 {
		return "dup_para_frac"
	}
	lc, lch := lines.fracs()
	pc, pch := paras.fracs()
	switch {
	case lc > f.p.MaxLineCountFrac:
		return "dup_line_frac"
	case !f.p.SkipParagraph && pc > f.p.MaxParagraphCountFrac:
		return "dup_para_frac"
	case lch > f.p.MaxLineCharFrac:
		return "dup_line_char_frac"
	case !f.p.SkipParagraph && pch > f.p.MaxParagraphCharFrac:
		return "dup_para_char_frac"
	}
	return ""
}

// ngramFails reports whether the n-gram check fails when the n-grams cover
// num of the total code points of the words.
func (f *repetition) ngramFails(n, num, total int) bool {
	frac := float64(num) / float64(total)
	if n <= 4 {
		return frac > f.p.MaxTopNgramCharFrac[n-2]
	}
	return frac > f.p.MaxDupNgramCharFrac[n-5]
}

// segmentRepetition counts the duplicated segments of segs.
func (sc *scratch) segmentRepetition(segs []string) segCounts {
	c := segCounts{n: len(segs)}
	if len(segs) <= 1 {
		return c
	}
	sc.strs.reset(len(segs))
	ids := grow(sc.ids, len(segs))
	counts := sc.counts[:0]
	for i, s := range segs {
		id := sc.strs.id(s)
		if int(id) == len(counts) {
			counts = append(counts, 0)
		}
		counts[id]++
		ids[i] = id
	}
	sc.ids, sc.counts = ids, counts
	if len(counts) == len(segs) {
		return c
	}
	for i, s := range segs {
		l := text.RuneLen(s)
		c.chars += l
		if counts[ids[i]] > 1 {
			c.dup++
			c.dupChars += l
		}
	}
	return c
}

// ngramRepetition computes the n-gram coverages for n = 2..10 in order and
// returns the first n for which fail(n, covered, total) is true, or 0: the
// code points of the most common n-gram times its count (n <= 4) or of
// the words inside repeated n-grams (n >= 5), of the total of the words.
// It stops early at the first n without a repeated n-gram (none longer
// repeats either).
//
// n-grams are numbered exactly, without hashing: the id of the n-gram at i
// is the id of the pair (id of the (n-1)-gram at i, id of word i+n-1). An
// n-gram can repeat only where its (n-1)-gram prefix repeats, so each round
// looks only at the positions that repeated in the round before.
func (sc *scratch) ngramRepetition(words []string, fail func(n, num, total int) bool) int {
	if len(words) < 2 {
		return 0
	}
	ids := grow(sc.ids, len(words))
	prefix := grow(sc.prefix, len(words)+1) // prefix[i]: code points of words[:i]
	prefix[0] = 0
	sc.strs.reset(len(words))
	for i, w := range words {
		ids[i] = sc.strs.id(w)
		prefix[i+1] = prefix[i] + text.RuneLen(w)
	}
	total := prefix[len(words)]

	gram := append(sc.gram[:0], ids...) // id of the (n-1)-gram at each position
	cand := sc.cand[:0]
	for i := range len(words) - 1 {
		cand = append(cand, int32(i))
	}
	next := sc.next[:0]
	pairs := &sc.pairs
	counts := sc.counts[:0]
	defer func() {
		sc.ids, sc.prefix, sc.gram, sc.cand, sc.next, sc.counts = ids, prefix, gram, cand, next, counts
	}()
	for n := 2; n <= 10; n++ {
		pairs.reset(len(cand))
		counts = counts[:0]
		next = next[:0]
		for _, i := range cand {
			if int(i)+n > len(words) {
				continue
			}
			key := uint64(uint32(gram[i]))<<32 | uint64(uint32(ids[int(i)+n-1]))
			id := pairs.id(key)
			if int(id) == len(counts) {
				counts = append(counts, 0)
			}
			counts[id]++
			gram[i] = id
			next = append(next, i)
		}
		// next: positions with an n-gram; keep those whose n-gram repeats.
		rep := cand[:0] // cand is read no more: filter next into it
		maxCount, maxLen := int32(1), 0
		covered, coverEnd := 0, 0
		for _, i := range next {
			c := counts[gram[i]]
			if c <= 1 {
				continue
			}
			rep = append(rep, i)
			l := prefix[int(i)+n] - prefix[i]
			if c > maxCount || (c == maxCount && l > maxLen) {
				maxCount, maxLen = c, l
			}
			// Positions come in increasing order: merge covered spans.
			start := max(int(i), coverEnd)
			if end := int(i) + n; end > start {
				covered += prefix[end] - prefix[start]
				coverEnd = end
			}
		}
		if len(rep) == 0 {
			return 0 // no repeated n-gram, hence none longer: all pass
		}
		num := covered
		if n <= 4 {
			num = maxLen * int(maxCount)
		}
		if fail(n, num, total) {
			return n
		}
		cand = rep
	}
	return 0
}

// scratch holds the buffers of one repetition check, reused across
// documents through scratchPool.
type scratch struct {
	ids, gram, cand, next, counts []int32
	prefix                        []int
	strs                          strTable
	pairs                         pairTable
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// release returns sc to the pool, unless a huge document made it big.
func (sc *scratch) release() {
	if cap(sc.ids) > 1<<20 {
		return
	}
	clear(sc.strs.keys) // drop references to the document's text
	scratchPool.Put(sc)
}

// grow returns b resized to n elements (contents unspecified).
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/4)
	}
	return b[:n]
}
