package coordinator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/atomicfile"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go/jetstream"
)

// File names in the output directory.
const (
	// RunFile is the run's lineage record, in the output directory.
	RunFile = "run.json"
	// StatsFile is a recipe's funnel, in the recipe's directory.
	StatsFile = "stats.json"
)

// Report is what a finished run wrote.
type Report struct {
	// RunID names the run.
	RunID string
	// OutputDir is the run's output directory.
	OutputDir string
	// RunFile is the path of run.json.
	RunFile string
	// Tasks, Failed and NotRun count tasks by outcome.
	Tasks, Failed, NotRun int
	// Records counts the documents read.
	Records int64
	// Elapsed is the run's wall time.
	Elapsed time.Duration
}

// finish writes the reports and the run's final state.
func (c *Coordinator) finish(ctx context.Context, interrupted bool) (*Report, error) {
	rep, err := c.writeReports(time.Now(), interrupted)
	if err != nil {
		return rep, err
	}
	status := "ok"
	switch {
	case interrupted:
		status = "interrupted"
	case rep.Failed > 0 || rep.NotRun > 0:
		status = "failed_tasks"
	}
	if c.cfg.Report != nil {
		if err := c.cfg.Report(c.cfg.OutputDir); err != nil {
			c.log.Error("writing the run's report", "err", err)
		}
	}
	if c.cfg.OutputObject != "" {
		if err := c.uploadReports(ctx); err != nil {
			c.log.Error("putting run.json and stats.json in the object store", "err", err)
			status = "failed_tasks"
		}
	}
	if status == "ok" {
		// Every staged document went on to an output: the staging is spent.
		if err := os.RemoveAll(filepath.Join(c.cfg.OutputDir, workers.StagingDir)); err != nil {
			c.log.Warn("removing the staged documents", "err", err)
		}
	}
	c.putState(ctx, map[string]string{"ok": pb.StatusDone, "interrupted": pb.StatusCanceled,
		"failed_tasks": pb.StatusFailedTasks}[status])
	return rep, nil
}

// Close removes the run's task and result streams. Call it once the
// workers have stopped; workers still pulling see the run end.
func (c *Coordinator) Close(ctx context.Context) error {
	c.stopSubscriptions()
	if c.js == nil {
		return nil
	}
	var errs []error
	for _, s := range []string{pb.TaskStream(c.run), pb.ResultStream(c.run)} {
		if err := c.js.DeleteStream(ctx, s); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			errs = append(errs, fmt.Errorf("coordinator: removing stream %s: %w", s, err))
		}
	}
	return errors.Join(errs...)
}

func (c *Coordinator) writeReports(ended time.Time, interrupted bool) (*Report, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rep := &Report{RunID: c.run, OutputDir: c.cfg.OutputDir, RunFile: filepath.Join(c.cfg.OutputDir, RunFile),
		Tasks: len(c.jobs), Records: c.progress.Records, Elapsed: ended.Sub(c.started)}
	var taskNanos int64
	for _, j := range c.jobs {
		o := j.out
		switch {
		case o == nil:
			rep.NotRun++
		case o.res.GetStatus() != pb.Status_STATUS_OK:
			rep.Failed++
		}
		if o != nil {
			taskNanos += o.res.GetWallNanos()
		}
	}
	var stats []*RecipeStats
	for ri, r := range c.cfg.Tree.Recipes() {
		st := c.recipeStats(ri, r, rep.Elapsed, taskNanos)
		if err := WriteJSON(filepath.Join(c.cfg.OutputDir, r.Name, StatsFile), st); err != nil {
			return rep, err
		}
		stats = append(stats, st)
	}
	if !c.cfg.Annotate {
		if err := WriteJSON(filepath.Join(c.cfg.OutputDir, ObservationsFile), c.observations()); err != nil {
			return rep, err
		}
	}
	status := "ok"
	switch {
	case interrupted:
		status = "interrupted"
	case rep.Failed > 0 || rep.NotRun > 0:
		status = "failed_tasks"
	}
	return rep, WriteJSON(rep.RunFile, c.runRecord(status, ended, stats))
}

