package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/curator/eval"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/tokens"
)

// EvalFile is the evaluation's results in a run's output directory.
const EvalFile = "eval.json"

// evalDir holds the evaluation's own run over the suite's human-labelled
// pages, below the evaluated run's output directory.
const evalDir = "eval"

// humanTaskBytes splits the human-labelled pages (about 1.3 MB) into tasks
// for the workers.
const humanTaskBytes = 128 << 10

// evalOptions are the options of an evaluation.
type evalOptions struct {
	// suite is the suite's directory; "" for the default suite.
	suite string
	// workers runs the human-labelled pages and the recipes' metrics.
	workers int
	// force evaluates a run that did not finish ok.
	force bool
	log   *slog.Logger
}

// evalReport is eval.json: the evaluation of every recipe of a run.
type evalReport struct {
	RunID string `json:"run_id"`
	// Suite names the suite; SuiteHash is its version.
	Suite     string `json:"suite"`
	SuiteHash string `json:"suite_hash"`
	// PoolHash identifies the run's inputs (run.json's pool).
	PoolHash  string `json:"pool_hash"`
	Tokenizer string `json:"tokenizer"`
	// Recipes are in the run's order.
	Recipes []recipeEval `json:"recipes"`
	// Overlap is the Jaccard index of the kept document ids of every pair
	// of recipes.
	Overlap []overlapPair `json:"overlap"`
	// LMDifferences compare the proxy LM of every pair of recipes on the
	// same held-out paragraphs: A's bits per byte minus B's, with a paired
	// bootstrap interval (an interval below 0 says A's data models the
	// held-out text better).
	LMDifferences []lmDifference `json:"lm_differences"`
}

// lmDifference is the difference of two recipes' proxy LM scores.
type lmDifference struct {
	A           string        `json:"a"`
	B           string        `json:"b"`
	BitsPerByte eval.Interval `json:"bits_per_byte"`
}

// recipeEval is one recipe's evaluation.
type recipeEval struct {
	Recipe     string               `json:"recipe"`
	RecipeHash string               `json:"recipe_hash"`
	Human      eval.AgreementResult `json:"human"`
	LM         lmResult             `json:"lm"`
	Yield      yieldResult          `json:"yield"`
	Diversity  diversityResult      `json:"diversity"`

	unitBits []float64 // the proxy LM's bits on each held-out paragraph
}

// yieldResult is what share of the pool a recipe kept.
type yieldResult struct {
	Documents     int64   `json:"documents"`
	KeptDocuments int64   `json:"kept_documents"`
	DocumentShare float64 `json:"document_share"`
	// Tokens counts every document's tokens as it left the recipe.
	Tokens     int64   `json:"tokens"`
	KeptTokens int64   `json:"kept_tokens"`
	TokenShare float64 `json:"token_share"`
	// InputBytes is what the first step read (HTML for WARC pools);
	// KeptTextBytes the kept documents' text.
	InputBytes    int64   `json:"input_bytes"`
	KeptTextBytes int64   `json:"kept_text_bytes"`
	ByteShare     float64 `json:"byte_share"`
}

// diversityResult describes the kept documents.
type diversityResult struct {
	// DistinctNgramRatio is over the LM's training sample (the same token
	// budget for every recipe), with n = Ngram.
	Ngram              int              `json:"ngram"`
	DistinctNgramRatio float64          `json:"distinct_ngram_ratio"`
	Domains            eval.DomainStats `json:"domains"`
	// Languages is the language mix of the LM's training sample.
	Languages []eval.LangShare `json:"languages"`
	// NearDup is the near-duplicate rate among all kept documents.
	NearDup eval.NearDupResult `json:"near_dup"`
}

// overlapPair is the overlap of two recipes' kept documents.
type overlapPair struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Jaccard float64 `json:"jaccard"`
}

// keptDoc is a kept document as the evaluation reads it.
type keptDoc struct {
	ID   string `json:"id"`
	URL  string `json:"url"`
	Text string `json:"text"`
}

// loadSuite loads the suite in dir, or the default one.
func loadSuite(dir string) (*eval.Suite, error) {
	if dir == "" {
		return eval.Default()
	}
	return eval.Load(dir)
}

