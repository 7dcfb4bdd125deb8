package filters

import (
	"fmt"
	"slices"
	"strings"
)

// Selection decides the documents of an annotated run (Tree.SetAnnotate)
// for a target recipe from what the run's source recipe measured, without
// measuring again: every filter of the target is matched to a filter of the
// source that measured the same thing of the same text. Made by
// PlanSelection; safe for concurrent use.
type Selection struct {
	source, target *Recipe
	steps          []selStep // one per target step
	forget         []forget  // their signals are dropped before deciding
}

// forget is a Decider of the source whose signals Apply drops.
type forget struct {
	src int // the source step whose measurements it decides on
	dec Decider
}

// The roles of a target step in a selection.
type selRole int

const (
	roleStructural selRole = iota // modifier, annotator: the source's outcome
	roleDecider                   // decided again from the source's measurements
	roleRecorded                  // a filter that records no measurements: the source's reason
	roleRanker                    // keep_top: the source's score against the run's threshold
)

type selStep struct {
	src     int // the source step
	role    selRole
	dec     Decider
	keepTop float64
}

// SelectionError lists every target step a selection cannot decide from
// the annotated run: each needs its measurements taken again.
type SelectionError struct {
	Source, Target string // the recipes' names
	Problems       []string
}

func (e *SelectionError) Error() string {
	return fmt.Sprintf("recipe %s cannot be selected from the annotations of recipe %s; these steps need their measurements taken again (curator run):\n  %s",
		e.Target, e.Source, strings.Join(e.Problems, "\n  "))
}

// structural reports whether s changes text or writes signals for the steps
// after it whatever they decide: a modifier or an annotator (bff_dedup, a
// dedup step that modifies, is one). A dedup step of the filter kind
// (exact_dedup) is a filter that records no measurements.
func structural(s RecipeStep) bool {
	e, ok := Lookup(s.Use)
	return ok && (e.Kind == KindModifier || e.Kind == KindAnnotator)
}

// kindWord names s's kind in messages.
func kindWord(s RecipeStep) string {
	if _, ok := s.Step.(Deduper); ok {
		return "dedup step"
	}
	if e, ok := Lookup(s.Use); ok {
		return string(e.Kind)
	}
	return "step"
}

// stepName names s in messages: its id, and its step name when they differ.
func stepName(s RecipeStep) string {
	if s.ID == s.Use {
		return s.ID
	}
	return s.ID + " (" + s.Use + ")"
}

// PlanSelection matches every step of target to a step of source, whose
// annotations an annotated run recorded. The target's modifiers and
// annotators (bff_dedup among them) must be the source's, with the same
// parameters, in the same order (the kept text is the source's final text). Each target filter must
// have a source filter of the same name that measured the same thing (same
// measurement parameters; every parameter for a filter that is no Decider)
// after the same modifiers and annotators: its decision parameters may
// differ, and filters may move among themselves or be dropped. A dedup step
// is only taken over when no step before it in the target can remove a
// document (the annotated run let every document reach it). Both recipes
// must be built. The error, a *SelectionError, lists every step that cannot
// be matched, with the reason.
func PlanSelection(source, target *Recipe) (*Selection, error) {
	for _, r := range []*Recipe{source, target} {
		for _, s := range r.Steps {
			if s.Step == nil {
				return nil, fmt.Errorf("recipe %s: step %s is not built", r.Name, s.ID)
			}
		}
	}
	sel := &Selection{source: source, target: target, steps: make([]selStep, len(target.Steps))}
	var problems []string
	srcS, tgtS := structuralSteps(source), structuralSteps(target)
	structOK := compareStructure(source, target, srcS, tgtS, &problems)
	srcCtx, tgtCtx := contexts(source), contexts(target)
	k := 0
	for i, ts := range target.Steps {
		if _, ok := ts.Step.(Deduper); ok {
			checkDedup(target, i, &problems)
		}
		if structural(ts) {
			if structOK {
				sel.steps[i] = selStep{src: srcS[k], role: roleStructural}
			}
			k++
			continue
		}
		st, msg := matchFilter(source, srcCtx, ts, tgtCtx[i])
		if msg != "" {
			problems = append(problems, msg)
			continue
		}
		sel.steps[i] = st
	}
	if len(problems) > 0 {
		return nil, &SelectionError{Source: source.Name, Target: target.Name, Problems: problems}
	}
	for j, s := range source.Steps {
		if dc, ok := s.Step.(Decider); ok && !structural(s) {
			sel.forget = append(sel.forget, forget{src: j, dec: dc})
		}
	}
	return sel, nil
}

