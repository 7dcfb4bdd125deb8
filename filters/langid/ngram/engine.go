package ngram

import (
	"cmp"
	"math"
	"math/bits"
	"slices"

	"github.com/pemistahl/lingua-go"
)

// zeroSum: with the delta tables of the trigram engine a sum that lingua
// computes as exactly 0 (every n-gram found has probability 1) may come out
// as a rounding residue; genuine non-zero sums are below -1.3e-5 (the smallest
// |log p| in lingua's models, checked by TestSmallestLogProbability).
const zeroSum = -1e-9

// detect is lingua's ComputeLanguageConfidenceValues, appending to dst.
func (d *Detector) detect(s *scratch, dst []Confidence, text string) []Confidence {
	for _, l := range d.langs {
		dst = append(dst, Confidence{l, 0})
	}
	e := &s.ev
	d.evidence(s, text)
	switch e.Path {
	case PathRule:
		return setOne(dst, e.Rule)
	case PathNone:
		return sortConfidences(dst)
	}
	return d.confidences(s, dst, &e.sums, e.incl, e.first, e.firstIncl)
}

// evidence computes into s.ev what lingua decides text on: a rule's
// language, or the summed log-probabilities of the languages still in play.
func (d *Detector) evidence(s *scratch, text string) {
	e := &s.ev
	*e = evidence{Rule: lingua.Unknown}
	s.ambiguous = false
	s.split(text, d.m.cls)
	e.Letters = len(s.runes)
	if len(s.words) == 0 {
		return
	}
	if l := d.rules(s); l != unknown {
		e.Path, e.Rule = PathRule, lingua.Language(l)
		return
	}
	filtered, amb := d.filter(s)
	s.ambiguous = amb
	if bits.OnesCount64(filtered[0])+bits.OnesCount64(filtered[1]) == 1 {
		for l := 0; l < numLangs; l++ {
			if filtered.has(l) {
				e.Path, e.Rule = PathRule, lingua.Language(l)
				return
			}
		}
	}
	letters := len(s.runes)
	if d.low && letters < 3 {
		return
	}
	summed, incl := &e.sums, &e.incl
	var firstNeg langSet
	if letters >= 120 || d.low {
		e.Path = PathTrigram
		d.trigramSums(s)
		e.Ngrams = s.tset.n
		e.first, firstNeg = &s.sums[3], s.neg[3]
		for l := 0; l < numLangs; l++ {
			if filtered.has(l) && s.neg[3].has(l) {
				summed[l] = s.sums[3][l]
				incl.add(l)
			}
		}
	} else {
		if err := d.m.loadHigh(); err != nil {
			panic(err) // lingua panics likewise on unreadable models
		}
		e.Path = PathHigh
		d.highSums(s)
		e.first, firstNeg = &s.sums[1], s.neg[1]
		uniProbs := s.neg[1].and(filtered)
		afrikaans := uint32(0) // lingua's intersectedLanguages quirk, see below
		if uniProbs != (langSet{}) {
			for l := 0; l < numLangs; l++ {
				if filtered.has(l) && !uniProbs.has(l) {
					afrikaans++
				}
			}
		}
		for l := 0; l < numLangs; l++ {
			if !filtered.has(l) {
				continue
			}
			sum := 0.0
			for n := 1; n <= 5; n++ {
				if s.neg[n].has(l) {
					sum += s.sums[n][l]
				}
			}
			// lingua counts unigrams for intersectedLanguages, in which each
			// filtered language without unigram probability is replaced by
			// the zero Language, Afrikaans, so Afrikaans is counted once per
			// such language (plus once for itself).
			count := s.n1[l]
			if uniProbs != (langSet{}) {
				if !uniProbs.has(l) {
					count = 0
				}
				if l == int(lingua.Afrikaans) {
					mult := afrikaans
					if uniProbs.has(l) {
						mult++
					}
					count = s.n1[l] * mult
				}
			}
			if count > 0 {
				sum /= float64(count)
			}
			if sum != 0 {
				summed[l] = sum
				incl.add(l)
			}
		}
	}
	if *incl == (langSet{}) {
		e.Path = PathNone
		return
	}
	e.firstIncl = firstNeg.and(filtered)
}

func setOne(dst []Confidence, l lingua.Language) []Confidence {
	for i := range dst {
		if dst[i].Language == l {
			dst[i].Value = 1
			break
		}
	}
	return sortConfidences(dst)
}

