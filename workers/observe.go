package workers

import (
	"encoding/json"
	"fmt"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
)

// The wire form of what an observing tree keeps beside its counters
// (filters.Tree.SetObserve): gauge histograms and document samples.

func histogramsToPB(hs []filters.Histogram) []*pb.Histogram {
	if len(hs) == 0 {
		return nil
	}
	out := make([]*pb.Histogram, len(hs))
	for i, h := range hs {
		out[i] = &pb.Histogram{Counts: h.Counts, Undefined: h.Undefined}
	}
	return out
}

func histogramsFromPB(hs []*pb.Histogram) []filters.Histogram {
	if len(hs) == 0 {
		return nil
	}
	out := make([]filters.Histogram, len(hs))
	for i, h := range hs {
		out[i] = filters.Histogram{Counts: h.GetCounts(), Undefined: h.GetUndefined()}
	}
	return out
}

func samplesToPB(ss []filters.Sample) []*pb.Sample {
	if len(ss) == 0 {
		return nil
	}
	out := make([]*pb.Sample, len(ss))
	for i, s := range ss {
		var m []byte
		if s.M != nil {
			// Measurements are checked JSON-friendly (finite numbers).
			m, _ = json.Marshal(s.M)
		}
		out[i] = &pb.Sample{Hash: s.Hash, Id: s.ID, Url: s.URL, Reason: s.Reason, Error: s.Error, Gauges: s.Gauges,
			Measurements: m, Text: s.Text, Bytes: s.Bytes, After: s.After, AfterBytes: s.AfterBytes}
	}
	return out
}

func samplesFromPB(ss []*pb.Sample) ([]filters.Sample, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	out := make([]filters.Sample, len(ss))
	for i, s := range ss {
		var m filters.Measurements
		if len(s.GetMeasurements()) > 0 {
			if err := json.Unmarshal(s.GetMeasurements(), &m); err != nil {
				return nil, fmt.Errorf("sample %s: measurements: %w", s.GetId(), err)
			}
		}
		out[i] = filters.Sample{Hash: s.GetHash(), ID: s.GetId(), URL: s.GetUrl(), Reason: s.GetReason(), Error: s.GetError(),
			Gauges: s.GetGauges(), M: m, Text: s.GetText(), Bytes: s.GetBytes(), After: s.GetAfter(), AfterBytes: s.GetAfterBytes()}
	}
	return out, nil
}