// structuralSteps returns the indexes of r's structural steps.
func structuralSteps(r *Recipe) []int {
	var out []int
	for i, s := range r.Steps {
		if structural(s) {
			out = append(out, i)
		}
	}
	return out
}

// contexts gives, for each step of r, the number of structural steps before it.
func contexts(r *Recipe) []int {
	out := make([]int, len(r.Steps))
	n := 0
	for i, s := range r.Steps {
		out[i] = n
		if structural(s) {
			n++
		}
	}
	return out
}

func sameStep(a, b RecipeStep) bool {
	return a.Use == b.Use && string(a.CanonicalParams()) == string(b.CanonicalParams())
}

// compareStructure checks that the structural steps of target are those of
// source, in order, and says how they differ.
func compareStructure(source, target *Recipe, srcS, tgtS []int, problems *[]string) bool {
	if len(srcS) == len(tgtS) {
		same := true
		for i, j := range srcS {
			same = same && sameStep(source.Steps[j], target.Steps[tgtS[i]])
		}
		if same {
			return true
		}
	}
	matched := make([]int, len(tgtS)) // position in srcS, -1: none
	claimed := make([]bool, len(srcS))
	var before []string
	missing := false
	for i, ti := range tgtS {
		ts := target.Steps[ti]
		matched[i] = -1
		for k, sj := range srcS {
			if !claimed[k] && sameStep(source.Steps[sj], ts) {
				matched[i], claimed[k] = k, true
				break
			}
		}
		if matched[i] >= 0 {
			continue
		}
		missing = true
		var same []int
		for k, sj := range srcS {
			if source.Steps[sj].Use == ts.Use && !claimed[k] {
				same = append(same, k)
			}
		}
		if len(same) == 0 {
			before = append(before, fmt.Sprintf("%s %s: not in the source recipe's modifiers and annotators (the kept text and signals are the source's)", kindWord(ts), stepName(ts)))
			continue
		}
		k := same[0]
		for _, c := range same {
			if source.Steps[srcS[c]].ID == ts.ID {
				k = c
			}
		}
		claimed[k] = true
		diffs := paramDiffs(source.Steps[srcS[k]].Params, ts.Params, false)
		before = append(before, fmt.Sprintf("%s %s changed: %s (source vs target)", kindWord(ts), stepName(ts), strings.Join(diffs, "; ")))
	}
	for k, sj := range srcS {
		if !claimed[k] {
			missing = true
			s := source.Steps[sj]
			before = append(before, fmt.Sprintf("%s %s of the source recipe is missing from the target (the kept text and signals are the source's)", kindWord(s), stepName(s)))
		}
	}
	if !missing {
		for i, k := range matched {
			if k != i {
				ts := target.Steps[tgtS[i]]
				before = append(before, fmt.Sprintf("%s %s moved: it is modifier or annotator %d of the source and %d of the target (they must keep their order)", kindWord(ts), stepName(ts), k+1, i+1))
			}
		}
	}
	*problems = append(*problems, before...)
	return false
}

// checkDedup refuses the dedup step at target step i when a step before it
// can remove documents.
func checkDedup(target *Recipe, i int, problems *[]string) {
	for _, s := range target.Steps[:i] {
		if _, dd := s.Step.(Deduper); !dd && kindWord(s) == string(KindAnnotator) {
			continue
		}
		*problems = append(*problems, fmt.Sprintf("dedup step %s: its verdicts depend on the documents that reach it; %s %s before it can remove documents, while the annotated run let every document reach it",
			stepName(target.Steps[i]), kindWord(s), stepName(s)))
		return
	}
}

