package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/quantile"
	"github.com/curator-dev/curator/workers"
)

// planGroups finds, for every target recipe, the source recipe that can
// serve it (the one named, or the first that can), and groups the targets
// by source.
func planGroups(sources, targets []*filters.Recipe, name string) ([]*selectGroup, error) {
	var groups []*selectGroup
	bySource := map[int]*selectGroup{}
	for ti, t := range targets {
		var problems []string
		found := false
		for si, s := range sources {
			if name != "" && s.Name != name {
				continue
			}
			sel, err := filters.PlanSelection(s, t)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			g := bySource[si]
			if g == nil {
				g = &selectGroup{source: si}
				bySource[si] = g
				groups = append(groups, g)
			}
			g.targets = append(g.targets, ti)
			g.sels = append(g.sels, sel)
			found = true
			break
		}
		if !found {
			if len(problems) == 0 {
				return nil, fmt.Errorf("select: the annotated run has no recipe %q", name)
			}
			return nil, fmt.Errorf("select: %s", strings.Join(problems, "\n"))
		}
	}
	return groups, nil
}

// sourceOf is the source recipe of target ti.
func sourceOf(groups []*selectGroup, ti int) int {
	for _, g := range groups {
		if slices.Contains(g.targets, ti) {
			return g.source
		}
	}
	return -1
}

// fixSelectThresholds fixes the thresholds of the group's keep_top steps,
// shallowest first, from the scores of the documents that reach them, as a
// run would: one pass over the files for each depth of keep_top steps.
func fixSelectThresholds(ctx context.Context, g *selectGroup, thr []map[string]float64, f *selectFlags) ([]*coordinator.ThresholdRecord, error) {
	ranks := false
	for _, s := range g.sels {
		ranks = ranks || len(s.Rankers()) > 0
	}
	if !ranks {
		return nil, nil
	}
	exact := f.exactScores
	if exact <= 0 {
		exact = quantile.DefaultExactLimit
	}
	var out []*coordinator.ThresholdRecord
	for {
		// Scores per file, then in file order: the order a run adds them.
		perFile := make([][]map[string][]float64, len(g.files))
		err := forFiles(ctx, len(g.files), f.workers, func(fi int) error {
			var err error
			perFile[fi], err = workers.StagedScores(ctx, g.files[fi], g.sels, thr)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("select: %w", err)
		}
		fixed := 0
		for k, s := range g.sels {
			for _, si := range s.Rankers() {
				id := s.Target().Steps[si].ID
				if _, done := thr[k][id]; done {
					continue
				}
				r := quantile.NewRanker(exact, 0)
				n := 0
				for _, pf := range perFile {
					for _, x := range pf[k][id] {
						if err := r.Add(x); err != nil {
							return nil, fmt.Errorf("select: keep_top step %s: %w", id, err)
						}
						n++
					}
				}
				if n == 0 {
					continue
				}
				rec := &coordinator.ThresholdRecord{StepRef: coordinator.StepRef{Node: si, Use: s.Target().Steps[si].Use,
					Recipes: []string{s.Target().Name}, StepIDs: []string{id}}, KeepTop: s.KeepTop(si),
					ExactLimit: exact, SketchCapacity: quantile.DefaultCapacity}
				if err := coordinator.FixThreshold(rec, r); err != nil {
					return nil, fmt.Errorf("select: keep_top step %s: %w", id, err)
				}
				if rec.Threshold != nil {
					thr[k][id] = *rec.Threshold
				}
				out = append(out, rec)
				fixed++
			}
		}
		if fixed == 0 {
			return out, nil
		}
	}
}

// selectFiles applies the group's selections to every file, workers files
// at a time; the results are in file order.
func selectFiles(ctx context.Context, g *selectGroup, thr []map[string]float64, o workers.SelectOptions, n int) ([]*workers.SelectFileResult, error) {
	results := make([]*workers.SelectFileResult, len(g.files))
	err := forFiles(ctx, len(g.files), n, func(fi int) error {
		var err error
		results[fi], err = workers.SelectFile(ctx, g.files[fi], g.sels, thr, o)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("select: %w", err)
	}
	return results, nil
}

// forFiles calls fn for 0..n-1, at most workers at once, and returns the
// first error.
func forFiles(ctx context.Context, n, workers int, fn func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, max(1, workers))
	var wg sync.WaitGroup
	for i := range n {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
