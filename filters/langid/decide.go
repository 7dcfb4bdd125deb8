package langid

import (
	"maps"

	"github.com/curator-dev/curator/filters"
)

// Measure implements filters.Decider: the top language ("" for none), its
// probability or share, whether the text was too short, and the
// probability (page) or share (paragraph) of every language that has one
// above 0.
func (s *step) Measure(d *filters.Doc) (filters.Measurements, error) {
	if err := s.detector(); err != nil {
		return nil, err
	}
	res := d.Memo(s.memoKey, s.identify).(*result)
	p := res.probs
	if p == nil {
		p = make(map[string]float64, len(res.page))
		for _, c := range res.page {
			if c.Value != 0 {
				p[isoCode(c.Language)] = c.Value
			}
		}
	}
	return filters.Measurements{"top": res.top, "score": res.score, "too_short": res.tooShort, "p": p}, nil
}

// Decide implements filters.Decider.
func (s *step) Decide(d *filters.Doc, m filters.Measurements) (string, error) {
	res := &result{}
	var err error
	if res.top, err = m.String("top"); err != nil {
		return "", err
	}
	if res.score, err = m.Float("score"); err != nil {
		return "", err
	}
	if res.tooShort, err = m.Bool("too_short"); err != nil {
		return "", err
	}
	if res.probs, err = m.FloatMap("p"); err != nil {
		return "", err
	}
	if s.p.Mode == ModeParagraph {
		res.signal = maps.Clone(res.probs)
	} else {
		res.signal = map[string]float64{}
		if res.top != "" {
			res.signal[res.top] = res.score
		}
	}
	return s.decide(d, res), nil
}