// matchFilter finds the source filter that measured what the target filter
// ts needs, after ctx structural steps.
func matchFilter(source *Recipe, srcCtx []int, ts RecipeStep, ctx int) (selStep, string) {
	tdec, isDec := ts.Step.(Decider)
	rk, isRank := ts.Step.(Ranker)
	if isRank && !isDec {
		return selStep{}, fmt.Sprintf("step %s: a keep_top step that cannot decide from measurements (it is no filters.Decider)", stepName(ts))
	}
	key := func(s RecipeStep) string {
		if isDec {
			return string(MeasurementParams(s.Params))
		}
		return string(s.CanonicalParams())
	}
	want := key(ts)
	var sameUse, sameKey []int
	found := -1
	for j, s := range source.Steps {
		if s.Use != ts.Use || structural(s) {
			continue
		}
		sameUse = append(sameUse, j)
		if _, d := s.Step.(Decider); d != isDec || key(s) != want {
			continue
		}
		sameKey = append(sameKey, j)
		if srcCtx[j] == ctx && (found < 0 || s.ID == ts.ID) {
			found = j
		}
	}
	sameID := -1
	for _, j := range sameUse {
		if source.Steps[j].ID == ts.ID {
			sameID = j
		}
	}
	switch {
	case found >= 0:
		st := selStep{src: found, role: roleRecorded}
		if isDec {
			st.role, st.dec = roleDecider, tdec
		}
		if isRank {
			st.role, st.keepTop = roleRanker, rk.KeepTop()
		}
		return st, ""
	case len(sameUse) == 0:
		return selStep{}, fmt.Sprintf("step %s: not in the source recipe", stepName(ts))
	case len(sameKey) > 0 && (sameID < 0 || slices.Contains(sameKey, sameID)):
		if sameID >= 0 {
			sameKey[0] = sameID
		}
		return selStep{}, fmt.Sprintf("step %s: measured after %d modifiers and annotators in the target but after %d in the source: it would see another text",
			stepName(ts), ctx, srcCtx[sameKey[0]])
	}
	best := sameUse[0]
	if sameID >= 0 {
		best = sameID
	}
	src := source.Steps[best]
	diffs := paramDiffs(src.Params, ts.Params, isDec)
	what := "measurement parameter"
	if !isDec {
		what = "parameter (the step records no measurements, so any change needs it run again)"
	}
	var parts []string
	for _, d := range diffs {
		name, vals, _ := strings.Cut(d, ": ")
		parts = append(parts, fmt.Sprintf("%s %s differs: %s", what, name, vals))
	}
	if len(parts) == 0 {
		parts = []string{"it records no measurements in the source"}
	}
	return selStep{}, fmt.Sprintf("step %s: %s (source step %s vs target)", stepName(ts), strings.Join(parts, "; "), src.ID)
}

// Source returns the recipe whose annotations the selection reads.
func (s *Selection) Source() *Recipe { return s.source }

// Target returns the recipe the selection decides for.
func (s *Selection) Target() *Recipe { return s.target }

// Rankers returns the indexes of the target's keep_top steps, in order.
func (s *Selection) Rankers() []int {
	var out []int
	for i, st := range s.steps {
		if st.role == roleRanker {
			out = append(out, i)
		}
	}
	return out
}

// KeepTop returns the fraction the keep_top step at target step i keeps, 0
// if it is not one.
func (s *Selection) KeepTop(i int) float64 { return s.steps[i].keepTop }

// NewStats returns zeroed counters for Apply, one per target step: they
// are indexed like the nodes of a tree of the target recipe alone.
func (s *Selection) NewStats() *TreeStats {
	return &TreeStats{Nodes: make([]NodeStats, len(s.target.Steps))}
}