// WriteJSON writes v, indented, to path atomically (temporary file, fsync,
// rename): run.json, stats.json and the like.
func WriteJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("coordinator: %s: %w", path, err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	return nil
}

// RecipeStats is a recipe's stats.json: its funnel, step by step. Every
// field is a counter that does not depend on the number of workers, except
// the Time fields.
type RecipeStats struct {
	Recipe string `json:"recipe"`
	Hash   string `json:"hash"`
	// Tokenizer names the tokenizer of the token counts.
	Tokenizer string `json:"tokenizer"`
	// Annotated is set for an annotated run: every document was kept, and
	// each step's counters say what it would have done.
	Annotated bool           `json:"annotated,omitempty"`
	Documents DocumentCounts `json:"documents"`
	Steps     []StepStats    `json:"steps"`
	Time      RunTime        `json:"time"`
}

// DocumentCounts follow the documents of a recipe from reading to output.
type DocumentCounts struct {
	// Records counts documents read; each went through the recipe.
	Records int64 `json:"records"`
	// ReadErrors counts records that could not be read.
	ReadErrors int64 `json:"read_errors"`
	// Skipped counts records that are not documents, by reason.
	Skipped map[string]int64 `json:"skipped"`
	// Kept counts documents written to data/; Removed those a step
	// removed; Errors those a step failed on. Records = Kept + Removed + Errors.
	Kept    int64 `json:"kept"`
	Removed int64 `json:"removed"`
	Errors  int64 `json:"errors"`
	// KeptBytes is the size of data/ (compressed).
	KeptBytes int64 `json:"kept_bytes"`
	// Tokens counts the tokens of every document, on its text as it left
	// the recipe (kept or removed; none for one removed before it had
	// text); KeptTokens those of the kept documents.
	Tokens     int64 `json:"tokens"`
	KeptTokens int64 `json:"kept_tokens"`
	// KeptWords counts the kept documents' words (Python's str.split(), as
	// DCLM counts them) and KeptTextBytes their text's UTF-8 bytes.
	KeptWords     int64 `json:"kept_words"`
	KeptTextBytes int64 `json:"kept_text_bytes"`
}

// StepStats are one step's counters.
type StepStats struct {
	ID  string `json:"id"`
	Use string `json:"use"`
	// Node is the step's node in the recipe tree; SharedWith names the
	// other recipes that run the same node (it ran once for all of them).
	Node       int              `json:"node"`
	SharedWith []string         `json:"shared_with,omitempty"`
	In         int64            `json:"in"`
	Kept       int64            `json:"kept"`
	Removed    map[string]int64 `json:"removed"`
	Modified   int64            `json:"modified"`
	Errors     int64            `json:"errors"`
	BytesIn    int64            `json:"bytes_in"`
	BytesOut   int64            `json:"bytes_out"`
	// TokensIn and TokensOut count the tokens of the documents that reach
	// the step and of those that remain after it, each counted on its text
	// as it left the recipe (so TokensOut of the last step is KeptTokens).
	TokensIn  int64 `json:"tokens_in"`
	TokensOut int64 `json:"tokens_out"`
	// Threshold is the threshold the run fixed, for a keep_top step.
	Threshold *ThresholdRecord `json:"threshold,omitempty"`
	// Dedup is what the run's judge did, at a dedup step.
	Dedup *DedupRecord `json:"dedup,omitempty"`
	Time  StepTime     `json:"time"`
}

// StepTime is where a step's time went. CPUSeconds sums the time spent in
// the step over all documents (on one goroutine, so CPU time). WallSeconds is
// the step's share of the run's wall time: CPUSeconds scaled by the run's
// wall time over the summed wall time of its tasks.
type StepTime struct {
	WallSeconds float64 `json:"wall_seconds"`
	CPUSeconds  float64 `json:"cpu_seconds"`
}

