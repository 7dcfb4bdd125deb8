// Package report draws a finished run: its funnel per recipe (shared steps
// drawn once), removals by step and reason, histograms of every gauge with
// its thresholds, the evaluation's results with their intervals, overlap
// between recipes, lineage, failed tasks, and samples of the documents each
// step removed or changed. One model (Report, written as report.json) is
// rendered as a self-contained HTML page (report.html, inline SVG, no
// network) and as Markdown (report.md).
package report

import (
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
)

// Version is the version of report.json's layout.
const Version = 1

// File names in a run's output directory.
const (
	JSONFile     = "report.json"
	MarkdownFile = "report.md"
	HTMLFile     = "report.html"
)

// Report is everything the report shows, as report.json.
type Report struct {
	Version int    `json:"version"`
	RunID   string `json:"run_id"`
	Status  string `json:"status"`
	// Dir is the run's output directory as the report was built from it.
	Dir         string    `json:"dir"`
	Started     time.Time `json:"started"`
	Ended       time.Time `json:"ended"`
	WallSeconds float64   `json:"wall_seconds"`
	Annotated   bool      `json:"annotated,omitempty"`
	// Documents counts what was read: the same for every recipe.
	Documents Reading `json:"documents"`
	// Recipes are in the run's order, each with its own funnel.
	Recipes []Recipe `json:"recipes"`
	// Tree is the recipe tree: every step once, shared steps with the
	// recipes that share them, parents before children.
	Tree []Node `json:"tree"`
	// Observed says the run recorded gauges and samples
	// (observations.json); a selection or an annotated run did not.
	Observed bool `json:"observed"`
	// SamplesPerReason and SamplesChanged are how many removed documents
	// per reason and changed documents each step's samples keep.
	SamplesPerReason int        `json:"samples_per_reason"`
	SamplesChanged   int        `json:"samples_changed"`
	Eval             *Eval      `json:"eval,omitempty"`
	Overlap          []Overlap  `json:"overlap"`
	Failed           []Failure  `json:"failed"`
	Lineage          Lineage    `json:"lineage"`
	Tasks            TaskCounts `json:"tasks"`
}

// Reading counts the records read.
type Reading struct {
	Records    int64            `json:"records"`
	ReadErrors int64            `json:"read_errors"`
	Skipped    map[string]int64 `json:"skipped"`
	InputBytes int64            `json:"input_bytes"`
}

// TaskCounts count the run's tasks by outcome.
type TaskCounts struct {
	Total            int `json:"total"`
	OK               int `json:"ok"`
	Failed           int `json:"failed"`
	NotRun           int `json:"not_run"`
	WithRecordErrors int `json:"with_record_errors"`
}

// Recipe is one recipe's result and funnel.
type Recipe struct {
	Name      string                     `json:"name"`
	Hash      string                     `json:"hash"`
	Tokenizer string                     `json:"tokenizer"`
	Documents coordinator.DocumentCounts `json:"documents"`
	Steps     []Step                     `json:"steps"`
}

// Step is one step of a recipe's funnel: what remained after it.
type Step struct {
	ID   string `json:"id"`
	Use  string `json:"use"`
	Node int    `json:"node"`
	// SharedWith names the other recipes that ran this very step.
	SharedWith []string `json:"shared_with,omitempty"`
	Counters
	TokensIn  int64 `json:"tokens_in"`
	TokensOut int64 `json:"tokens_out"`
	// Threshold is the score threshold the run fixed at a keep_top step.
	Threshold  *float64 `json:"threshold,omitempty"`
	CPUSeconds float64  `json:"cpu_seconds"`
}

// Counters are what a step did to the documents that reached it.
type Counters struct {
	In       int64 `json:"in"`
	Kept     int64 `json:"kept"`
	Removed  int64 `json:"removed"`
	Errors   int64 `json:"errors"`
	Modified int64 `json:"modified"`
	// Reasons count the removed documents by reason, most first.
	Reasons  []Count `json:"reasons"`
	BytesIn  int64   `json:"bytes_in"`
	BytesOut int64   `json:"bytes_out"`
}

