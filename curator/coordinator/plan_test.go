package coordinator

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/shard"
)

func TestExpandInputs(t *testing.T) {
	in, err := ExpandInputs([]string{"../../testdata/run", poolDir + "/jwarc_cc.warc.gz"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 9 || !slices.IsSorted(in.Files) {
		t.Errorf("files %v: want the 7 pool and 2 damaged shards, sorted, once each", in.Files)
	}
	for _, f := range in.Files {
		if strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".zstd-dict") {
			t.Errorf("%s taken as a shard", f)
		}
	}
	if !slices.Contains(in.Ignored, filepath.Clean("../../testdata/run/SOURCES.md")) {
		t.Errorf("ignored %v: SOURCES.md missing", in.Ignored)
	}

	// A glob keeps shards only; a file named explicitly is always taken.
	in, err = ExpandInputs([]string{poolDir + "/*.gz", "../../testdata/run/SOURCES.md"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 6 || !slices.Contains(in.Files, filepath.Clean("../../testdata/run/SOURCES.md")) {
		t.Errorf("files %v", in.Files)
	}

	// The output directory is not read as input.
	in, err = ExpandInputs([]string{"../../testdata/run"}, poolDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 2 {
		t.Errorf("files %v: want the damaged ones only", in.Files)
	}

	for _, bad := range [][]string{nil, {poolDir + "/nope.warc.gz"}, {poolDir + "/*.nope"}, {recipeDir}} {
		if _, err := ExpandInputs(bad, ""); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestPlanTasks(t *testing.T) {
	files := []string{poolDir + "/ccnet_sample.warc.wet", poolDir + "/resiliparse_CC-MAIN-2020-34_warcfile.warc.gz"}
	topts := &pb.TaskOptions{Version: pb.Version}
	tasks, err := PlanTasks("r", files, 16<<10, shard.Options{}, topts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) < 4 {
		t.Fatalf("%d tasks: the gzip WARC should split", len(tasks))
	}
	var prev *pb.ShardRange
	for i, task := range tasks {
		r := task.GetRange()
		if task.GetIndex() != int64(i) || task.GetRunId() != "r" || task.GetVersion() != pb.Version || task.GetOptions() != topts {
			t.Errorf("task %d: %v", i, task)
		}
		if prev != nil && prev.GetPath() == r.GetPath() && prev.GetEnd() != r.GetStart() {
			t.Errorf("task %d starts at %d, the previous ended at %d", i, r.GetStart(), prev.GetEnd())
		}
		if (prev == nil || prev.GetPath() != r.GetPath()) && r.GetStart() != 0 {
			t.Errorf("task %d: the first range of %s starts at %d", i, r.GetPath(), r.GetStart())
		}
		prev = r
	}
	if last := tasks[len(tasks)-1].GetRange(); last.GetEnd() != -1 {
		t.Errorf("the last range ends at %d, want -1", last.GetEnd())
	}
}
