package workers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/text"
	"github.com/curator-dev/curator/filters/tokens"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/shard"
)

// Output layout below the run's output directory.
const (
	// DataDir holds a recipe's kept documents: <recipe>/data/task-NNNNNN.jsonl.zst.
	DataDir = "data"
	// RemovedDir holds a recipe's removed documents (with keep_removed).
	RemovedDir = "removed"
)

// OutputName is the file a task writes in a recipe's data or removed
// directory. It depends on the task index only (and, for a second-phase
// task, on the keep_top node it resumes at), so a redelivered task rewrites
// the same file.
func OutputName(task int64, resume *pb.Resume) string {
	if resume == nil {
		return fmt.Sprintf("task-%06d.jsonl.zst", task)
	}
	return fmt.Sprintf("task-%06d-n%03d.jsonl.zst", task, resume.GetNode())
}

// docLine is one output line; the field order is the key order.
type docLine struct {
	ID       string          `json:"id"`
	URL      string          `json:"url"`
	Text     string          `json:"text"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
	Signals  map[string]any  `json:"signals"`
	// Annotations are the recipe's steps' measurements and verdicts, in
	// an annotated run, and Tokens the text's token count (so that a
	// selection need not count again).
	Annotations []filters.Annotation `json:"annotations,omitempty"`
	Tokens      *int64               `json:"tokens,omitempty"`
	RemovedBy   string               `json:"removed_by,omitempty"`
	Reason      string               `json:"reason,omitempty"`
}

// ReadErrorStep is the removed_by of a record the reader could not read.
const ReadErrorStep = "read"

// file is one output file being written.
type file struct {
	rel  string // relative to the output directory
	w    *shard.Writer
	docs int64
}

// TokenCounter counts the tokens of a text (curator counts GPT-2's r50k
// BPE tokens: filters/tokens).
type TokenCounter interface {
	Count(text string) int
}

// TokenizerName names the tokenizer whose tokens workers count by default:
// GPT-2's r50k BPE.
const TokenizerName = "r50k_base"

// tokensMemo is the Doc memo key of a text's token count, shared by the
// recipes a document leaves with the same text (and the annotating tree).
const tokensMemo = filters.TokensMemo

// outputs are the files a task writes, per recipe.
type outputs struct {
	dir         string
	names       []string
	tokens      TokenCounter
	steps       []map[string]int // per recipe: step id -> index
	keptTokens  []int64          // per recipe
	keptWords   []int64          // per recipe
	keptText    []int64          // per recipe: UTF-8 bytes
	exitTokens  [][]int64        // per recipe, per step
	annotated   *filters.Tree    // the annotating tree, nil when not annotating
	file        string           // the file name in every data and removed directory
	stager      *stager
	keepRemoved bool
	data        []*file
	removed     []*file
	buf         bytes.Buffer
	enc         *json.Encoder
}

func newOutputs(dir string, recipes []*filters.Recipe, task int64, resume *pb.Resume, keepRemoved bool, tokens TokenCounter) *outputs {
	o := &outputs{dir: dir, file: OutputName(task, resume), stager: newStager(dir, task), keepRemoved: keepRemoved,
		data: make([]*file, len(recipes)), removed: make([]*file, len(recipes)), tokens: tokens,
		keptTokens: make([]int64, len(recipes)), exitTokens: make([][]int64, len(recipes)),
		keptWords: make([]int64, len(recipes)), keptText: make([]int64, len(recipes))}
	for ri, r := range recipes {
		o.names = append(o.names, r.Name)
		idx := make(map[string]int, len(r.Steps))
		for si, id := range r.StepIDs() {
			idx[id] = si
		}
		o.steps = append(o.steps, idx)
		o.exitTokens[ri] = make([]int64, len(r.Steps))
	}
	o.enc = json.NewEncoder(&o.buf)
	o.enc.SetEscapeHTML(false)
	return o
}

// Stage implements filters.Sink: it keeps a document that reached a
// keep_top or dedup node for the second phase.
func (o *outputs) Stage(node int, d *filters.Doc, score float64, fp []byte) error {
	return o.stager.stage(node, d, score, fp)
}

// Emit implements filters.Sink: it writes one recipe's outcome for a
// document and counts its tokens where it leaves the recipe.
func (o *outputs) Emit(recipe int, d *filters.Doc, out filters.Outcome) error {
	return o.emit(recipe, d, out, -1)
}

// emit is Emit; exitTokens, when not negative, are the tokens of a removed
// document's text as it left the recipe (a selection knows them from the
// annotations, the document's text being its final one).
func (o *outputs) emit(recipe int, d *filters.Doc, out filters.Outcome, exitTokens int64) error {
	if exitTokens >= 0 && !out.Kept {
		o.addExitTokens(recipe, out, exitTokens)
	} else {
		o.countTokens(recipe, d, out)
	}
	if out.Kept {
		o.keptWords[recipe] += int64(text.CountSplit(d.Text).Words)
		o.keptText[recipe] += int64(len(d.Text))
		l := docLine{ID: d.ID, URL: d.URL, Text: d.Text, Metadata: d.Metadata, Signals: d.Signals}
		if o.annotated != nil {
			ann, err := o.annotated.Annotations(recipe, d)
			if err != nil {
				return fmt.Errorf("output: %w", err)
			}
			l.Annotations = ann
			if o.tokens != nil {
				n := o.textTokens(d)
				l.Tokens = &n
			}
		}
		return o.write(&o.data, recipe, DataDir, l)
	}
	if !o.keepRemoved {
		return nil
	}
	reason := out.Reason
	if out.Err != nil {
		msg, _, _ := strings.Cut(out.Err.Error(), "\n")
		reason = fmt.Sprintf("error: %s (shard %s at %d)", msg, d.Source.Shard, d.Source.Offset)
	}
	return o.write(&o.removed, recipe, RemovedDir, docLine{ID: d.ID, URL: d.URL, Text: d.Text, Metadata: d.Metadata,
		Signals: d.Signals, RemovedBy: out.StepID, Reason: reason})
}

// countTokens adds d's tokens to the recipe's kept tokens, or to the
// tokens that left it at the step that removed d. A document removed before
// it has text (by extraction) has no tokens.
func (o *outputs) countTokens(recipe int, d *filters.Doc, out filters.Outcome) {
	if o.tokens == nil || d.Text == "" {
		return
	}
	n := o.textTokens(d)
	if out.Kept {
		o.keptTokens[recipe] += n
		return
	}
	o.addExitTokens(recipe, out, n)
}

// addExitTokens adds n tokens to those that left the recipe at out's step.
func (o *outputs) addExitTokens(recipe int, out filters.Outcome, n int64) {
	if si, ok := o.steps[recipe][out.StepID]; ok {
		o.exitTokens[recipe][si] += n
	}
}

// textTokens counts the tokens of d's text, once per text.
func (o *outputs) textTokens(d *filters.Doc) int64 {
	return d.Memo(tokensMemo, func(text string) any { return int64(o.tokens.Count(text)) }).(int64)
}

// SeedTokens records that d's current text has n tokens, so that they are
// not counted again.
func SeedTokens(d *filters.Doc, n int64) {
	d.Memo(tokensMemo, func(string) any { return n })
}

// readError records a record the reader could not read in every recipe's
// removed output.
func (o *outputs) readError(path string, err error) error {
	if !o.keepRemoved {
		return nil
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	if !strings.Contains(msg, path) {
		msg = fmt.Sprintf("shard %s: %s", path, msg)
	}
	for ri := range o.names {
		if err := o.write(&o.removed, ri, RemovedDir, docLine{RemovedBy: ReadErrorStep, Reason: "error: " + msg}); err != nil {
			return err
		}
	}
	return nil
}

func (o *outputs) write(files *[]*file, recipe int, sub string, l docLine) error {
	f := (*files)[recipe]
	if f == nil {
		rel := filepath.Join(o.names[recipe], sub, o.file)
		path := filepath.Join(o.dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		w, err := shard.Create(path)
		if err != nil {
			return fmt.Errorf("output %s: %w", path, err)
		}
		f = &file{rel: filepath.ToSlash(rel), w: w}
		(*files)[recipe] = f
	}
	line, err := o.encode(&l)
	if err != nil {
		return fmt.Errorf("output %s: document %s: %w", f.rel, l.ID, err)
	}
	if err := f.w.WriteLine(line); err != nil {
		return fmt.Errorf("output %s: %w", f.rel, err)
	}
	f.docs++
	return nil
}

// encode renders l as one JSON line without its newline. Signals a JSON
// encoder refuses (NaN, say) are written as strings rather than losing the
// document.
func (o *outputs) encode(l *docLine) ([]byte, error) {
	if l.Signals == nil {
		l.Signals = map[string]any{}
	}
	o.buf.Reset()
	err := o.enc.Encode(l)
	if err != nil {
		safe := make(map[string]any, len(l.Signals))
		for k, v := range l.Signals {
			if _, e := json.Marshal(v); e != nil {
				v = fmt.Sprint(v)
			}
			safe[k] = v
		}
		l.Signals = safe
		o.buf.Reset()
		err = o.enc.Encode(l)
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(o.buf.Bytes(), []byte("\n")), nil
}

// commit makes every file durable and describes them.
func (o *outputs) commit() ([]*pb.RecipeOutputs, []*pb.Staged, error) {
	var out []*pb.RecipeOutputs
	var errs []error
	staged, err := o.stager.commit()
	if err != nil {
		errs = append(errs, err)
	}
	for ri := range o.names {
		ro := &pb.RecipeOutputs{Version: pb.Version, Recipe: int32(ri)}
		var err error
		if ro.Data, err = o.commitFile(o.data[ri]); err != nil {
			errs = append(errs, err)
		}
		if ro.Removed, err = o.commitFile(o.removed[ri]); err != nil {
			errs = append(errs, err)
		}
		ro.KeptTokens, ro.KeptWords, ro.KeptTextBytes = o.keptTokens[ri], o.keptWords[ri], o.keptText[ri]
		if slices.ContainsFunc(o.exitTokens[ri], func(n int64) bool { return n != 0 }) {
			ro.ExitTokens = o.exitTokens[ri]
		}
		if ro.Data != nil || ro.Removed != nil || ro.KeptTokens != 0 || ro.KeptTextBytes != 0 || ro.ExitTokens != nil {
			out = append(out, ro)
		}
	}
	if err := errors.Join(errs...); err != nil {
		o.abort()
		return nil, nil, err
	}
	return out, staged, nil
}

func (o *outputs) commitFile(f *file) (*pb.Output, error) {
	if f == nil {
		return nil, nil
	}
	if err := f.w.Commit(); err != nil {
		return nil, fmt.Errorf("output %s: %w", f.rel, err)
	}
	info := f.w.Info()
	return &pb.Output{Version: pb.Version, Path: f.rel, Sha256: info.SHA256, Docs: f.docs, Bytes: info.Bytes}, nil
}

// abort drops every file not yet committed.
func (o *outputs) abort() {
	o.stager.abort()
	for _, fs := range [][]*file{o.data, o.removed} {
		for _, f := range fs {
			if f != nil {
				_ = f.w.Abort()
			}
		}
	}
}

// nodeStatsToPB turns a task's tree counters into their wire form.
func nodeStatsToPB(st *filters.TreeStats) []*pb.NodeStats {
	out := make([]*pb.NodeStats, len(st.Nodes))
	for i, n := range st.Nodes {
		out[i] = &pb.NodeStats{Version: pb.Version, Node: int32(i), In: n.In, Kept: n.Kept, Removed: n.Removed,
			Modified: n.Modified, Errors: n.Errors, BytesIn: n.BytesIn, BytesOut: n.BytesOut, Nanos: n.Nanos,
			Gauges: histogramsToPB(n.Gauges), Samples: samplesToPB(n.Samples)}
	}
	return out
}

// NodeStatsFromPB turns wire counters back into tree counters, checking
// that they describe a tree of n nodes.
func NodeStatsFromPB(nodes []*pb.NodeStats, n int) (*filters.TreeStats, error) {
	st := &filters.TreeStats{Nodes: make([]filters.NodeStats, n)}
	for _, ns := range nodes {
		if err := pb.CheckVersion("node stats", ns.GetVersion()); err != nil {
			return nil, err
		}
		i := int(ns.GetNode())
		if i < 0 || i >= n {
			return nil, fmt.Errorf("node stats for node %d of a tree of %d nodes", i, n)
		}
		samples, err := samplesFromPB(ns.GetSamples())
		if err != nil {
			return nil, fmt.Errorf("node stats for node %d: %w", i, err)
		}
		s := &st.Nodes[i]
		s.Merge(&filters.NodeStats{In: ns.GetIn(), Kept: ns.GetKept(), Removed: ns.GetRemoved(), Modified: ns.GetModified(),
			Errors: ns.GetErrors(), BytesIn: ns.GetBytesIn(), BytesOut: ns.GetBytesOut(), Nanos: ns.GetNanos(),
			Gauges: histogramsFromPB(ns.GetGauges()), Samples: samples})
	}
	return st, nil
}

// Annotate puts tree in annotate mode (filters.Tree.SetAnnotate) with a
// GPT-2 r50k token count after every step, so that a selection from the
// annotated run counts its tokens as a fresh run would.
func Annotate(tree *filters.Tree) error {
	enc, err := tokens.R50k()
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	tree.SetAnnotate(true)
	tree.SetTokenCounter(func(text string) int64 { return int64(enc.Count(text)) })
	return nil
}