func sortConfidences(c []Confidence) []Confidence {
	slices.SortFunc(c, func(a, b Confidence) int {
		if a.Value != b.Value {
			return -cmp.Compare(a.Value, b.Value)
		}
		return cmp.Compare(a.Language, b.Language)
	})
	return c
}

// trigramSums computes, for every language, lingua's sum over the text's
// unique trigrams of the log-probability of the longest prefix the
// language's models have. Each unique trigram in the trigram table adds its
// deltas (log-probability minus the parent's back-off value) and passes a
// count to its parent; parents then add count × their own deltas, so the
// per-trigram back-off over all 75 languages costs a few postings.
//
// The work is done in passes, so that the cache misses of the table probes
// and of the postings overlap: the unique trigrams (of the distinct words)
// are collected first, their table slots then probed in batches whose home
// slots are read first, and the postings runs of the trigrams found summed
// with the runs a few trigrams ahead read in advance.
func (d *Detector) trigramSums(s *scratch) {
	tri, bi := d.m.tabs[3], d.m.tabs[2]
	code := d.m.code
	sums := &s.sums[3]
	s.biTouched, s.uniTouched = s.biTouched[:0], s.uniTouched[:0]
	s.tset.reset(len(s.runes))
	s.wset.reset(len(s.words))
	probe := s.probe[:0]
	runes := s.runes
	for _, w := range s.words {
		if w.end-w.start < 3 || !s.wset.insert(runes, w) {
			continue
		}
		r0, r1 := runes[w.start], runes[w.start+1]
		var c0, c1 uint64
		if r0 < 0x10000 {
			c0 = uint64(code[r0])
		}
		if r1 < 0x10000 {
			c1 = uint64(code[r1])
		}
		for _, r2 := range runes[w.start+2 : w.end] {
			var c2 uint64
			if r2 < 0x10000 {
				c2 = uint64(code[r2])
			}
			if s.tset.insert(uint64(r0) | uint64(r1)<<21 | uint64(r2)<<42) {
				if c0 != 0 && c1 != 0 && c2 != 0 {
					probe = append(probe, c0|c1<<codeBits|c2<<(2*codeBits))
				} else {
					s.backoff(d.m, r0, c0, c1)
				}
			}
			r0, r1, c0, c1 = r1, r2, c1, c2
		}
	}
	s.probe = probe
	// Probe the trigram table in batches.
	hits := s.hits[:0]
	recs := tri.recs
	mask := uint64(len(recs) - 1)
	var touch uint64
	for len(probe) > 0 {
		batch := probe[:min(len(probe), probeBatch)]
		probe = probe[len(batch):]
		for _, k := range batch {
			touch += recs[tri.home(k)]
		}
		for _, k := range batch {
			for i := tri.home(k); ; i = (i + 1) & mask {
				r := recs[i]
				if r&recKeyMask == k {
					hits = append(hits, r)
					break
				}
				if r == 0 {
					s.backoff(d.m, 0, k&maxCode, k>>codeBits&maxCode)
					break
				}
			}
		}
	}
	s.hits = hits
	// Sum the postings runs of the trigrams found, reading the run
	// runAhead trigrams ahead (a word of each of its cache lines).
	acc := &s.acc // indexed by 7-bit language fields: no bounds checks
	*acc = [128]float64{}
	packed := tri.packed
	for i, r := range hits {
		if j := i + runAhead; j < len(hits) {
			a := hits[j]
			off := a >> recOffShift
			end := off + (a >> recCntShift & recCntMask)
			for p := off; p < end; p += 8 {
				touch += packed[p]
			}
			touch += packed[end]
		}
		off := r >> recOffShift
		run := packed[off : off+1+(r>>recCntShift&recCntMask)]
		for _, x := range run[1:] {
			acc[x&langMask] += math.Float64frombits(x &^ langMask)
		}
		s.addParent(uint32(run[0]), 1)
	}
	// Then the bigrams the counts were passed to (their records read
	// 2*runAhead ahead, their runs runAhead ahead), then the unigrams.
	bt, brecs, bpacked := s.biTouched, bi.recs, bi.packed
	for i, bs := range bt {
		if j := i + 2*runAhead; j < len(bt) {
			touch += brecs[bt[j]]
		}
		if j := i + runAhead; j < len(bt) {
			touch += bpacked[brecs[bt[j]]>>recOffShift]
		}
		c := s.biCnt[bs]
		s.biCnt[bs] = 0
		fc := float64(c)
		par, post := bi.run(brecs[bs])
		for _, x := range post {
			acc[x&langMask] += fc * math.Float64frombits(x&^langMask)
		}
		s.addParent(par, c)
	}
	s.touch = touch
	uni := d.m.tabs[1]
	for _, us := range s.uniTouched {
		c := s.uniCnt[us]
		s.uniCnt[us] = 0
		fc := float64(c)
		for p := uni.off[us]; p < uni.off[us+1]; p++ {
			acc[uni.lang[p]&langMask] += fc * uni.logp[p]
		}
	}
	copy(sums[:], acc[:numLangs])
	var neg langSet
	for l, v := range sums {
		if v < zeroSum {
			neg.add(l)
		} else {
			sums[l] = 0
		}
	}
	s.neg[3] = neg
}

