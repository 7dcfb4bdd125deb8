package coordinator

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/quantile"
	pb "github.com/curator-dev/curator/proto"
)

// StepRef names a node of the recipe tree in stats.json and run.json: its
// index, its step, and the recipes and step ids it stands for.
type StepRef struct {
	Node    int      `json:"node"`
	Use     string   `json:"use"`
	Recipes []string `json:"recipes"`
	StepIDs []string `json:"step_ids"`
}

// stepRef returns the StepRef of node.
func (c *Coordinator) stepRef(node int) StepRef {
	n := c.cfg.Tree.Nodes()[node]
	ref := StepRef{Node: node, Use: n.Use, StepIDs: n.IDs}
	for _, ri := range n.Recipes {
		ref.Recipes = append(ref.Recipes, c.cfg.Tree.Recipes()[ri].Name)
	}
	return ref
}

// ThresholdRecord is the threshold the run fixed at one keep_top step, in
// stats.json and run.json.
type ThresholdRecord struct {
	StepRef
	// KeepTop is the fraction asked for.
	KeepTop float64 `json:"keep_top"`
	// Scored counts the documents scored at the step over the whole run;
	// Target is the number KeepTop asks to keep (the fraction of Scored,
	// rounded up). Documents whose score is at least Threshold are kept:
	// Target of them, give or take RankError and ties at the threshold.
	Scored    int64    `json:"scored"`
	Target    int64    `json:"target"`
	Threshold *float64 `json:"threshold"`
	// Method is "exact" (every score ranked) or "sketch" (more scores than
	// ExactLimit: a compaction sketch whose rank error is at most RankError
	// documents).
	Method         string `json:"method"`
	RankError      int64  `json:"rank_error"`
	ExactLimit     int    `json:"exact_limit"`
	SketchCapacity int    `json:"sketch_capacity"`
}

// ranking fixes the keep_top thresholds of a run, one depth of keep_top
// steps after another (a step below another keep_top step waits for it).
type ranking struct {
	tree     *filters.Tree
	exact    int
	capacity int
	depth    int // the next depth to fix
	maxDepth int
	fixed    map[int]*ThresholdRecord // by node
	judged   map[int]*DedupRecord     // by node
}

func newRanking(tree *filters.Tree, exact, capacity int) *ranking {
	if exact <= 0 {
		exact = quantile.DefaultExactLimit
	}
	if capacity <= 0 {
		capacity = quantile.DefaultCapacity
	}
	r := &ranking{tree: tree, exact: exact, capacity: capacity, maxDepth: -1, fixed: map[int]*ThresholdRecord{},
		judged: map[int]*DedupRecord{}}
	for _, n := range tree.Barriers() {
		r.maxDepth = max(r.maxDepth, tree.RankDepth(n))
	}
	return r
}

