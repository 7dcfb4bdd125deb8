package filters

import (
	"errors"
	"fmt"
)

// Decision is what Selection.Apply made of a document.
type Decision struct {
	// Outcome is the target recipe's outcome, as a fresh run would give it
	// (unset when Staged).
	Outcome Outcome
	// Staged is true when the document reached a keep_top step whose
	// threshold was not given: Step is the step's index in the target
	// recipe, StepID its id, Score the document's score there.
	Staged bool
	Step   int
	StepID string
	Score  float64
	// Tokens, for a removed document, counts the tokens of the text it
	// leaves the target recipe with (as the annotated run recorded them
	// after the source step that measured it; 0 when not recorded).
	Tokens int64
}

// counted is one step's counters for one document, added to the stats
// once the document has an outcome.
type counted struct {
	step      int
	in, out   int64
	reason    string
	err, kept bool
	modified  bool
}

// Apply decides d for the target recipe from ann, the source recipe's
// annotations of d (Tree.Annotations, or ParseAnnotations of what was
// written). d is the document as the annotated run kept it for the source
// recipe: its text is the final text of both recipes. Apply first drops the
// signals the source's filters wrote from their measurements, then the
// target's filters decide in the target's order, writing their signals, as
// a fresh run would: the first that removes d gives the outcome.
//
// A staged document may be applied again with the same selection; a
// document given to another selection must be read again.
//
// thresholds holds the thresholds of the target's keep_top steps, by step
// id (score >= threshold keeps, as Tree.Resume). A document that reaches a
// keep_top step with no threshold in it is Staged, with its score: fix the
// threshold from the scores of every staged document, then apply those
// again with it. Counters go to st (from NewStats; nil: not counted) only
// when Apply gives an outcome, so that, applied once to completion, every
// document counts once: they equal a fresh run's for the target (time
// aside). The error says what is wrong with ann.
func (s *Selection) Apply(d *Doc, ann []Annotation, thresholds map[string]float64, st *TreeStats) (Decision, error) {
	if err := s.checkAnnotations(ann); err != nil {
		return Decision{}, fmt.Errorf("document %s: %w", d.ID, err)
	}
	s.forgetSignals(d, ann)
	var cs []counted
	bytesOut := func(j int) int64 {
		if j+1 < len(ann) {
			return ann[j+1].Bytes
		}
		return docBytes(d)
	}
	dec := Decision{Outcome: Outcome{Kept: true}}
	for i, ts := range s.target.Steps {
		plan := s.steps[i]
		a := ann[plan.src]
		c := counted{step: i, in: a.Bytes}
		stop := func(o Outcome) {
			o.StepID = ts.ID
			dec.Outcome = o
			dec.Tokens = a.Tokens
		}
		if a.Error != "" {
			c.err = true
			cs = append(cs, c)
			stop(Outcome{Reason: ReasonError, Err: errors.New(a.Error)})
			break
		}
		reason := a.Reason
		if plan.role == roleDecider || plan.role == roleRanker {
			var err error
			if reason, err = decide(plan.dec, d, a.M); err != nil {
				return Decision{}, fmt.Errorf("document %s: step %s: %w", d.ID, ts.ID, err)
			}
		}
		if reason == "" && plan.role == roleRanker {
			score, err := a.M.Float(MeasureScore)
			if err != nil {
				return Decision{}, fmt.Errorf("document %s: step %s: %w", d.ID, ts.ID, err)
			}
			thr, ok := thresholds[ts.ID]
			if !ok {
				return Decision{Staged: true, Step: i, StepID: ts.ID, Score: score}, nil
			}
			if score < thr {
				reason = ReasonNotTop
			}
		}
		if reason != "" {
			c.reason = reason
			cs = append(cs, c)
			stop(Outcome{Reason: reason})
			break
		}
		c.kept = true
		c.out = a.Bytes
		if plan.role == roleStructural {
			c.out = bytesOut(plan.src)
			c.modified = a.Modified
		}
		cs = append(cs, c)
	}
	if st != nil {
		for _, c := range cs {
			ns := &st.Nodes[c.step]
			ns.In++
			ns.BytesIn += c.in
			switch {
			case c.err:
				ns.Errors++
			case c.reason != "":
				ns.remove(c.reason)
			default:
				ns.Kept++
				ns.BytesOut += c.out
				if c.modified {
					ns.Modified++
				}
			}
		}
	}
	return dec, nil
}

// decide runs a Decider's Decide; a step that panics gives an error.
func decide(dc Decider, d *Doc, m Measurements) (reason string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("step panicked deciding: %v", p)
		}
	}()
	return dc.Decide(d, m)
}

// checkAnnotations checks that ann are the source recipe's.
func (s *Selection) checkAnnotations(ann []Annotation) error {
	steps := s.source.Steps
	if len(ann) != len(steps) {
		return fmt.Errorf("%d annotations for recipe %s of %d steps", len(ann), s.source.Name, len(steps))
	}
	for i, a := range ann {
		if a.Step != steps[i].ID || a.Use != steps[i].Use {
			return fmt.Errorf("annotation %d is of step %s (%s), recipe %s's step %d is %s (%s)", i+1, a.Step, a.Use, s.source.Name, i+1, steps[i].ID, steps[i].Use)
		}
	}
	return nil
}

// forgetSignals drops from d the signals the source's Deciders wrote:
// those their Decide writes from the recorded measurements.
func (s *Selection) forgetSignals(d *Doc, ann []Annotation) {
	if len(d.Signals) == 0 {
		return
	}
	for _, f := range s.forget {
		a := ann[f.src]
		if a.Error != "" || a.M == nil {
			continue
		}
		var scratch Doc
		if _, err := decide(f.dec, &scratch, a.M); err != nil {
			continue
		}
		for k := range scratch.Signals {
			delete(d.Signals, k)
		}
	}
}
