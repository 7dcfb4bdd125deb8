package filters

// NodeStats are the counters of one node of a recipe tree. They merge by
// addition, so a run's statistics do not depend on how its documents were
// spread over workers.
type NodeStats struct {
	// In counts documents the step was applied to.
	In int64 `json:"in"`
	// Kept counts documents it let through.
	Kept int64 `json:"kept"`
	// Removed counts removed documents by reason.
	Removed map[string]int64 `json:"removed"`
	// Modified counts kept documents whose text the step changed.
	Modified int64 `json:"modified"`
	// Errors counts documents the step failed on.
	Errors int64 `json:"errors"`
	// BytesIn sums the size of the documents going in (HTML before
	// extraction, else text).
	BytesIn int64 `json:"bytes_in"`
	// BytesOut sums the size of the kept documents coming out.
	BytesOut int64 `json:"bytes_out"`
	// Nanos sums the time spent in the step. It is a timing, not a counter:
	// it differs from run to run.
	Nanos int64 `json:"-"`
	// Gauges are the histograms of the step's gauges (Tree.Gauges), and
	// Samples the documents it removed or changed that an observing tree
	// sampled (Tree.SetObserve); the run's report shows both.
	Gauges  []Histogram `json:"-"`
	Samples []Sample    `json:"-"`
}

func (s *NodeStats) remove(reason string) {
	if s.Removed == nil {
		s.Removed = make(map[string]int64, 2)
	}
	s.Removed[reason]++
}

// Merge adds o's counters to s.
func (s *NodeStats) Merge(o *NodeStats) {
	s.In += o.In
	s.Kept += o.Kept
	s.Modified += o.Modified
	s.Errors += o.Errors
	s.BytesIn += o.BytesIn
	s.BytesOut += o.BytesOut
	s.Nanos += o.Nanos
	for k, v := range o.Removed {
		if s.Removed == nil {
			s.Removed = make(map[string]int64, len(o.Removed))
		}
		s.Removed[k] += v
	}
	s.mergeObs(o)
}

// RemovedTotal is the number of documents removed for any reason.
func (s *NodeStats) RemovedTotal() int64 {
	var n int64
	for _, v := range s.Removed {
		n += v
	}
	return n
}

// TreeStats are the counters of every node of a tree, indexed like Tree.Nodes.
type TreeStats struct {
	Nodes []NodeStats `json:"nodes"`
}

// Merge adds o's counters to s. Both must come from the same tree.
func (s *TreeStats) Merge(o *TreeStats) {
	if len(s.Nodes) < len(o.Nodes) {
		s.Nodes = append(s.Nodes, make([]NodeStats, len(o.Nodes)-len(s.Nodes))...)
	}
	for i := range o.Nodes {
		s.Nodes[i].Merge(&o.Nodes[i])
	}
}