// RunTime is where the run's time went.
type RunTime struct {
	// WallSeconds is the run's elapsed time.
	WallSeconds float64 `json:"wall_seconds"`
	// TaskSeconds sums the elapsed time of every task.
	TaskSeconds float64 `json:"task_seconds"`
}

func (c *Coordinator) recipeStats(ri int, r *filters.Recipe, wall time.Duration, taskNanos int64) *RecipeStats {
	nodes := c.cfg.Tree.Nodes()
	recipes := c.cfg.Tree.Recipes()
	st := &RecipeStats{Recipe: r.Name, Hash: r.Hash, Tokenizer: workers.TokenizerName, Annotated: c.cfg.Annotate, Documents: DocumentCounts{Skipped: map[string]int64{}},
		Time: RunTime{WallSeconds: wall.Seconds(), TaskSeconds: float64(taskNanos) / 1e9}}
	exit := make([]int64, len(r.Steps))
	scale := 0.0
	if taskNanos > 0 {
		scale = float64(wall) / float64(taskNanos)
	}
	for _, j := range c.jobs {
		o := j.out
		if o == nil {
			continue
		}
		st.Documents.Records += o.res.GetRecords()
		st.Documents.ReadErrors += o.res.GetReadErrors()
		for k, v := range o.res.GetSkipped() {
			st.Documents.Skipped[k] += v
		}
		for _, out := range o.res.GetOutputs() {
			if int(out.GetRecipe()) != ri {
				continue
			}
			if out.GetData() != nil {
				st.Documents.Kept += out.GetData().GetDocs()
				st.Documents.KeptBytes += out.GetData().GetBytes()
			}
			st.Documents.KeptTokens += out.GetKeptTokens()
			st.Documents.KeptWords += out.GetKeptWords()
			st.Documents.KeptTextBytes += out.GetKeptTextBytes()
			for si, n := range out.GetExitTokens() {
				if si < len(exit) {
					exit[si] += n
				}
			}
		}
	}
	var after []int64
	st.Documents.Tokens, after = TokenFunnel(st.Documents.KeptTokens, exit)
	tokensIn := st.Documents.Tokens
	for si, ni := range c.cfg.Tree.RecipeNodes(ri) {
		n := nodes[ni]
		ns := c.stats.Nodes[ni]
		s := StepStats{ID: r.Steps[si].ID, Use: n.Use, Node: ni, In: ns.In, Kept: ns.Kept, Removed: ns.Removed,
			Modified: ns.Modified, Errors: ns.Errors, BytesIn: ns.BytesIn, BytesOut: ns.BytesOut,
			TokensIn: tokensIn, TokensOut: after[si],
			Time: StepTime{CPUSeconds: float64(ns.Nanos) / 1e9, WallSeconds: float64(ns.Nanos) * scale / 1e9}}
		if s.Removed == nil {
			s.Removed = map[string]int64{}
		}
		s.Threshold = c.ranks.fixed[ni]
		s.Dedup = c.ranks.judged[ni]
		for _, other := range n.Recipes {
			if other != ri {
				s.SharedWith = append(s.SharedWith, recipes[other].Name)
			}
		}
		if !c.cfg.Annotate { // annotated: every document is kept
			st.Documents.Removed += ns.RemovedTotal()
			st.Documents.Errors += ns.Errors
		}
		st.Steps = append(st.Steps, s)
		tokensIn = after[si]
	}
	return st
}

// TokenFunnel turns a recipe's token counts (those of the kept documents,
// and per step those of the documents that left the recipe there) into its
// funnel: the tokens of every document, and per step those remaining after
// it.
func TokenFunnel(kept int64, exit []int64) (total int64, after []int64) {
	after = make([]int64, len(exit))
	total = kept
	for si := len(exit) - 1; si >= 0; si-- {
		after[si] = total
		total += exit[si]
	}
	return total, after
}

