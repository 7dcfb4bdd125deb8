package coordinator

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/curator-dev/curator/filters/quality" // fasttext_quality
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
)

// TestModelPinnedAndPublished: the model a recipe reads is pinned by hash
// in run.json, and the run's object store holds its very bytes.
func TestModelPinnedAndPublished(t *testing.T) {
	tree := loadTree(t, "sms-top")
	model, err := filepath.Abs("../../testdata/quality/models/sms_bigram_softmax.bin")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	files := tree.Recipes()[0].Files
	if len(files) != 1 || files[0].Resolved != model || files[0].Param != "model" || files[0].Bytes != int64(len(want)) {
		t.Fatalf("pinned files %+v", files)
	}
	cfg := localConfig(t, tree, 2, poolDir)
	c, js := startRun(t, cfg.Config)
	dst := filepath.Join(t.TempDir(), "model.bin")
	if err := workers.FetchFile(t.Context(), js, files[0].SHA256, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, want) {
		t.Fatalf("fetched %d bytes, not the model's %d", len(got), len(want))
	}
	if err := workers.FetchFile(t.Context(), js, "00"+files[0].SHA256[2:], dst+"2"); err == nil {
		t.Error("fetched a file that was never published")
	}
	// Publishing again (a coordinator taking over) sends nothing new.
	if err := c.publishFiles(t.Context()); err != nil {
		t.Fatal(err)
	}
	rep, err := runWorkers(t, c, js, tree, 2)
	if err != nil {
		t.Fatal(err)
	}
	rr := readRun(t, rep.OutputDir)
	rf := rr.Recipes[0].Files
	if len(rf) != 1 || rf[0].SHA256 != files[0].SHA256 || rf[0].Object != pb.FileObject(files[0].SHA256) {
		t.Errorf("run.json files %+v", rf)
	}
	st := readStats(t, filepath.Join(rep.OutputDir, "sms-top", StatsFile))
	q := stepOf(t, st, "fasttext_quality")
	if q.Threshold == nil || q.Kept < q.Threshold.Target || q.Kept == 0 || q.In < 50 {
		t.Errorf("fasttext_quality with keep_top 0.2: %+v, threshold %+v", q, q.Threshold)
	}
}
