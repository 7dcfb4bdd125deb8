package workers

import (
	"testing"

	pb "github.com/curator-dev/curator/proto"
	"google.golang.org/protobuf/proto"
)

// FuzzNodeStatsFromPB feeds arbitrary bytes, decoded as a Result, to the
// conversion the coordinator applies to every result it receives.
func FuzzNodeStatsFromPB(f *testing.F) {
	good, _ := proto.Marshal(&pb.Result{Version: pb.Version, Nodes: []*pb.NodeStats{
		{Version: pb.Version, Node: 1, In: 3, Kept: 2, Removed: map[string]int64{"x": 1}}}})
	f.Add(good)
	f.Add([]byte{})
	observed, _ := proto.Marshal(&pb.Result{Version: pb.Version, Nodes: []*pb.NodeStats{
		{Version: pb.Version, Node: 2, In: 3, Kept: 2, Gauges: []*pb.Histogram{{Counts: []int64{0, 2, 1}, Undefined: 1}},
			Samples: []*pb.Sample{{Hash: 7, Id: "d", Reason: "too_short", Gauges: []float64{0.5}, Measurements: []byte(`{"n":3}`), Text: "x"}}}}})
	f.Add(observed)
	f.Fuzz(func(t *testing.T, b []byte) {
		res := &pb.Result{}
		if proto.Unmarshal(b, res) != nil {
			return
		}
		st, err := NodeStatsFromPB(res.GetNodes(), 3)
		if err == nil && len(st.Nodes) != 3 {
			t.Errorf("%d nodes, want 3", len(st.Nodes))
		}
	})
}
