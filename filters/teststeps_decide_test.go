package filters

import (
	"strings"
)

// Test steps with measurements, registered under names no real step uses.

type minLenDParams struct {
	Min   int    `yaml:"min" decide:"true" doc:"minimum length"`
	Runes bool   `yaml:"runes" doc:"count code points, not bytes"`
	Key   string `yaml:"key" decide:"true" doc:"signal: whether the document is long enough"`
}

type minLenD struct{ p minLenDParams }

func (m minLenD) length(d *Doc) int {
	if m.p.Runes {
		return len([]rune(d.Text))
	}
	return len(d.Text)
}

func (m minLenD) decide(d *Doc, n int) string {
	d.SetSignal(m.p.Key, n >= m.p.Min)
	if n < m.p.Min {
		return "short"
	}
	return ""
}

func (m minLenD) Filter(d *Doc) (string, error) { return m.decide(d, m.length(d)), nil }

func (m minLenD) Measure(d *Doc) (Measurements, error) {
	return Measurements{"n": m.length(d)}, nil
}

func (m minLenD) Decide(d *Doc, ms Measurements) (string, error) {
	n, err := ms.Int("n")
	if err != nil {
		return "", err
	}
	return m.decide(d, n), nil
}

type scoreDParams struct {
	Threshold float64 `yaml:"threshold" decide:"true" doc:"keep scores at least this"`
	KeepTop   float64 `yaml:"keep_top" decide:"true" doc:"keep the top fraction instead"`
	Vowels    bool    `yaml:"vowels" doc:"score the vowels, not the length"`
}

// scoreD scores a document by its length (or its vowels); a Ranker with
// keep_top.
type scoreD struct{ p scoreDParams }

func (s scoreD) score(d *Doc) float64 {
	if s.p.Vowels {
		return float64(strings.Count(strings.ToLower(d.Text), "a") + strings.Count(strings.ToLower(d.Text), "e"))
	}
	return float64(len(d.Text))
}

func (s scoreD) Filter(d *Doc) (string, error) {
	v := s.score(d)
	d.SetSignal("score_d", v)
	if v < s.p.Threshold {
		return "low", nil
	}
	return "", nil
}

func (s scoreD) Measure(d *Doc) (Measurements, error) {
	return Measurements{MeasureScore: s.score(d)}, nil
}

func (s scoreD) Decide(d *Doc, m Measurements) (string, error) {
	v, err := m.Float(MeasureScore)
	if err != nil {
		return "", err
	}
	d.SetSignal("score_d", v)
	if s.p.KeepTop == 0 && v < s.p.Threshold {
		return "low", nil
	}
	return "", nil
}

type rankD struct{ scoreD }

func (r rankD) Score(d *Doc) (float64, string, error) {
	v := r.score(d)
	d.SetSignal("score_d", v)
	return v, "", nil
}

func (r rankD) KeepTop() float64 { return r.p.KeepTop }

func init() {
	Register(Spec{Name: "test_min_len_d", Kind: KindFilter, Doc: "test"}, minLenDParams{Min: 3, Key: "long_enough"},
		func(p minLenDParams, _ Env) (any, error) { return minLenD{p}, nil })
	Register(Spec{Name: "test_score_d", Kind: KindFilter, Doc: "test"}, scoreDParams{},
		func(p scoreDParams, _ Env) (any, error) {
			if p.KeepTop > 0 {
				return rankD{scoreD{p}}, nil
			}
			return scoreD{p}, nil
		})
}

type dedupParams struct {
	Fold bool `yaml:"fold" doc:"compare upper-cased texts"`
}

// exactD removes later copies of a text: a Deduper.
type exactD struct{ fold bool }

func (e exactD) Filter(*Doc) (string, error) { return "", nil }

func (e exactD) Fingerprint(d *Doc, dst []byte) ([]byte, string, error) {
	t := d.Text
	if e.fold {
		t = strings.ToUpper(t)
	}
	return append(dst, t...), "", nil
}

func (e exactD) NewJudge() (Judge, error) { return &setJudge{seen: map[string]bool{}}, nil }

func (e exactD) Apply(_ *Doc, verdict []byte) (string, error) {
	if len(verdict) > 0 && verdict[0] == 1 {
		return "dup", nil
	}
	return "", nil
}

func (e exactD) GroupSize() int    { return 0 }
func (e exactD) PlanBytes() uint64 { return 0 }

type setJudge struct{ seen map[string]bool }

func (j *setJudge) Judge(fp, dst []byte) ([]byte, error) {
	if j.seen[string(fp)] {
		return append(dst, 1), nil
	}
	j.seen[string(fp)] = true
	return append(dst, 0), nil
}

func init() {
	Register(Spec{Name: "test_dedup", Kind: KindFilter, Doc: "test"}, dedupParams{},
		func(p dedupParams, _ Env) (any, error) { return exactD{p.Fold}, nil })
}
