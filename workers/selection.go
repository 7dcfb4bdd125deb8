package workers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/klauspost/compress/zstd"
)

// SelectOptions are where and how a selection (curator select) writes.
type SelectOptions struct {
	// Dir is the selection's output directory.
	Dir string
	// Targets are the selection's recipes, one per filters.Selection.
	Targets []*filters.Recipe
	// KeepRemoved writes removed documents too, as a run does.
	KeepRemoved bool
	// Tokens counts tokens (nil: no token counts).
	Tokens TokenCounter
}

// SelectFileResult is what a selection made of one annotated file.
type SelectFileResult struct {
	// Records counts the annotated documents read.
	Records int64
	// Stats are the target recipes' step counters (indexed by step).
	Stats []*filters.TreeStats
	// Outputs are the files written, per target recipe.
	Outputs []*pb.RecipeOutputs
}

// annotatedLine is a line of an annotated run's output.
type annotatedLine struct {
	ID          string          `json:"id"`
	URL         string          `json:"url"`
	Text        string          `json:"text"`
	Metadata    json.RawMessage `json:"metadata"`
	Signals     map[string]any  `json:"signals"`
	Annotations json.RawMessage `json:"annotations"`
	Tokens      *int64          `json:"tokens"`
}

// eachAnnotated calls fn with every document of an annotated output file,
// its annotations, and whether the run counted its tokens (then each
// annotation has the tokens after its step).
func eachAnnotated(ctx context.Context, path string, fn func(d *filters.Doc, ann []filters.Annotation, counted bool) error) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return 0, fmt.Errorf("annotated %s: %w", path, err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	var n, off int64
	for {
		line, rerr := br.ReadBytes('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return n, fmt.Errorf("annotated %s at %d: %w", path, off, rerr)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if n%256 == 0 && ctx.Err() != nil {
				return n, ctx.Err()
			}
			var l annotatedLine
			if err := json.Unmarshal(line, &l); err != nil {
				return n, fmt.Errorf("annotated %s at %d: %w", path, off, err)
			}
			if l.Annotations == nil {
				return n, fmt.Errorf("annotated %s at %d: document %s has no annotations (the run was not made with --annotate)", path, off, l.ID)
			}
			ann, err := filters.ParseAnnotations(l.Annotations)
			if err != nil {
				return n, fmt.Errorf("annotated %s at %d: document %s: %w", path, off, l.ID, err)
			}
			d := &filters.Doc{ID: l.ID, URL: l.URL, Text: l.Text, Signals: l.Signals,
				Source: filters.Source{Shard: path, Offset: off, Index: n}}
			if len(l.Metadata) > 0 && string(l.Metadata) != "null" {
				d.Metadata = l.Metadata
			}
			if l.Tokens != nil {
				SeedTokens(d, *l.Tokens)
			}
			if err := fn(d, ann, l.Tokens != nil); err != nil {
				return n, fmt.Errorf("annotated %s at %d: %w", path, off, err)
			}
			n++
		}
		off += int64(len(line))
		if rerr != nil {
			return n, nil
		}
	}
}

// StagedScores reads one annotated file and returns, per selection, the
// scores of the documents that reach a keep_top step whose threshold is not
// in thresholds yet, by step id, in document order.
func StagedScores(ctx context.Context, path string, sels []*filters.Selection, thresholds []map[string]float64) ([]map[string][]float64, error) {
	out := make([]map[string][]float64, len(sels))
	for i := range out {
		out[i] = map[string][]float64{}
	}
	_, err := eachAnnotated(ctx, path, func(d *filters.Doc, ann []filters.Annotation, _ bool) error {
		for i, s := range sels {
			dec, err := s.Apply(d.Clone(), ann, thresholds[i], nil)
			if err != nil {
				return err
			}
			if dec.Staged {
				out[i][dec.StepID] = append(out[i][dec.StepID], dec.Score)
			}
		}
		return nil
	})
	return out, err
}

// SelectFile applies the selections to one annotated file with every
// keep_top threshold fixed, and writes each target recipe's documents to
// o.Dir/<recipe>/data (and removed/) under the file's own name, as a run
// would have written them.
func SelectFile(ctx context.Context, path string, sels []*filters.Selection, thresholds []map[string]float64, o SelectOptions) (*SelectFileResult, error) {
	outs := newOutputs(o.Dir, o.Targets, 0, nil, o.KeepRemoved, o.Tokens)
	outs.file = filepath.Base(path)
	res := &SelectFileResult{}
	for _, s := range sels {
		res.Stats = append(res.Stats, s.NewStats())
	}
	n, err := eachAnnotated(ctx, path, func(d *filters.Doc, ann []filters.Annotation, counted bool) error {
		for i, s := range sels {
			doc := d.Clone()
			dec, err := s.Apply(doc, ann, thresholds[i], res.Stats[i])
			if err != nil {
				return err
			}
			if dec.Staged {
				return fmt.Errorf("document %s reached keep_top step %s, whose threshold is not fixed", d.ID, dec.StepID)
			}
			// An annotated run that counted tokens recorded them after
			// every step: a removed document's are those of its text
			// at removal, not of its final text.
			exit := int64(-1)
			if counted {
				exit = dec.Tokens
			}
			if err := outs.emit(i, doc, dec.Outcome, exit); err != nil {
				return err
			}
		}
		return nil
	})
	res.Records = n
	if err != nil {
		outs.abort()
		return nil, err
	}
	if res.Outputs, _, err = outs.commit(); err != nil {
		return nil, err
	}
	return res, nil
}