// Count is a named count.
type Count struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// Node is one step of the recipe tree, drawn once however many recipes
// share it, with its gauges and samples.
type Node struct {
	Index  int `json:"index"`
	Parent int `json:"parent"`
	// Depth is the number of branch points above the node: how far the
	// tree draws it indented.
	Depth int    `json:"depth"`
	Use   string `json:"use"`
	// ID is the step's id (the first recipe's, where ids differ).
	ID      string   `json:"id"`
	Recipes []string `json:"recipes"`
	// Kind is the step's kind (filter, modifier, annotator).
	Kind string `json:"kind"`
	Counters
	// TokensOut are the tokens after the step, by recipe (the documents'
	// tokens are counted where they leave each recipe, so recipes that
	// share a step may count its output differently).
	TokensOut map[string]int64 `json:"tokens_out"`
	Gauges    []Gauge          `json:"gauges"`
	// Removals are sampled removed documents, by reason; Changes sampled
	// documents the step changed, with their text before and after.
	Removals []Sample `json:"removals"`
	Changes  []Sample `json:"changes"`
}

// Gauge is one gauge's histogram over the run, with its thresholds (a
// keep_top step's is the run's fixed threshold).
type Gauge struct {
	filters.Gauge
	filters.Histogram
	// N counts the documents with a value.
	N int64 `json:"n"`
}

// Sample is one sampled document.
type Sample struct {
	coordinator.SampleRecord
	// Violated names the thresholds the document's gauge values fail
	// ("symbol_word_ratio > 0.1").
	Violated []string `json:"violated,omitempty"`
}

// Eval is the run's evaluation (eval.json), as far as the report shows it.
type Eval struct {
	Suite         string         `json:"suite"`
	SuiteHash     string         `json:"suite_hash"`
	Recipes       []EvalRecipe   `json:"recipes"`
	LMDifferences []LMDifference `json:"lm_differences"`
}

// Interval is a statistic with its bootstrap interval.
type Interval struct {
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// EvalRecipe is one recipe's scores.
type EvalRecipe struct {
	Recipe             string   `json:"recipe"`
	Precision          Interval `json:"precision"`
	Recall             Interval `json:"recall"`
	F1                 Interval `json:"f1"`
	Pages              int      `json:"pages"`
	BitsPerByte        Interval `json:"bits_per_byte"`
	TrainTokens        int64    `json:"train_tokens"`
	DistinctNgramRatio float64  `json:"distinct_ngram_ratio"`
	Domains            int      `json:"domains"`
	DomainEntropy      float64  `json:"domain_entropy_bits"`
	NearDupRate        float64  `json:"near_dup_rate"`
}

// LMDifference is A's proxy LM bits per byte minus B's on the same
// held-out paragraphs.
type LMDifference struct {
	A           string   `json:"a"`
	B           string   `json:"b"`
	BitsPerByte Interval `json:"bits_per_byte"`
}

// Overlap is the Jaccard index of two recipes' kept document ids.
type Overlap struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Both    int64   `json:"both"`
	Jaccard float64 `json:"jaccard"`
}

// Failure is a task that failed, was not run, or lost records.
type Failure struct {
	Task         string   `json:"task"`
	Path         string   `json:"path"`
	Status       string   `json:"status"`
	Error        string   `json:"error,omitempty"`
	Worker       string   `json:"worker,omitempty"`
	ReadErrors   int64    `json:"read_errors"`
	RecordErrors []string `json:"record_errors,omitempty"`
}

// Lineage is where the run's output came from.
type Lineage struct {
	RunFile        string                     `json:"run_file"`
	CuratorVersion string                     `json:"curator_version"`
	CuratorCommit  string                     `json:"curator_commit"`
	GoVersion      string                     `json:"go_version"`
	PoolHash       string                     `json:"pool_hash"`
	PoolFiles      int                        `json:"pool_files"`
	PoolBytes      int64                      `json:"pool_bytes"`
	Inputs         []string                   `json:"inputs"`
	Recipes        []coordinator.RecipeRecord `json:"recipes"`
	Options        coordinator.OptionsRecord  `json:"options"`
	Source         *coordinator.SourceRecord  `json:"source,omitempty"`
}