// NewRecipeRecord describes a recipe for run.json (without its counts).
func NewRecipeRecord(r *filters.Recipe) RecipeRecord {
	rec := RecipeRecord{Name: r.Name, Path: r.Path, Hash: r.Hash, Steps: r.StepIDs(), Tokenizer: workers.TokenizerName}
	for _, o := range r.Set {
		rec.Set = append(rec.Set, o.String())
	}
	for _, f := range r.Files {
		rec.Files = append(rec.Files, PinnedFileRecord{PinnedFile: f, Object: pb.FileObject(f.SHA256)})
	}
	return rec
}

// RunRecord is run.json: the run's lineage.
type RunRecord struct {
	RunID          string `json:"run_id"`
	Status         string `json:"status"`
	CuratorVersion string `json:"curator_version"`
	// CuratorCommit is the VCS revision curator was built from ("+dirty"
	// for a modified tree; empty when the build did not record it).
	CuratorCommit string    `json:"curator_commit"`
	GoVersion     string    `json:"go_version"`
	Started       time.Time `json:"started"`
	Ended         time.Time `json:"ended"`
	WallSeconds   float64   `json:"wall_seconds"`
	OutputDir     string    `json:"output_dir"`
	// OutputObject is where the outputs went, for a run whose outputs go to
	// an object store (object://BUCKET/PREFIX); output paths are then
	// relative to it.
	OutputObject string         `json:"output_object,omitempty"`
	Recipes      []RecipeRecord `json:"recipes"`
	Inputs       []string       `json:"inputs"`
	// Pool identifies the input files by content.
	Pool         *PoolRecord   `json:"pool"`
	Files        []string      `json:"files"`
	IgnoredFiles []string      `json:"ignored_files,omitempty"`
	Options      OptionsRecord `json:"options"`
	// Thresholds are the thresholds fixed at keep_top steps.
	Thresholds []*ThresholdRecord `json:"thresholds,omitempty"`
	// Dedups are what the run's judges did at dedup steps.
	Dedups []*DedupRecord `json:"dedups,omitempty"`
	// Annotated is set for a run made with --annotate: every document is
	// kept with every step's measurements and verdict.
	Annotated bool `json:"annotated,omitempty"`
	// Source is set for a selection (curator select): the annotated run
	// it selected from.
	Source *SourceRecord `json:"source,omitempty"`
	// Eval holds the evaluation's results (curator eval; DIR/eval.json
	// holds the same).
	Eval    json.RawMessage `json:"eval,omitempty"`
	Summary SummaryRecord   `json:"summary"`
	// Tasks are the first-phase tasks in canonical order, then the
	// second-phase tasks (those with a resume).
	Tasks []TaskRecord `json:"tasks"`
}

// RecipeRecord names a recipe and its content.
type RecipeRecord struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// Hash pins the recipe: its file, its overrides and the files it reads.
	Hash  string   `json:"hash"`
	Steps []string `json:"steps"`
	// Set are the overrides given on the command line.
	Set []string `json:"set,omitempty"`
	// Files are the files the steps read (models, banlists), by content;
	// Object names each in the run's object store.
	Files []PinnedFileRecord `json:"files,omitempty"`
	// KeptDocuments, KeptTextBytes, KeptWords and KeptTokens count what the
	// recipe kept (stats.json has the whole funnel).
	KeptDocuments int64 `json:"kept_documents"`
	KeptTextBytes int64 `json:"kept_text_bytes"`
	KeptWords     int64 `json:"kept_words"`
	KeptTokens    int64 `json:"kept_tokens"`
	// Tokenizer names the tokenizer of the token counts.
	Tokenizer string `json:"tokenizer"`
}

