package coordinator

import (
	"fmt"
	"math"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
)

// ObservationsFile holds, in the output directory, what the run's workers
// observed beside their counters: each node's gauge histograms and samples
// of the documents it removed or changed. The report is drawn from it.
const ObservationsFile = "observations.json"

// Observations is observations.json.
type Observations struct {
	RunID string `json:"run_id"`
	// SamplesPerReason and SamplesChanged are how many documents each
	// node's samples keep per removal reason and of changed documents.
	SamplesPerReason int                `json:"samples_per_reason"`
	SamplesChanged   int                `json:"samples_changed"`
	Nodes            []NodeObservations `json:"nodes"`
}

// NodeObservations are one node's observations.
type NodeObservations struct {
	Node    int              `json:"node"`
	Use     string           `json:"use"`
	Gauges  []GaugeHistogram `json:"gauges"`
	Samples []SampleRecord   `json:"samples"`
}

// GaugeHistogram is a gauge with its histogram over the run.
type GaugeHistogram struct {
	filters.Gauge
	filters.Histogram
}

// SampleRecord is a sampled document with its gauge values by name
// (undefined ones left out).
type SampleRecord struct {
	filters.Sample
	Values map[string]float64 `json:"values,omitempty"`
}

// observations gathers the merged observations of every node.
func (c *Coordinator) observations() *Observations {
	obs := &Observations{RunID: c.run, SamplesPerReason: filters.SamplesPerReason, SamplesChanged: filters.SamplesChanged}
	for i, n := range c.cfg.Tree.Nodes() {
		ns := &c.stats.Nodes[i]
		no := NodeObservations{Node: i, Use: n.Use, Gauges: []GaugeHistogram{}, Samples: []SampleRecord{}}
		gauges := c.cfg.Tree.Gauges(i)
		for gi, g := range gauges {
			h := filters.Histogram{Counts: make([]int64, g.Bins+2)}
			if gi < len(ns.Gauges) && len(ns.Gauges[gi].Counts) == g.Bins+2 {
				h = ns.Gauges[gi]
			}
			no.Gauges = append(no.Gauges, GaugeHistogram{Gauge: g, Histogram: h})
		}
		for _, s := range ns.Samples {
			rec := SampleRecord{Sample: s}
			for gi, v := range s.Gauges {
				if gi < len(gauges) && !math.IsNaN(v) && !math.IsInf(v, 0) {
					if rec.Values == nil {
						rec.Values = map[string]float64{}
					}
					rec.Values[gauges[gi].Name] = v
				}
			}
			no.Samples = append(no.Samples, rec)
		}
		obs.Nodes = append(obs.Nodes, no)
	}
	return obs
}

// checkObservations refuses a node's histograms that are not its gauges'
// and samples whose gauge values are not.
func (c *Coordinator) checkObservations(ns *pb.NodeStats) error {
	n := int(ns.GetNode())
	if n < 0 || n >= len(c.stats.Nodes) || (len(ns.GetGauges()) == 0 && len(ns.GetSamples()) == 0) {
		return nil // NodeStatsFromPB refuses a bad node index
	}
	gauges := c.cfg.Tree.Gauges(n)
	if len(ns.GetGauges()) != 0 && len(ns.GetGauges()) != len(gauges) {
		return fmt.Errorf("node %d: %d histograms for %d gauges", n, len(ns.GetGauges()), len(gauges))
	}
	for i, h := range ns.GetGauges() {
		if want := gauges[i].Bins + 2; len(h.GetCounts()) != want {
			return fmt.Errorf("node %d: histogram of gauge %s has %d counts, want %d", n, gauges[i].Name, len(h.GetCounts()), want)
		}
	}
	for _, s := range ns.GetSamples() {
		if g := len(s.GetGauges()); g != 0 && g != len(gauges) {
			return fmt.Errorf("node %d: sample %s has %d gauge values for %d gauges", n, s.GetId(), g, len(gauges))
		}
	}
	return nil
}
