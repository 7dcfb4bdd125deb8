package coordinator

import (
	"strings"
	"testing"

	_ "github.com/curator-dev/curator/filters/c4"
	_ "github.com/curator-dev/curator/filters/extract"
	_ "github.com/curator-dev/curator/filters/fineweb"
	_ "github.com/curator-dev/curator/filters/gopher"
	_ "github.com/curator-dev/curator/filters/heuristics"
	pb "github.com/curator-dev/curator/proto"
)

// A result whose histograms or samples do not fit the node's gauges is
// refused, not merged.
func TestCheckObservations(t *testing.T) {
	tree := loadTree(t, "real-a")
	c, err := New(Config{Tree: tree, Inputs: []string{poolDir}, OutputDir: tempDir(t), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	node := -1
	for i := range tree.Nodes() {
		if len(tree.Gauges(i)) > 0 {
			node = i
			break
		}
	}
	if node < 0 {
		t.Fatal("recipe real-a has no step with gauges")
	}
	g := tree.Gauges(node)
	good := make([]*pb.Histogram, len(g))
	for i := range good {
		good[i] = &pb.Histogram{Counts: make([]int64, g[i].Bins+2)}
	}
	short := append([]*pb.Histogram{{Counts: []int64{1}}}, good[1:]...)
	for _, c2 := range []struct {
		ns   *pb.NodeStats
		want string
	}{
		{&pb.NodeStats{Node: int32(node), Gauges: good}, ""},
		{&pb.NodeStats{Node: int32(node), Gauges: good[:0]}, ""},
		{&pb.NodeStats{Node: int32(node), Gauges: append(good, good[0])}, "histograms for"},
		{&pb.NodeStats{Node: int32(node), Gauges: short}, "counts, want"},
		{&pb.NodeStats{Node: int32(node), Samples: []*pb.Sample{{Id: "d", Gauges: make([]float64, len(g)+1)}}}, "gauge values"},
	} {
		err := c.checkObservations(c2.ns)
		if (err == nil) != (c2.want == "") || err != nil && !strings.Contains(err.Error(), c2.want) {
			t.Errorf("%d histograms: error %v, want %q", len(c2.ns.GetGauges()), err, c2.want)
		}
	}
}