// SourceRecord names the annotated run a selection was made from.
type SourceRecord struct {
	RunID     string `json:"run_id"`
	OutputDir string `json:"output_dir"`
	// RunFileSHA256 is the hex SHA-256 of the source's run.json.
	RunFileSHA256 string `json:"run_file_sha256"`
	// Recipe is the source recipe the selection read.
	Recipe string `json:"recipe"`
	// RecipeHash is that recipe's hash.
	RecipeHash string `json:"recipe_hash"`
}

// PinnedFileRecord is a file a recipe reads, pinned by content.
type PinnedFileRecord struct {
	filters.PinnedFile
	Object string `json:"object"`
}

// OptionsRecord holds the run's options.
type OptionsRecord struct {
	TaskBytes            int64   `json:"task_bytes"`
	MaxRecordBytes       int64   `json:"max_record_bytes,omitempty"`
	MaxDecompressedBytes int64   `json:"max_decompressed_bytes,omitempty"`
	ZstdDict             string  `json:"zstd_dict,omitempty"`
	ZstdDictSha256       string  `json:"zstd_dict_sha256,omitempty"`
	KeepRemoved          bool    `json:"keep_removed"`
	MaxDeliver           int     `json:"max_deliver"`
	AckWaitSeconds       float64 `json:"ack_wait_seconds"`
}

// SummaryRecord counts tasks by outcome.
type SummaryRecord struct {
	// Tasks counts every task; ResumeTasks those of the second phase.
	Tasks       int `json:"tasks"`
	ResumeTasks int `json:"resume_tasks,omitempty"`
	OK          int `json:"ok"`
	Failed      int `json:"failed"`
	NotRun      int `json:"not_run"`
	// WithRecordErrors counts tasks that finished but could not read some
	// records (status ok_with_errors; they are counted in OK too).
	WithRecordErrors int   `json:"with_record_errors"`
	Records          int64 `json:"records"`
	DuplicateResults int   `json:"duplicate_results"`
}

// TaskRecord is one task's outcome.
type TaskRecord struct {
	Index int64 `json:"index"`
	// Resume is set for a second-phase task.
	Resume     *ResumeRecord `json:"resume,omitempty"`
	Path       string        `json:"path"`
	Start      int64         `json:"start"`
	End        int64         `json:"end"`
	Status     string        `json:"status"`
	Error      string        `json:"error,omitempty"`
	Worker     string        `json:"worker,omitempty"`
	Records    int64         `json:"records"`
	ReadErrors int64         `json:"read_errors"`
	// RecordErrors are the first read errors, naming file and offset.
	RecordErrors []string         `json:"record_errors,omitempty"`
	Skipped      map[string]int64 `json:"skipped,omitempty"`
	WallSeconds  float64          `json:"wall_seconds"`
	Outputs      []OutputRecord   `json:"outputs,omitempty"`
}

// ResumeRecord says where a second-phase task started.
type ResumeRecord struct {
	Node      int     `json:"node"`
	Threshold float64 `json:"threshold"`
	Staged    string  `json:"staged"`
	Docs      int64   `json:"docs"`
}

// OutputRecord is one file a task wrote.
type OutputRecord struct {
	Recipe string `json:"recipe"`
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	Sha256 string `json:"sha256"`
	Docs   int64  `json:"docs"`
	Bytes  int64  `json:"bytes"`
}

