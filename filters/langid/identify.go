package langid

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters/langid/ngram"
)

// result is what the lang step found in one text (memoized per text, shared
// between documents: never changed after identify returns).
type result struct {
	signal   map[string]float64 // the <key> signal
	top      string             // most likely language ("" none)
	score    float64            // its probability, or its share of the text
	page     []ngram.Confidence // page: every language in play, probabilities rounded
	probs    map[string]float64 // paragraph: shares
	tooShort bool               // nothing identified because the text was too short
}

// of returns the probability (or share) of language l, whose ISO code is iso.
func (r *result) of(l lingua.Language, iso string) float64 {
	if r.probs != nil {
		return r.probs[iso]
	}
	for _, c := range r.page {
		if c.Language == l {
			return c.Value
		}
	}
	return 0
}

// round keeps 9 decimals, so signals print the same on every platform
// (math.Exp differs in the last bit between architectures).
func round(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// identify is the memoized detection of the step's text.
func (s *step) identify(text string) any {
	if s.p.Mode == ModeParagraph {
		return s.paragraphs(text)
	}
	r := &result{signal: map[string]float64{}}
	if isSpaceOrPunct(text) {
		return r
	}
	if s.p.NewlineToSpace {
		text = strings.ReplaceAll(text, "\n", " ")
	} else {
		text = strings.ReplaceAll(text, "\n", "")
	}
	if s.p.MaxChars > 0 {
		text = truncate(text, s.p.MaxChars)
	}
	if utf8.RuneCountInString(text) < s.p.MinLength {
		r.tooShort = true
		return r
	}
	ev := s.evPool.Get().(*ngram.Evidence)
	defer s.evPool.Put(ev)
	s.det.EvidenceInto(ev, text)
	// Every language in play is kept: the memo is shared by every step
	// with the same detection, whatever its keep languages.
	r.page = s.cal.Apply(ev, nil)
	for i := range r.page {
		r.page[i].Value = round(r.page[i].Value)
	}
	if len(r.page) > 0 && r.page[0].Value > 0 {
		r.top, r.score = isoCode(r.page[0].Language), r.page[0].Value
		r.signal[r.top] = r.score
	}
	return r
}

// paragraphs identifies each paragraph (the text between newlines) on its
// own and gives each language the share of the text's characters (of the
// non-blank paragraphs) in paragraphs whose most likely language it is.
func (s *step) paragraphs(text string) any {
	r := &result{signal: map[string]float64{}, probs: map[string]float64{}}
	ev := s.evPool.Get().(*ngram.Evidence)
	defer s.evPool.Put(ev)
	chars := map[lingua.Language]int{}
	total, decided := 0, 0
	for para := range strings.SplitSeq(text, "\n") {
		if strings.TrimFunc(para, unicode.IsSpace) == "" {
			continue
		}
		n := utf8.RuneCountInString(para)
		total += n
		if isSpaceOrPunct(para) {
			continue
		}
		if s.p.MaxChars > 0 {
			para = truncate(para, s.p.MaxChars)
		}
		if utf8.RuneCountInString(para) < s.p.MinLength {
			continue
		}
		decided++
		s.det.EvidenceInto(ev, para)
		if l, p := s.cal.Top(ev); l != lingua.Unknown && p > 0 {
			chars[l] += n
		}
	}
	if len(chars) == 0 {
		r.tooShort = total > 0 && decided == 0
		return r
	}
	best := lingua.Unknown
	for l, n := range chars {
		iso := isoCode(l)
		v := round(float64(n) / float64(total))
		r.signal[iso], r.probs[iso] = v, v
		if best == lingua.Unknown || n > chars[best] || n == chars[best] && l < best {
			best = l
		}
	}
	r.top, r.score = isoCode(best), r.probs[isoCode(best)]
	return r
}

// Detect returns the lang step's page signal for text under det and
// calibration c: {language: probability} for the most likely language, or
// an empty map when there is none (no letters). Values are rounded to 1e-9.
func Detect(det *ngram.Detector, c Calibration, text string) map[string]float64 {
	var ev ngram.Evidence
	det.EvidenceInto(&ev, text)
	l, p := c.Top(&ev)
	if l == lingua.Unknown || p <= 0 {
		return map[string]float64{}
	}
	return map[string]float64{isoCode(l): round(p)}
}
