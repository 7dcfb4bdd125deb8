package quality

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
)

// StepParams are the parameters of the fasttext_quality step.
type StepParams struct {
	Model         string  `yaml:"model" file:"true" doc:"fastText 0.9.x supervised model file (.bin or .ftz), relative to the recipe; DCLM-Baseline's is openhermes_reddit_eli5_vs_rw_v2_bigram_200k_train.bin (Hugging Face mlfoundations/fasttext-oh-eli5)"`
	PositiveLabel string  `yaml:"positive_label" doc:"the label whose probability is the score; when the top label is another, the score is 1 - its probability (DCLM's classify_fasttext_hq_prob)"`
	Key           string  `yaml:"key" decide:"true" doc:"signal that receives the score"`
	Threshold     float64 `yaml:"threshold" decide:"true" doc:"keep a document iff its score >= threshold (DCLM-Baseline: 0.018112); 0 keeps every document and only annotates"`
	KeepTop       float64 `yaml:"keep_top" decide:"true" doc:"instead of a threshold, keep the top fraction (0.10: the best 10%) of the documents the whole run scores here; the coordinator fixes the threshold once every task is scored (0: off)"`
	JoinLines     bool    `yaml:"join_lines" doc:"score DCLM's text: \" \".join(text.strip().splitlines()); false scores the first line only, as fastText reads a line"`
}

// Validate implements filters.Validator.
func (p StepParams) Validate() error {
	switch {
	case p.Model == "":
		return errors.New("model: a fastText model file is required")
	case p.PositiveLabel == "":
		return errors.New("positive_label is empty")
	case p.Key == "":
		return errors.New("key is empty")
	case !(p.KeepTop >= 0 && p.KeepTop <= 1):
		return fmt.Errorf("keep_top %v: give a fraction in (0, 1], or 0 for off", p.KeepTop)
	case p.KeepTop > 0 && p.Threshold != 0:
		return fmt.Errorf("threshold %v and keep_top %v: give one of them (set threshold: 0 to use keep_top)", p.Threshold, p.KeepTop)
	}
	return nil
}

// qualityStep scores documents with a shared model; each goroutine takes a
// Predictor from the pool.
type qualityStep struct {
	p     StepParams
	model *Model
	pool  sync.Pool
}

// Filter implements filters.Filter.
func (s *qualityStep) Filter(d *filters.Doc) (string, error) {
	return s.decide(s.score(d)), nil
}

// decide is the decision on a document of score score.
func (s *qualityStep) decide(score float64) string {
	if score < s.p.Threshold {
		return "low_quality"
	}
	return ""
}

// Measure implements filters.Decider: the score.
func (s *qualityStep) Measure(d *filters.Doc) (filters.Measurements, error) {
	return filters.Measurements{filters.MeasureScore: s.predict(d)}, nil
}

// Decide implements filters.Decider: it records the score as the step's
// signal and decides.
func (s *qualityStep) Decide(d *filters.Doc, m filters.Measurements) (string, error) {
	score, err := m.Float(filters.MeasureScore)
	if err != nil {
		return "", err
	}
	d.SetSignal(s.p.Key, score)
	return s.decide(score), nil
}

// score computes d's score and records it as the step's signal.
func (s *qualityStep) score(d *filters.Doc) float64 {
	score := s.predict(d)
	d.SetSignal(s.p.Key, score)
	return score
}

// predict computes d's score.
func (s *qualityStep) predict(d *filters.Doc) float64 {
	line := d.Text
	if s.p.JoinLines {
		line = strings.Join(text.Splitlines(text.Strip(line)), " ")
	}
	pr := s.pool.Get().(*Predictor)
	preds := pr.PredictLine(line, 1, 0)
	var score float64
	if len(preds) > 0 {
		// As DCLM: the probability of the positive label when it is the top
		// one, else one minus the top one's (exact with two labels).
		score = float64(preds[0].Prob)
		if preds[0].Label != s.p.PositiveLabel {
			score = 1 - score
		}
	}
	s.pool.Put(pr)
	return score
}

// rankStep is the step with keep_top: a filters.Ranker.
type rankStep struct{ *qualityStep }

// Score implements filters.Ranker.
func (s rankStep) Score(d *filters.Doc) (float64, string, error) { return s.score(d), "", nil }

// Decide implements filters.Decider for a Ranker: it records the score as
// the step's signal and removes no document before ranking.
func (s rankStep) Decide(d *filters.Doc, m filters.Measurements) (string, error) {
	score, err := m.Float(filters.MeasureScore)
	if err != nil {
		return "", err
	}
	d.SetSignal(s.p.Key, score)
	return "", nil
}

// KeepTop implements filters.Ranker.
func (s rankStep) KeepTop() float64 { return s.p.KeepTop }

// models shares loaded models between the steps of a process (several
// recipes naming the same file load it once). It is keyed by the file's
// absolute path, size and modification time.
var models = struct {
	sync.Mutex
	m map[string]*Model
}{m: map[string]*Model{}}

func loadShared(path string) (*Model, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("model %s: no such file (DCLM-Baseline's model is downloaded as recipes/models/README.md says; "+
			"curator run --set STEP.model=FILE points a recipe at another)", abs)
	}
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	key := fmt.Sprintf("%s\x00%d\x00%d", abs, st.Size(), st.ModTime().UnixNano())
	models.Lock()
	defer models.Unlock()
	if m, ok := models.m[key]; ok {
		return m, nil
	}
	m, err := Load(abs)
	if err != nil {
		return nil, err
	}
	models.m[key] = m
	return m, nil
}

func init() {
	filters.Register(filters.Spec{
		Name: "fasttext_quality",
		Kind: filters.KindFilter,
		Doc: "Scores documents with a fastText supervised classifier, as DCLM's classify_fasttext_hq_prob_enricher does " +
			"(the probability of the positive label, or 1 - p when the top label is another), stores the score as a signal " +
			"and keeps documents whose score is at least the threshold (DCLM's quality_filter), or, with keep_top, the run's best fraction " +
			"by score (a threshold the coordinator fixes from every score of the run). The model is loaded once per " +
			"process and shared read-only by all workers.",
		Writes: []string{"<key>"},
	},
		StepParams{PositiveLabel: "__label__hq", Key: "fasttext_quality_prob", JoinLines: true},
		func(p StepParams, env filters.Env) (any, error) {
			m, err := loadShared(env.Path(p.Model))
			if err != nil {
				return nil, err
			}
			if !slices.Contains(m.Labels(), p.PositiveLabel) {
				return nil, fmt.Errorf("positive_label %q is not a label of %s (labels: %s)", p.PositiveLabel, p.Model, strings.Join(m.Labels(), ", "))
			}
			s := &qualityStep{p: p, model: m}
			s.pool.New = func() any { return m.NewPredictor() }
			if p.KeepTop > 0 {
				return rankStep{s}, nil
			}
			return s, nil
		})
}