// readRun reads a run's run.json.
func readRun(dir string) (*coordinator.RunRecord, error) {
	b, err := os.ReadFile(filepath.Join(dir, coordinator.RunFile))
	if err != nil {
		return nil, err
	}
	var rr coordinator.RunRecord
	if err := json.Unmarshal(b, &rr); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, coordinator.RunFile), err)
	}
	return &rr, nil
}

// readStats reads a recipe's stats.json.
func readStats(dir, recipe string) (*coordinator.RecipeStats, error) {
	path := filepath.Join(dir, recipe, coordinator.StatsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st coordinator.RecipeStats
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &st, nil
}

// evaluateRun evaluates the finished run in dir with a suite and records
// the results in dir/eval.json and dir/run.json.
func evaluateRun(ctx context.Context, dir string, o evalOptions) (*evalReport, error) {
	start := time.Now()
	rr, err := readRun(dir)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	switch {
	case rr.Annotated:
		return nil, fmt.Errorf("eval: run %s was annotated (every document kept): select from it first (curator select)", dir)
	case rr.OutputObject != "":
		return nil, fmt.Errorf("eval: run %s wrote its outputs to %s: copy them into the run directory first", dir, rr.OutputObject)
	case rr.Status != "ok" && !o.force:
		return nil, fmt.Errorf("eval: run %s ended %s, not ok; --force evaluates it anyway", dir, rr.Status)
	}
	suite, err := loadSuite(o.suite)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	enc, err := tokens.R50k()
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	rep := &evalReport{RunID: rr.RunID, Suite: suite.Manifest.Name, SuiteHash: suite.Hash, Tokenizer: enc.Name()}
	if rr.Pool != nil {
		rep.PoolHash = rr.Pool.Hash
	}
	kept, err := humanKept(ctx, dir, rr, suite, o)
	if err != nil {
		return nil, err
	}
	pages, err := suite.Human()
	if err != nil {
		return nil, err
	}
	heldout, err := heldoutSeqs(suite, enc)
	if err != nil {
		return nil, err
	}
	ids := make([][]string, len(rr.Recipes))
	rep.Recipes = make([]recipeEval, len(rr.Recipes))
	errs := make([]error, len(rr.Recipes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, min(o.workers, 2))) // each holds an LM in memory
	for i, r := range rr.Recipes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			t0 := time.Now()
			re, docIDs, err := evalRecipe(dir, r, suite, enc, heldout)
			if err != nil {
				errs[i] = fmt.Errorf("eval: recipe %s: %w", r.Name, err)
				return
			}
			re.Human = eval.Agreement(kept[r.Name], pages, suite.Manifest.Bootstrap)
			rep.Recipes[i], ids[i] = *re, docIDs
			o.log.Info("recipe evaluated", "recipe", r.Name, "seconds", time.Since(t0).Seconds())
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var unitBytes []float64
	for _, h := range heldout {
		unitBytes = append(unitBytes, h.bytes...)
	}
	for i := range rr.Recipes {
		for j := i + 1; j < len(rr.Recipes); j++ {
			a, b := &rep.Recipes[i], &rep.Recipes[j]
			rep.Overlap = append(rep.Overlap, overlapPair{A: a.Recipe, B: b.Recipe, Jaccard: eval.Jaccard(ids[i], ids[j])})
			rep.LMDifferences = append(rep.LMDifferences, lmDifference{A: a.Recipe, B: b.Recipe,
				BitsPerByte: eval.PairedRatioDiff(a.unitBits, b.unitBits, unitBytes, suite.Manifest.Bootstrap)})
		}
	}
	if err := recordEval(dir, rep); err != nil {
		return nil, err
	}
	o.log.Info("evaluation done", "run", rr.RunID, "suite", suite.Hash, "seconds", time.Since(start).Seconds())
	return rep, nil
}

// recordEval writes eval.json and puts the same into run.json.
func recordEval(dir string, rep *evalReport) error {
	b, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if err := coordinator.WriteJSON(filepath.Join(dir, EvalFile), rep); err != nil {
		return err
	}
	rr, err := readRun(dir)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	rr.Eval = b
	return coordinator.WriteJSON(filepath.Join(dir, coordinator.RunFile), rr)
}

// humanKept runs the suite's human-labelled pages through the run's
// recipes, as a pool of their own (below dir/eval/human), and returns the
// ids each recipe kept. A keep_top step keeps the pages whose score reaches
// the threshold the run fixed, so a page is judged as the run judged its
// documents.
func humanKept(ctx context.Context, dir string, rr *coordinator.RunRecord, suite *eval.Suite, o evalOptions) (map[string]map[string]bool, error) {
	pages, err := suite.Human()
	if err != nil {
		return nil, err
	}
	base := filepath.Join(dir, evalDir, "human")
	if err := os.RemoveAll(base); err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	input := filepath.Join(base, "pages.jsonl")
	if err := writePages(input, pages); err != nil {
		return nil, err
	}
	tree, err := runTree(rr)
	if err != nil {
		return nil, err
	}
	defer tree.Close()
	out := filepath.Join(base, "out")
	log := o.log.With("eval", "human")
	_, err = coordinator.RunLocal(ctx, coordinator.LocalConfig{Workers: max(1, o.workers), Config: coordinator.Config{
		Tree: tree, Inputs: []string{input}, OutputDir: out, TaskBytes: humanTaskBytes,
		AckWait: coordinator.DefaultAckWait, MaxDeliver: coordinator.DefaultMaxDeliver,
		CuratorVersion: curatorVersion(), Logger: log}})
	if err != nil {
		return nil, fmt.Errorf("eval: the suite's human-labelled pages: %w", err)
	}
	hr, err := readRun(out)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	if hr.Status != "ok" {
		return nil, fmt.Errorf("eval: the run over the suite's human-labelled pages ended %s (see %s)", hr.Status, filepath.Join(out, coordinator.RunFile))
	}
	kept := map[string]map[string]bool{}
	for _, r := range rr.Recipes {
		kept[r.Name] = map[string]bool{}
		err := readKept(out, r.Name, func(d *keptDoc) error {
			kept[r.Name][d.ID] = true
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
	}
	return kept, nil
}

// writePages writes the human-labelled pages as a JSONL pool (id and text).
func writePages(path string, pages []eval.Labelled) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, p := range pages {
		if err := enc.Encode(keptDoc{ID: p.ID, Text: p.Text}); err != nil {
			f.Close()
			return fmt.Errorf("eval: %s: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	return nil
}

// runTree rebuilds a run's recipe tree from run.json, checking that every
// recipe still has the hash it had, with each keep_top step turned into a
// plain threshold at the score the run fixed.
func runTree(rr *coordinator.RunRecord) (*filters.Tree, error) {
	var set []filters.Override
	for _, th := range rr.Thresholds {
		value := ".inf" // no document was scored: none passes
		if th.Threshold != nil {
			value = strconv.FormatFloat(*th.Threshold, 'g', -1, 64)
		}
		for i, recipe := range th.Recipes {
			set = append(set,
				filters.Override{Recipe: recipe, Step: th.StepIDs[i], Param: "keep_top", Value: "0"},
				filters.Override{Recipe: recipe, Step: th.StepIDs[i], Param: "threshold", Value: value})
		}
	}
	t, err := loadRunRecipes(rr, set)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	return t, nil
}

// heldoutSet is a held-out reference set, tokenized paragraph by paragraph.
type heldoutSet struct {
	name  string
	units [][]uint32 // token ids of each paragraph
	bytes []float64  // UTF-8 bytes of each paragraph (the ratios' denominators)
}

// heldoutSeqs tokenizes the suite's held-out sets. A unit is a non-empty
// line (a paragraph) of a document.
func heldoutSeqs(suite *eval.Suite, enc *tokens.Encoder) ([]heldoutSet, error) {
	sets, err := suite.Heldout()
	if err != nil {
		return nil, err
	}
	var out []heldoutSet
	for _, s := range sets {
		h := heldoutSet{name: s.Name}
		for _, d := range s.Docs {
			for _, p := range paragraphs(d.Text) {
				h.units = append(h.units, enc.Encode(p, nil))
				h.bytes = append(h.bytes, float64(len(p)))
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// readKept reads a recipe's kept documents in file-name order (task order).
func readKept(dir, recipe string, fn func(*keptDoc) error) error {
	return readKeptLines(dir, recipe, func(_ []byte, d *keptDoc) error { return fn(d) })
}