const (
	probeBatch = 32 // trigram keys whose home slots are read together
	runAhead   = 8  // trigrams whose postings are read ahead of the sums
)

// backoff counts a unique trigram missing from the trigram table (or with a
// rune outside the models) for the longest prefix the models have: the
// bigram of codes c0 c1 if present, else the unigram of its first rune (r0,
// or the rune of code c0 when r0 is 0).
func (s *scratch) backoff(m *Models, r0 rune, c0, c1 uint64) {
	if c0 != 0 && c1 != 0 {
		if bs := m.tabs[2].findRec(c0 | c1<<codeBits); bs >= 0 {
			s.addParent(uint32(bs), 1)
			return
		}
	}
	if r0 == 0 {
		r0 = m.runeOf[c0]
	}
	if us := m.tabs[1].find(uint64(r0)); us >= 0 {
		s.addParent(parentUni|uint32(us), 1)
	}
}

func (s *scratch) addParent(par uint32, c uint32) {
	switch {
	case par == noParent:
	case par&parentUni != 0:
		us := par &^ parentUni
		if s.uniCnt[us] == 0 {
			s.uniTouched = append(s.uniTouched, int32(us))
		}
		s.uniCnt[us] += c
	default:
		if s.biCnt[par] == 0 {
			s.biTouched = append(s.biTouched, int32(par))
		}
		s.biCnt[par] += c
	}
}

// highSums computes lingua's per-order sums for orders 1 to 5 the way lingua
// does, n-gram by n-gram with back-off to shorter prefixes, and the unigram
// counts. It serves texts under 120 letters only.
func (d *Detector) highSums(s *scratch) {
	code := d.m.code
	runes := s.runes
	s.n1 = [numLangs]uint32{}
	for n := 1; n <= 5; n++ {
		sums := &s.sums[n]
		*sums = [numLangs]float64{}
		s.set.reset(len(s.runes))
		for _, w := range s.words {
			for i := w.start; i+int32(n) <= w.end; i++ {
				var lo, hi, key uint64
				known := 0 // runes with a code, from the start
				for j := 0; j < n; j++ {
					r := runes[i+int32(j)]
					if j < 3 {
						lo |= uint64(r) << (21 * j)
					} else {
						hi |= uint64(r) << (21 * (j - 3))
					}
					var c uint64
					if r < 0x10000 {
						c = uint64(code[r])
					}
					if c != 0 && known == j {
						key |= c << (codeBits * j)
						known++
					}
				}
				if !s.set.insert(lo, hi) {
					continue
				}
				var covered langSet
				for j := n; j >= 1; j-- {
					t := d.m.tabs[j]
					var ts int
					if j == 1 {
						ts = t.find(uint64(runes[i]))
					} else {
						if known < j {
							continue
						}
						ts = t.lookup(key & (1<<(codeBits*j) - 1))
					}
					if ts < 0 {
						continue
					}
					for p := t.off[ts]; p < t.off[ts+1]; p++ {
						l := t.langOf(p)
						if !covered.has(l) {
							covered.add(l)
							sums[l] += t.value(p)
						}
					}
					if n == 1 {
						for p := t.off[ts]; p < t.off[ts+1]; p++ {
							s.n1[t.lang[p]]++
						}
					}
				}
			}
		}
		var neg langSet
		for l, v := range sums {
			if v < 0 {
				neg.add(l)
			}
		}
		s.neg[n] = neg
	}
}
