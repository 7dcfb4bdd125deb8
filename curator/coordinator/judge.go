package coordinator

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/atomicfile"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
)

// DedupRecord is what the run's judge did at one dedup step, in stats.json
// and run.json.
type DedupRecord struct {
	StepRef
	// GroupSize is the number of tasks deduplicated together (0: the whole
	// run); Groups counts the groups that had documents.
	GroupSize int `json:"group_size"`
	Groups    int `json:"groups"`
	// Docs counts the documents judged, in canonical order.
	Docs int64 `json:"docs"`
	// PlanBytes is the memory one judge holds (the bloom filter).
	PlanBytes uint64 `json:"plan_bytes"`
	// Filter is the judge's final state (the bloom filter after the whole
	// run, for seed_from), relative to the output directory, with its hex
	// SHA-256; only for a run-wide bloom filter.
	Filter       string `json:"filter,omitempty"`
	FilterSHA256 string `json:"filter_sha256,omitempty"`
}

// judge runs the run's dedup decisions at node: the fingerprints every task
// staged there, in canonical order (task index, then document), through
// one Judge per group, each verdict written beside the staged documents.
// It returns the record and the second-phase tasks that apply the verdicts.
func (c *Coordinator) judge(node int, staged []stagedDocs) (*DedupRecord, []*pb.Task, error) {
	start := time.Now()
	dd := c.cfg.Tree.Deduper(node)
	rec := &DedupRecord{StepRef: c.stepRef(node), GroupSize: dd.GroupSize(), PlanBytes: dd.PlanBytes()}
	// Consecutive staged tasks of one group share a judge; groups are
	// independent and judged in parallel, as many at a time as there are
	// cores and as the memory limit holds filters.
	var groups [][]stagedDocs
	for i, s := range staged {
		if i == 0 || rec.GroupSize > 0 &&
			s.job.task.GetIndex()/int64(rec.GroupSize) != staged[i-1].job.task.GetIndex()/int64(rec.GroupSize) {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], s)
	}
	rec.Groups = len(groups)
	par := runtime.GOMAXPROCS(0)
	if limit := c.dedupLimit(); rec.PlanBytes > 0 && limit > 0 {
		par = max(1, min(par, int(limit/rec.PlanBytes)))
	}
	tasks := make([]*pb.Task, len(staged))
	docs := make([]int64, len(groups))
	errs := make([]error, len(groups))
	var last filters.Judge
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	first := 0
	for gi, g := range groups {
		wg.Add(1)
		sem <- struct{}{}
		go func(gi, first int, g []stagedDocs) {
			defer func() { <-sem; wg.Done() }()
			j, err := dd.NewJudge()
			if err != nil {
				errs[gi] = err
				return
			}
			if cl, ok := j.(filters.Clusterer); ok {
				// A clusterer sees every fingerprint of the group first.
				for _, s := range g {
					if err := c.observeTask(cl, s.staged); err != nil {
						errs[gi] = fmt.Errorf("task %d: %w", s.job.task.GetIndex(), err)
						return
					}
				}
			}
			var v []byte
			for i, s := range g {
				t := s.job.task
				rel := workers.VerdictsName(node, t.GetIndex())
				sha, n, err := c.judgeTask(j, s.staged, rel, &v)
				if err != nil {
					errs[gi] = fmt.Errorf("task %d: %w", t.GetIndex(), err)
					return
				}
				docs[gi] += n
				tasks[first+i] = &pb.Task{Version: pb.Version, RunId: c.run, Index: t.GetIndex(), Range: t.GetRange(),
					Options: t.GetOptions(), Resume: &pb.Resume{Version: pb.Version, Node: int32(node),
						Staged: s.staged.GetPath(), StagedSha256: s.staged.GetSha256(), Verdicts: rel, VerdictsSha256: sha}}
			}
			if len(groups) == 1 {
				last = j
			}
		}(gi, first, g)
		first += len(g)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, fmt.Errorf("coordinator: dedup at node %d: %w", node, err)
	}
	for _, n := range docs {
		rec.Docs += n
	}
	if sn, ok := last.(filters.Snapshotter); ok && rec.GroupSize == 0 {
		if err := c.saveFilter(rec, sn); err != nil {
			return nil, nil, fmt.Errorf("coordinator: dedup at node %d: %w", node, err)
		}
	}
	c.log.Info("dedup judged", "node", node, "use", rec.Use, "docs", rec.Docs, "groups", rec.Groups,
		"seconds", time.Since(start).Seconds())
	return rec, tasks, nil
}