// records returns the fixed thresholds by node.
func (r *ranking) records() []*ThresholdRecord {
	var out []*ThresholdRecord
	for _, n := range r.tree.Rankers() {
		if t := r.fixed[n]; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// dedups returns the dedup records by node.
func (r *ranking) dedups() []*DedupRecord {
	var out []*DedupRecord
	for _, n := range r.tree.Barriers() {
		if d := r.judged[n]; d != nil {
			out = append(out, d)
		}
	}
	return out
}

// stagedDocs is what one task staged at a node.
type stagedDocs struct {
	job    *job
	staged *pb.Staged
}

// nextPhase is called once every task so far has an outcome. It fixes the
// thresholds of the next depth of keep_top steps from the scores staged
// there, and judges the documents staged at that depth's dedup steps, and
// publishes the second-phase tasks that apply them. It reports
// whether it published any.
func (c *Coordinator) nextPhase(ctx context.Context) (bool, error) {
	rk := c.ranks
	for rk.depth <= rk.maxDepth {
		depth := rk.depth
		rk.depth++
		c.mu.Lock()
		from := len(c.jobs)
		c.mu.Unlock()
		for _, node := range rk.tree.Barriers() {
			if rk.tree.RankDepth(node) != depth {
				continue
			}
			staged := c.stagedAt(node)
			if rk.tree.Deduper(node) != nil {
				rec, tasks, err := c.judge(node, staged)
				if err != nil {
					return false, err
				}
				c.mu.Lock()
				rk.judged[node] = rec
				for _, t := range tasks {
					c.addJob(t, 0)
				}
				c.mu.Unlock()
				continue
			}
			rec, err := c.fixThreshold(node, staged)
			if err != nil {
				return false, err
			}
			c.mu.Lock()
			rk.fixed[node] = rec
			if rec.Threshold != nil {
				for _, s := range staged {
					t := s.job.task
					c.addJob(&pb.Task{Version: pb.Version, RunId: c.run, Index: t.GetIndex(), Range: t.GetRange(),
						Options: t.GetOptions(), Resume: &pb.Resume{Version: pb.Version, Node: int32(node),
							Threshold: *rec.Threshold, Staged: s.staged.GetPath(), StagedSha256: s.staged.GetSha256()}}, 0)
				}
			}
			c.mu.Unlock()
			thr := any(nil)
			if rec.Threshold != nil {
				thr = *rec.Threshold
			}
			c.log.Info("keep_top threshold fixed", "node", node, "keep_top", rec.KeepTop, "scored", rec.Scored,
				"target", rec.Target, "threshold", thr, "method", rec.Method, "rank_error", rec.RankError)
		}
		c.mu.Lock()
		to := len(c.jobs)
		var early []*pb.Result
		for _, j := range c.jobs[from:to] {
			name := pb.JobName(j.task.GetIndex(), j.task.GetResume())
			if res, ok := c.early[name]; ok {
				early = append(early, res)
				delete(c.early, name)
			}
		}
		c.mu.Unlock()
		for _, res := range early {
			c.merge(res)
		}
		if to > from {
			if err := c.publishJobs(ctx, from, to); err != nil {
				return false, err
			}
			c.log.Info("second-phase tasks published", "depth", depth, "tasks", to-from)
			c.report()
			return true, nil
		}
	}
	return false, nil
}

// stagedAt collects what every task staged at node, in task order.
func (c *Coordinator) stagedAt(node int) []stagedDocs {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []stagedDocs
	for _, j := range c.jobs {
		if j.out == nil {
			continue
		}
		for _, s := range j.out.res.GetStaged() {
			if int(s.GetNode()) == node && s.GetDocs() > 0 {
				out = append(out, stagedDocs{job: j, staged: s})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b stagedDocs) int {
		return int(a.job.task.GetIndex() - b.job.task.GetIndex())
	})
	return out
}

// fixThreshold ranks every score staged at node, in task order, and fixes
// the threshold that keeps the step's fraction.
func (c *Coordinator) fixThreshold(node int, staged []stagedDocs) (*ThresholdRecord, error) {
	start := time.Now()
	rec := &ThresholdRecord{StepRef: c.stepRef(node), KeepTop: c.cfg.Tree.KeepTop(node),
		ExactLimit: c.ranks.exact, SketchCapacity: c.ranks.capacity}
	r := quantile.NewRanker(c.ranks.exact, c.ranks.capacity)
	for _, s := range staged {
		if err := addScores(r, c.cfg.OutputDir, s.staged); err != nil {
			return nil, fmt.Errorf("coordinator: keep_top at node %d: task %d: %w", node, s.job.task.GetIndex(), err)
		}
	}
	if err := FixThreshold(rec, r); err != nil {
		return nil, fmt.Errorf("coordinator: keep_top at node %d: %w", node, err)
	}
	c.log.Debug("scores ranked", "node", node, "scores", r.N(), "seconds", time.Since(start).Seconds())
	return rec, nil
}

// FixThreshold fixes rec's threshold, the score that keeps rec.KeepTop of
// the scores r ranked, and records how (scored, target, method, rank
// error). rec.Threshold stays nil when r ranked no score.
func FixThreshold(rec *ThresholdRecord, r *quantile.Ranker) error {
	t, ok, err := r.Threshold(rec.KeepTop)
	if err != nil {
		return err
	}
	rec.Scored, rec.Target, rec.RankError = r.N(), quantile.Target(rec.KeepTop, r.N()), r.RankError()
	rec.Method = "exact"
	if !r.Exact() {
		rec.Method = "sketch"
	}
	if ok {
		rec.Threshold = &t
	}
	return nil
}

// addScores reads one staged scores file into r, checking its size and hash.
func addScores(r *quantile.Ranker, dir string, s *pb.Staged) error {
	path := filepath.Join(dir, filepath.FromSlash(s.GetScores()))
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if int64(len(b)) != 8*s.GetDocs() {
		return fmt.Errorf("scores %s: %d bytes for %d documents", path, len(b), s.GetDocs())
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != s.GetScoresSha256() {
		return fmt.Errorf("scores %s: sha256 %s, want %s (changed since it was written)", path, got, s.GetScoresSha256())
	}
	for off := 0; off < len(b); off += 8 {
		if err := r.Add(math.Float64frombits(binary.LittleEndian.Uint64(b[off:]))); err != nil {
			return fmt.Errorf("scores %s at %d: %w", path, off, err)
		}
	}
	return nil
}
