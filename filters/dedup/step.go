package dedup

import (
	"bufio"
	"fmt"
	"os"
	"sync"

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
	SeedFrom       string  `yaml:"seed_from" file:"true" doc:"start from the final filter of an earlier run (the .filter file its run.json names under dedups, relative to the recipe), so that what it saw counts as seen: dedup a new crawl against old ones; expected_ngrams and fp_rate are then the file's"`
	GroupSize      int     `yaml:"group_size" doc:"0 (scope: the whole run, DCLM's goal): one filter over every task in canonical order; N: tasks 0..N-1, N..2N-1, ... are each deduplicated against themselves only (DCLM's local shards), in parallel"`
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
	if p.GroupSize < 0 {
		return fmt.Errorf("group_size %d: must not be negative", p.GroupSize)
	}
	if p.Set != "bloom" && p.Set != "exact" {
		return fmt.Errorf("set %q: want bloom or exact", p.Set)
	}
	if p.SeedFrom != "" && (p.Set != "bloom" || p.GroupSize != 0) {
		return fmt.Errorf("seed_from: needs set: bloom and the whole run (group_size 0)")
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
	Key       string `yaml:"key" doc:"content key: text (the text's MD5), normalized_text (MD5 of Python text.strip().lower()) or url (MD5 of DCLM's normalize_url)"`
	GroupSize int    `yaml:"group_size" doc:"0: the first copy in the whole run (canonical order) is kept; N: within each group of N consecutive tasks"`
}

// Validate checks the parameters.
func (p ExactParams) Validate() error {
	if p.GroupSize < 0 {
		return fmt.Errorf("group_size %d: must not be negative", p.GroupSize)
	}
	_, err := ParseKeyKind(p.Key)
	return err
}

func init() {
	filters.Register(filters.Spec{Name: "bff_dedup", Kind: filters.KindModifier,
		Doc: "DCLM's BFF near-duplicate removal (old-both by default): removes paragraphs of which more than `threshold` of the 13-token shingles were seen before and empties documents that are duplicates as a whole. " +
			"Run-wide: workers hash shingles in parallel, the run decides every document in canonical order (task, record), as one sequential pass would, whatever the number of workers.",
		Writes: []string{SignalContainedBefore, SignalSpans, SignalContained, SignalDocDuplicate}},
		BFFParams{Mode: string(ModeOldBoth), Ngram: 13, MinNgram: 13, Threshold: 0.8,
			ExpectedNgrams: 10_000_000, FPRate: 0.01, Set: "bloom"},
		func(p BFFParams, env filters.Env) (any, error) {
			if p.SeedFrom != "" {
				p.SeedFrom = env.Path(p.SeedFrom)
			}
			return NewBFF(p)
		})
	filters.Register(filters.Spec{Name: "exact_dedup", Kind: filters.KindFilter,
		Doc: "Removes every document whose content key (text, normalized text or URL) an earlier document had. " +
			"Run-wide: the first copy in canonical order (task, record) is kept, whatever the number of workers."},
		ExactParams{Key: string(KeyText)},
		func(p ExactParams, _ filters.Env) (any, error) {
			k, _ := ParseKeyKind(p.Key)
			return &exactStep{kind: k, group: p.GroupSize, seen: map[Key]struct{}{}}, nil
		})
}

// BFF is the bff_dedup step. In a run it is a filters.Deduper (judge.go):
// the run decides. Called directly (Modify, Recipe.Run) it decides itself,
// sequentially in call order, with one set behind a lock, allocated on the
// first call.
type BFF struct {
	p       BFFParams
	dec     Decider
	pool    sync.Pool
	mu      sync.Mutex
	set     Set
	member  Membership
	lookup  *Lookup // member, for a bloom filter
	setErr  error
	decided Decision
}

// NewBFF builds the step.
func NewBFF(p BFFParams) (*BFF, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	mode, _ := ParseMode(p.Mode)
	s := &BFF{p: p, dec: Decider{Mode: mode, Threshold: p.Threshold}}
	s.pool.New = func() any { z, _ := NewShingler(p.Ngram, p.MinNgram, mode.Whole()); return z }
	return s, nil
}

// newSet allocates an empty set as the parameters plan it, or reads the
// seed filter.
func (s *BFF) newSet() (Set, Membership, error) {
	if s.p.SeedFrom != "" {
		f, err := os.Open(s.p.SeedFrom)
		if err != nil {
			return nil, nil, fmt.Errorf("seed_from: %w", err)
		}
		defer f.Close()
		b, err := ReadBloom(bufio.NewReaderSize(f, 1<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("seed_from %s: %w", s.p.SeedFrom, err)
		}
		return b, b, nil
	}
	if s.p.Set == "exact" {
		set := NewExact()
		return set, &SetMembership{Set: set}, nil
	}
	plan, _ := PlanBloom(uint64(s.p.ExpectedNgrams), s.p.FPRate)
	b, err := NewBloom(plan)
	if err != nil {
		return nil, nil, err
	}
	return b, b, nil
}

// Set returns the set of the step's own sequential decisions (nil before
// the first Modify).
func (s *BFF) Set() Set {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.set
}

// Modify decides on d, sequentially in call order.
func (s *BFF) Modify(d *filters.Doc) (string, error) {
	z := s.pool.Get().(*Shingler)
	sh := z.Shingle(d.Text)
	s.mu.Lock()
	if s.set == nil && s.setErr == nil {
		s.set, s.member, s.setErr = s.newSet()
		if b, ok := s.set.(*Bloom); ok {
			s.lookup = NewLookup(b)
			s.member = s.lookup
		}
	}
	if s.setErr != nil {
		s.mu.Unlock()
		s.pool.Put(z)
		return "", s.setErr
	}
	if s.lookup != nil {
		s.lookup.Load(sh.Hashes)
	}
	s.dec.Decide(sh, s.member, &s.decided)
	dc := Decision{Removed: append([]Span(nil), s.decided.Removed...), Empty: s.decided.Empty,
		Contained: s.decided.Contained, Total: s.decided.Total}
	s.mu.Unlock()
	s.pool.Put(z)
	return s.apply(d, &dc), nil
}

type exactStep struct {
	kind  KeyKind
	group int
	mu    sync.Mutex
	seen  map[Key]struct{}
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