// judgeTask judges the fingerprints one task staged and writes the
// verdicts file rel; it returns the file's SHA-256 and the document count.
func (c *Coordinator) judgeTask(j filters.Judge, s *pb.Staged, rel string, v *[]byte) (string, int64, error) {
	if s.GetPrints() == "" {
		return "", 0, fmt.Errorf("staged %s has no fingerprints", s.GetPath())
	}
	r, err := workers.OpenRecords(filepath.Join(c.cfg.OutputDir, filepath.FromSlash(s.GetPrints())), s.GetPrintsSha256())
	if err != nil {
		return "", 0, err
	}
	defer r.Close()
	w, err := workers.CreateRecords(filepath.Join(c.cfg.OutputDir, filepath.FromSlash(rel)))
	if err != nil {
		return "", 0, err
	}
	var n int64
	for {
		fp, err := r.Next()
		if err == io.EOF {
			break
		}
		if err == nil {
			*v, err = j.Judge(fp, (*v)[:0])
		}
		if err == nil {
			err = w.Write(*v)
		}
		if err != nil {
			w.Abort()
			return "", 0, fmt.Errorf("document %d: %w", n, err)
		}
		n++
	}
	if n != s.GetDocs() {
		w.Abort()
		return "", 0, fmt.Errorf("%d fingerprints for %d staged documents", n, s.GetDocs())
	}
	sha, err := w.Commit()
	return sha, n, err
}

// observeTask feeds the fingerprints one task staged to a clusterer's
// first pass.
func (c *Coordinator) observeTask(cl filters.Clusterer, s *pb.Staged) error {
	if s.GetPrints() == "" {
		return fmt.Errorf("staged %s has no fingerprints", s.GetPath())
	}
	r, err := workers.OpenRecords(filepath.Join(c.cfg.OutputDir, filepath.FromSlash(s.GetPrints())), s.GetPrintsSha256())
	if err != nil {
		return err
	}
	defer r.Close()
	var n int64
	for {
		fp, err := r.Next()
		if err == io.EOF {
			break
		}
		if err == nil {
			err = cl.Observe(fp)
		}
		if err != nil {
			return fmt.Errorf("document %d: %w", n, err)
		}
		n++
	}
	if n != s.GetDocs() {
		return fmt.Errorf("%d fingerprints for %d staged documents", n, s.GetDocs())
	}
	return nil
}

// planDedup logs the memory every dedup step's judge will hold and refuses
// a plan that exceeds Config.DedupMemory.
func (c *Coordinator) planDedup() error {
	limit := c.dedupLimit()
	for _, node := range c.cfg.Tree.Barriers() {
		dd := c.cfg.Tree.Deduper(node)
		if dd == nil {
			continue
		}
		n := c.cfg.Tree.Nodes()[node]
		need := dd.PlanBytes()
		plan := fmt.Sprint(dd)
		c.log.Info("dedup plan", "node", node, "use", n.Use, "steps", n.IDs, "bytes", need, "plan", plan)
		if limit > 0 && need > limit {
			return fmt.Errorf("coordinator: %s (node %d) needs %s for its filter (%s), and a dedup judge may use %s "+
				"(--dedup-memory, default half the machine's memory): lower expected_ngrams or raise fp_rate (bff_dedup) "+
				"or expected_docs (minhash_dedup), "+
				"dedup in groups of tasks (group_size), or raise --dedup-memory on a machine that has it",
				n.Use, node, gib(need), plan, gib(limit))
		}
	}
	return nil
}

// dedupLimit is the memory dedup judges may hold together.
func (c *Coordinator) dedupLimit() uint64 {
	if c.cfg.DedupMemory > 0 {
		return c.cfg.DedupMemory
	}
	return physicalMemory() / 2
}

func gib(b uint64) string { return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30)) }

// physicalMemory is MemTotal of /proc/meminfo in bytes (0 when unknown).
func physicalMemory() uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kb uint64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// saveFilter writes a judge's final state beside the first recipe's outputs
// as STEP_ID.filter and records it.
func (c *Coordinator) saveFilter(rec *DedupRecord, sn filters.Snapshotter) error {
	rel := filepath.ToSlash(filepath.Join(rec.Recipes[0], rec.StepIDs[0]+".filter"))
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("filter %q is not below the output directory", rel)
	}
	path := filepath.Join(c.cfg.OutputDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	h := sha256.New()
	err := atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(io.MultiWriter(w, h), 1<<20)
		if _, err := sn.WriteTo(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		if errors.Is(err, filters.ErrNoSnapshot) {
			return nil
		}
		return fmt.Errorf("filter %s: %w", path, err)
	}
	rec.Filter, rec.FilterSHA256 = rel, hex.EncodeToString(h.Sum(nil))
	return nil
}
