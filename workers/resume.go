package workers

import (
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	pb "github.com/curator-dev/curator/proto"
)

// processResume runs a second-phase task: the documents that the task of
// the same index staged at a keep_top node, taken on from there with the
// run's threshold, or at a dedup node, with the run's verdicts. A staged
// file that cannot be read back fails the task (permanently) and nothing of
// it is written.
func (w *Worker) processResume(ctx context.Context, t *pb.Task, start time.Time) (*pb.Result, error) {
	rs := t.GetResume()
	opts := t.GetOptions()
	tree := w.cfg.Tree
	node := int(rs.GetNode())
	fail := func(err error) (*pb.Result, error) {
		res := failedResult(t, w.cfg.ID, fmt.Errorf("task %s: %w", pb.JobName(t.GetIndex(), rs), err), start)
		res.Resume = rs
		return res, nil
	}
	if node < 0 || node >= len(tree.Nodes()) || (tree.KeepTop(node) == 0 && tree.Deduper(node) == nil) {
		return fail(fmt.Errorf("node %d is not a keep_top or dedup step of this tree", node))
	}
	dedup := tree.Deduper(node) != nil
	if dedup && rs.GetVerdicts() == "" {
		return fail(fmt.Errorf("node %d is a dedup step, and the task has no verdicts", node))
	}
	rel := rs.GetStaged()
	for _, p := range []string{rel, rs.GetVerdicts()} {
		if path.IsAbs(p) || strings.HasPrefix(path.Clean(p), "..") {
			return fail(fmt.Errorf("staged file %q is not below the output directory", p))
		}
	}
	r, err := openStaged(filepath.Join(opts.GetOutputDir(), filepath.FromSlash(rel)), rs.GetStagedSha256())
	if err != nil {
		return fail(err)
	}
	defer r.close()
	var verdicts *RecordReader
	if dedup {
		if verdicts, err = OpenRecords(filepath.Join(opts.GetOutputDir(), filepath.FromSlash(rs.GetVerdicts())), rs.GetVerdictsSha256()); err != nil {
			return fail(err)
		}
		defer verdicts.Close()
	}
	st := tree.NewStats()
	outs := newOutputs(opts.GetOutputDir(), tree.Recipes(), t.GetIndex(), rs, opts.GetKeepRemoved(), w.cfg.Tokens)
	if tree.Annotating() {
		outs.annotated = tree
	}
	for n := 0; ; n++ {
		if n%64 == 0 && ctx.Err() != nil {
			outs.abort()
			return nil, ctx.Err()
		}
		d, score, err := r.next()
		var verdict []byte
		if dedup {
			v, verr := verdicts.Next()
			switch {
			case verr != nil && verr != io.EOF:
				err = verr
			case err == io.EOF && verr == nil:
				err = fmt.Errorf("verdicts %s: more verdicts than the %d staged documents", rs.GetVerdicts(), n)
			case verr == io.EOF && err == nil:
				err = fmt.Errorf("verdicts %s: %d verdicts for more staged documents", rs.GetVerdicts(), n)
			}
			verdict = v
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			outs.abort()
			return fail(err)
		}
		if dedup {
			err = tree.ResumeJudged(node, d, verdict, st, outs)
		} else {
			err = tree.Resume(node, d, score, rs.GetThreshold(), st, outs)
		}
		if err != nil {
			outs.abort()
			return nil, fmt.Errorf("task %s: %w", pb.JobName(t.GetIndex(), rs), err)
		}
	}
	res := newResult(t, w.cfg.ID)
	res.Resume = rs
	var cerr error
	if res.Outputs, res.Staged, cerr = outs.commit(); cerr != nil {
		return nil, fmt.Errorf("task %s: %w", pb.JobName(t.GetIndex(), rs), cerr)
	}
	res.Nodes = nodeStatsToPB(st)
	res.WallNanos = int64(time.Since(start))
	return res, nil
}
