package dedup

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/curator-dev/curator/filters"
)

// The removal reasons and signals of the steps.
const (
	// ReasonBFF removes a document bff_dedup emptied (or left only white
	// space, which DCLM does not write).
	ReasonBFF = "bff_duplicate"
	// ReasonExact removes a later copy of a content key.
	ReasonExact = "exact_duplicate"
	// SignalContainedBefore is DCLM's bff_contained_ngram_count_before_dedupe.
	SignalContainedBefore = "bff_contained_ngram_count_before_dedupe"
	// SignalSpans (annotate) is DCLM's bff_duplicate_spans: [][2]int.
	SignalSpans = "bff_duplicate_spans"
	// SignalContained (annotate) is DCLM's bff_contained_ngram_count.
	SignalContained = "bff_contained_ngram_count"
	// SignalDocDuplicate (annotate) says the document would have been emptied.
	SignalDocDuplicate = "bff_duplicate_document"
)

// BFFParams are the parameters of bff_dedup.
type BFFParams struct {
	Mode           string  `yaml:"mode" doc:"old-both (DCLM-Baseline), paragraph or document"`
	Ngram          int     `yaml:"ngram" doc:"tokens per shingle (DCLM max_ngram_size)"`
	MinNgram       int     `yaml:"min_ngram" doc:"a unit with at least this many tokens but fewer than ngram is one shingle (DCLM min_ngram_size; equal to ngram: such units are never deduplicated)"`
	Threshold      float64 `yaml:"threshold" doc:"a unit (and in old-both the document) is a duplicate when more than this fraction of its shingles are already in the filter"`
	ExpectedNgrams int64   `yaml:"expected_ngrams" doc:"distinct shingles the filter is sized for; DCLM advises an upper bound such as the run's token count"`
	FPRate         float64 `yaml:"fp_rate" doc:"false-positive rate per shingle the filter is sized for (DCLM's formula)"`
	Annotate       bool    `yaml:"annotate" doc:"keep the text and record the duplicate spans (bff_duplicate_spans, bff_contained_ngram_count, bff_duplicate_document) instead of removing"`
	Set            string  `yaml:"set" doc:"bloom, or exact (a map of every shingle hash: for tests and small runs)"`
}

// Validate checks the parameters.
func (p BFFParams) Validate() error {
	if _, err := ParseMode(p.Mode); err != nil {
		return err
	}
	if p.Ngram < 1 || p.MinNgram < 1 || p.MinNgram > p.Ngram {
		return fmt.Errorf("need 1 <= min_ngram (%d) <= ngram (%d)", p.MinNgram, p.Ngram)
	}
	if !(p.Threshold >= 0 && p.Threshold <= 1) {
		return fmt.Errorf("threshold %v is not in [0, 1]", p.Threshold)
	}
	if p.Set != "bloom" && p.Set != "exact" {
		return fmt.Errorf("set %q: want bloom or exact", p.Set)
	}
	if p.Set == "bloom" {
		if _, err := PlanBloom(uint64(max(p.ExpectedNgrams, 0)), p.FPRate); err != nil {
			return err
		}
	}
	return nil
}

// ExactParams are the parameters of exact_dedup.
type ExactParams struct {
	Key string `yaml:"key" doc:"content key: text (the text's MD5), normalized_text (MD5 of Python text.strip().lower()) or url (MD5 of DCLM's normalize_url)"`
}

// Validate checks the parameters.
func (p ExactParams) Validate() error { _, err := ParseKeyKind(p.Key); return err }

func init() {
	filters.Register(filters.Spec{Name: "bff_dedup", Kind: filters.KindModifier,
		Doc: "DCLM's BFF near-duplicate removal (old-both by default): removes paragraphs of which more than `threshold` of the 13-token shingles were seen before and empties documents that are duplicates as a whole. " +
			"Sequential in one process: documents are decided in the order they reach the step; run-wide determinism comes from the run.",
		Writes: []string{SignalContainedBefore, SignalSpans, SignalContained, SignalDocDuplicate}},
		BFFParams{Mode: string(ModeOldBoth), Ngram: 13, MinNgram: 13, Threshold: 0.8,
			ExpectedNgrams: 10_000_000, FPRate: 0.01, Set: "bloom"},
		func(p BFFParams, _ filters.Env) (any, error) { return NewBFF(p) })
	filters.Register(filters.Spec{Name: "exact_dedup", Kind: filters.KindFilter,
		Doc: "Removes every document whose content key (text, normalized text or URL) an earlier document had. " +
			"Sequential in one process: the first to reach the step is kept; run-wide determinism comes from the run."},
		ExactParams{Key: string(KeyText)},
		func(p ExactParams, _ filters.Env) (any, error) {
			k, _ := ParseKeyKind(p.Key)
			return &exactStep{kind: k, seen: map[Key]struct{}{}}, nil
		})
}

// BFF is the bff_dedup step: a shingler per goroutine, one set and one
// decider behind a lock.
type BFF struct {
	p       BFFParams
	dec     Decider
	pool    sync.Pool
	mu      sync.Mutex
	set     Set
	member  Membership
	decided Decision
}

// NewBFF builds the step; its filter is allocated at once (Plan tells the
// size beforehand).
func NewBFF(p BFFParams) (*BFF, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	mode, _ := ParseMode(p.Mode)
	s := &BFF{p: p, dec: Decider{Mode: mode, Threshold: p.Threshold}}
	if p.Set == "exact" {
		s.set = NewExact()
		s.member = &SetMembership{Set: s.set}
	} else {
		plan, _ := PlanBloom(uint64(p.ExpectedNgrams), p.FPRate)
		b, err := NewBloom(plan)
		if err != nil {
			return nil, err
		}
		s.set, s.member = b, b
	}
	s.pool.New = func() any { z, _ := NewShingler(p.Ngram, p.MinNgram, mode.Whole()); return z }
	return s, nil
}

// Set returns the step's membership set.
func (s *BFF) Set() Set { return s.set }

// Modify decides on d.
func (s *BFF) Modify(d *filters.Doc) (string, error) {
	z := s.pool.Get().(*Shingler)
	sh := z.Shingle(d.Text)
	s.mu.Lock()
	s.dec.Decide(sh, s.member, &s.decided)
	dc := Decision{Removed: append([]Span(nil), s.decided.Removed...), Empty: s.decided.Empty,
		Contained: s.decided.Contained, Total: s.decided.Total}
	s.mu.Unlock()
	s.pool.Put(z)
	if s.p.Annotate {
		spans := make([][2]int, len(dc.Removed))
		for i, w := range dc.Removed {
			spans[i] = [2]int{w.Start, w.End}
		}
		d.SetSignal(SignalSpans, spans)
		d.SetSignal(SignalContained, dc.Contained)
		d.SetSignal(SignalDocDuplicate, dc.Empty)
		return "", nil
	}
	d.SetSignal(SignalContainedBefore, dc.Contained)
	if out := dc.Apply(d.Text); out != d.Text {
		d.SetText(out)
	}
	if strings.TrimFunc(d.Text, unicode.IsSpace) == "" {
		return ReasonBFF, nil
	}
	return "", nil
}

type exactStep struct {
	kind KeyKind
	mu   sync.Mutex
	seen map[Key]struct{}
}

func (e *exactStep) Filter(d *filters.Doc) (string, error) {
	k := ContentKey(e.kind, d.Text, d.URL)
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, dup := e.seen[k]; dup {
		return ReasonExact, nil
	}
	e.seen[k] = struct{}{}
	return "", nil
}
