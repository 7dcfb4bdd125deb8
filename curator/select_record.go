package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/workers"
)

// selectionStats is a target recipe's stats.json.
func selectionStats(r *filters.Recipe, ts *filters.TreeStats, kept int64, exit []int64, src *coordinator.RecipeStats, wall time.Duration) *coordinator.RecipeStats {
	st := &coordinator.RecipeStats{Recipe: r.Name, Hash: r.Hash, Tokenizer: workers.TokenizerName,
		Documents: coordinator.DocumentCounts{Records: src.Documents.Records, ReadErrors: src.Documents.ReadErrors,
			Skipped: src.Documents.Skipped, KeptTokens: kept},
		Time: coordinator.RunTime{WallSeconds: wall.Seconds()}}
	var after []int64
	st.Documents.Tokens, after = coordinator.TokenFunnel(kept, exit)
	in := st.Documents.Tokens
	for si, s := range r.Steps {
		ns := ts.Nodes[si]
		removed := ns.Removed
		if removed == nil {
			removed = map[string]int64{}
		}
		st.Steps = append(st.Steps, coordinator.StepStats{ID: s.ID, Use: s.Use, Node: si, In: ns.In, Kept: ns.Kept, Removed: removed,
			Modified: ns.Modified, Errors: ns.Errors, BytesIn: ns.BytesIn, BytesOut: ns.BytesOut, TokensIn: in, TokensOut: after[si]})
		in = after[si]
		st.Documents.Removed += ns.RemovedTotal()
		st.Documents.Errors += ns.Errors
	}
	if n := len(st.Steps); n > 0 {
		st.Documents.Kept = st.Steps[n-1].Kept
	}
	return st
}

// selectionRecord is a selection's run.json: a run of its own whose lineage
// points at the annotated run.
func selectionRecord(f *selectFlags, src *coordinator.RunRecord, srcTree *filters.Tree, groups []*selectGroup, targets []*filters.Recipe,
	thresholds []*coordinator.ThresholdRecord, tasks []coordinator.TaskRecord, records int64, start, ended time.Time) (*coordinator.RunRecord, error) {
	b, err := os.ReadFile(filepath.Join(f.from, coordinator.RunFile))
	if err != nil {
		return nil, fmt.Errorf("select: %w", err)
	}
	sum := sha256.Sum256(b)
	abs, err := filepath.Abs(f.from)
	if err != nil {
		return nil, fmt.Errorf("select: %w", err)
	}
	var names, hashes []string
	for _, g := range groups {
		names = append(names, srcTree.Recipes()[g.source].Name)
		hashes = append(hashes, srcTree.Recipes()[g.source].Hash)
	}
	rr := &coordinator.RunRecord{RunID: coordinator.NewRunID(), Status: "ok", CuratorVersion: curatorVersion(),
		CuratorCommit: coordinator.BuildCommit(), GoVersion: runtime.Version(), Started: start.UTC(), Ended: ended.UTC(),
		WallSeconds: ended.Sub(start).Seconds(), OutputDir: f.output, Inputs: src.Inputs, Pool: src.Pool, Files: src.Files,
		Options: coordinator.OptionsRecord{KeepRemoved: f.keepRemoved}, Thresholds: thresholds,
		Source: &coordinator.SourceRecord{RunID: src.RunID, OutputDir: abs, RunFileSHA256: hex.EncodeToString(sum[:]),
			Recipe: strings.Join(names, ","), RecipeHash: strings.Join(hashes, ",")},
		Summary: coordinator.SummaryRecord{Tasks: len(tasks), OK: len(tasks), Records: records}, Tasks: tasks}
	for _, t := range targets {
		rr.Recipes = append(rr.Recipes, coordinator.NewRecipeRecord(t))
	}
	return rr, nil
}

// loadRunRecipes rebuilds a run's recipes from its run.json (their files,
// with their overrides and extra ones), checking that each still has the
// hash it had in the run.
func loadRunRecipes(rr *coordinator.RunRecord, extra []filters.Override) (*filters.Tree, error) {
	var paths []string
	var set []filters.Override
	seen := map[string]bool{}
	for _, r := range rr.Recipes {
		paths = append(paths, r.Path)
		for _, s := range r.Set {
			if seen[s] {
				continue
			}
			seen[s] = true
			o, err := filters.ParseOverride(s)
			if err != nil {
				return nil, fmt.Errorf("recipe %s: %w", r.Name, err)
			}
			set = append(set, o)
		}
	}
	check, err := filters.CheckRecipes(paths, set)
	if err != nil {
		return nil, err
	}
	for i, r := range check {
		if r.Hash != rr.Recipes[i].Hash {
			return nil, fmt.Errorf("recipe %s (%s) changed since the run: hash %s, the run's %s",
				r.Name, rr.Recipes[i].Path, r.Hash, rr.Recipes[i].Hash)
		}
	}
	return filters.LoadTreeWith(paths, append(set, extra...))
}