func (c *Coordinator) runRecord(status string, ended time.Time, stats []*RecipeStats) *RunRecord {
	rr := &RunRecord{RunID: c.run, Status: status, CuratorVersion: c.cfg.CuratorVersion, CuratorCommit: BuildCommit(),
		GoVersion: runtime.Version(), Pool: c.pool, Annotated: c.cfg.Annotate,
		Started: c.started.UTC(), Ended: ended.UTC(), WallSeconds: ended.Sub(c.started).Seconds(),
		OutputDir: c.cfg.OutputDir, OutputObject: c.cfg.OutputObject, Inputs: c.cfg.Inputs, Files: c.inputs.Files, IgnoredFiles: c.inputs.Ignored,
		Options: OptionsRecord{TaskBytes: c.cfg.TaskBytes, MaxRecordBytes: c.cfg.MaxRecordBytes,
			MaxDecompressedBytes: c.cfg.MaxDecompressedBytes, ZstdDict: c.cfg.ZstdDict, ZstdDictSha256: c.dictSum,
			KeepRemoved: c.cfg.KeepRemoved, MaxDeliver: c.cfg.MaxDeliver, AckWaitSeconds: c.cfg.AckWait.Seconds()},
		Thresholds: c.ranks.records(),
		Dedups:     c.ranks.dedups(),
		Summary:    SummaryRecord{Tasks: len(c.jobs), DuplicateResults: c.dups}}
	recipes := c.cfg.Tree.Recipes()
	for ri, r := range recipes {
		rec := NewRecipeRecord(r)
		if ri < len(stats) {
			d := stats[ri].Documents
			rec.KeptDocuments, rec.KeptTextBytes, rec.KeptWords, rec.KeptTokens = d.Kept, d.KeptTextBytes, d.KeptWords, d.KeptTokens
		}
		rr.Recipes = append(rr.Recipes, rec)
	}
	// The documents each second-phase task took on, by its name.
	stagedDocsOf := map[string]int64{}
	for _, j := range c.jobs {
		if j.out != nil {
			for _, sg := range j.out.res.GetStaged() {
				stagedDocsOf[pb.JobName(j.task.GetIndex(), &pb.Resume{Node: sg.GetNode()})] = sg.GetDocs()
			}
		}
	}
	for _, j := range c.jobs {
		t := j.task
		tr := TaskRecord{Index: t.GetIndex(), Path: t.GetRange().GetPath(), Start: t.GetRange().GetStart(),
			End: t.GetRange().GetEnd(), Status: "not_run"}
		if rs := t.GetResume(); rs != nil {
			rr.Summary.ResumeTasks++
			tr.Resume = &ResumeRecord{Node: int(rs.GetNode()), Threshold: rs.GetThreshold(), Staged: rs.GetStaged()}
			tr.Resume.Docs = stagedDocsOf[pb.JobName(t.GetIndex(), rs)]
		}
		if o := j.out; o != nil {
			res := o.res
			tr.Status, tr.Error, tr.Worker = "ok", res.GetError(), res.GetWorkerId()
			if res.GetStatus() != pb.Status_STATUS_OK {
				tr.Status = "failed"
				rr.Summary.Failed++
			} else {
				rr.Summary.OK++
			}
			tr.Records, tr.ReadErrors, tr.Skipped = res.GetRecords(), res.GetReadErrors(), res.GetSkipped()
			tr.RecordErrors = res.GetRecordErrors()
			if tr.Status == "ok" && tr.ReadErrors > 0 {
				tr.Status = "ok_with_errors"
				rr.Summary.WithRecordErrors++
			}
			tr.WallSeconds = float64(res.GetWallNanos()) / 1e9
			rr.Summary.Records += res.GetRecords()
			for _, out := range res.GetOutputs() {
				name := recipes[out.GetRecipe()].Name
				for _, f := range []struct {
					kind string
					o    *pb.Output
				}{{"data", out.GetData()}, {"removed", out.GetRemoved()}} {
					if f.o != nil {
						tr.Outputs = append(tr.Outputs, OutputRecord{Recipe: name, Kind: f.kind, Path: f.o.GetPath(),
							Sha256: f.o.GetSha256(), Docs: f.o.GetDocs(), Bytes: f.o.GetBytes()})
					}
				}
			}
		} else {
			rr.Summary.NotRun++
		}
		rr.Tasks = append(rr.Tasks, tr)
	}
	return rr
}
