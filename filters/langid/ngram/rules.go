package ngram

import (
	"math/bits"

	"github.com/pemistahl/lingua-go"
)

const unknown = numLangs // lingua.Unknown

// rules is lingua's detectLanguageWithRules: a language decided by
// single-language scripts, Han/kana and unique characters, or unknown.
func (d *Detector) rules(s *scratch) int {
	cls := d.m.cls
	total := &s.total
	*total = [numLangs + 1]uint32{}
	for _, w := range s.words {
		if w.ascii {
			total[unknown]++ // no ASCII letter is a rule's
			continue
		}
		wc := &s.wc
		s.wt = s.wt[:0]
		bump := func(l int) {
			if wc[l] == 0 {
				s.wt = append(s.wt, int8(l))
			}
			wc[l]++
		}
		for _, r := range s.runes[w.start:w.end] {
			sc := cls[r] & clsScript
			switch {
			case d.oneLang[sc] >= 0:
				bump(int(d.oneLang[sc]))
			case sc == scHan:
				bump(int(lingua.Chinese))
			case sc == scHiragana || sc == scKatakana:
				bump(int(lingua.Japanese))
			case (sc == scLatin || sc == scCyrillic || sc == scDevanagari) && r >= 0x80 &&
				(r >= 0x2000 || s.uniq[r>>6]>>(r&63)&1 != 0):
				for _, l := range d.unique[r] {
					bump(int(l))
				}
			}
		}
		switch len(s.wt) {
		case 0:
			total[unknown]++
		case 1:
			if l := int(s.wt[0]); d.cand.has(l) {
				total[l]++
			} else {
				total[unknown]++
			}
		default:
			if wc[lingua.Chinese] > 0 && wc[lingua.Japanese] > 0 {
				total[lingua.Japanese]++
			} else {
				best, first, second := 0, uint32(0), uint32(0)
				for _, l := range s.wt {
					c := wc[l]
					if c > first {
						best, first, second = int(l), c, first
					} else if c > second {
						second = c
					}
				}
				if first > second && d.cand.has(best) {
					total[best]++
				} else {
					total[unknown]++
				}
			}
		}
		for _, l := range s.wt {
			wc[l] = 0
		}
	}
	if float64(total[unknown]) < float64(len(s.words))*0.5 {
		total[unknown] = 0
	}
	keys, best, first, second := 0, 0, uint32(0), uint32(0)
	for l, c := range total {
		if c == 0 {
			continue
		}
		keys++
		if c > first {
			best, first, second = l, c, first
		} else if c > second {
			second = c
		}
	}
	switch {
	case keys == 0:
		return unknown
	case keys == 1:
		return best
	case keys == 2 && total[lingua.Chinese] > 0 && total[lingua.Japanese] > 0:
		return int(lingua.Japanese)
	case first == second:
		return unknown
	}
	return best
}

// filter is lingua's filterLanguagesByRules. ambiguous reports a tie for the
// most frequent script, which lingua breaks by Go's random map order.
func (d *Detector) filter(s *scratch) (set langSet, ambiguous bool) {
	cls := d.m.cls
	var alph [numScripts + 1]uint32
	for _, w := range s.words {
		if w.ascii {
			alph[scLatin]++
			continue
		}
		sc := cls[s.runes[w.start]] & clsScript
		for _, r := range s.runes[w.start+1 : w.end] {
			if cls[r]&clsScript != sc {
				sc = 0
				break
			}
		}
		if sc != 0 {
			alph[sc]++
		}
	}
	kinds, top, allEqual := 0, 0, true
	for sc := 1; sc <= numScripts; sc++ {
		c := alph[sc]
		if c == 0 {
			continue
		}
		kinds++
		switch {
		case top == 0:
			top = sc
		case c > alph[top]:
			top, ambiguous, allEqual = sc, false, false
		case c == alph[top]:
			ambiguous = true
		default:
			allEqual = false
		}
	}
	if kinds == 0 || (kinds > 1 && allEqual) {
		return d.cand, false
	}
	filtered := d.scripts[top] // candidates written in the top script
	half := float64(len(s.words)) * 0.5
	var counts [numLangs]uint32
	for i := range s.entryCnt {
		s.entryCnt[i] = 0
	}
	for _, w := range s.words {
		if w.ascii {
			continue // no ASCII letter is in charsToLanguages
		}
		s.seen = s.seen[:0]
	runes:
		for _, r := range s.runes[w.start:w.end] {
			if r >= 0x2000 || d.m.mapEntry[r] == 0 {
				continue
			}
			for _, x := range s.seen {
				if x == r {
					continue runes
				}
			}
			s.seen = append(s.seen, r)
			s.entryCnt[d.m.mapEntry[r]-1]++
		}
	}
	for e, c := range s.entryCnt {
		if c == 0 {
			continue
		}
		rel := d.mapLangs[e].and(filtered)
		for i, word := range rel {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &= word - 1
				counts[i*64+b] += c
			}
		}
	}
	var subset langSet
	found := false
	for l, c := range counts {
		if c > 0 && float64(c) >= half {
			subset.add(l)
			found = true
		}
	}
	if found {
		return subset, ambiguous
	}
	return filtered, ambiguous
}
