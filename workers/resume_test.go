package workers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"google.golang.org/protobuf/proto"
)

// TestResumeTask stages a task at a keep_top node, then resumes it with a
// threshold: every staged document ends in data or removed, and a staged
// file that was changed, or a node that ranks nothing, fails the task
// permanently with a message naming it.
func TestResumeTask(t *testing.T) {
	tree := loadTree(t, "top", "even")
	w := newWorker(t, tree)
	out := t.TempDir()
	task := newTask(tree, filepath.Join(poolDir, "dolma_cc_en_head-0174.jsonl.gz"), out, true)
	res, err := w.ProcessTask(context.Background(), task)
	if err != nil || res.GetStatus() != pb.Status_STATUS_OK {
		t.Fatalf("first phase: %v %v", res, err)
	}
	if len(res.GetStaged()) != 1 || res.GetStaged()[0].GetDocs() == 0 {
		t.Fatalf("staged %v", res.GetStaged())
	}
	sg := res.GetStaged()[0]
	node := int(sg.GetNode())
	if tree.KeepTop(node) != 0.1 {
		t.Fatalf("staged at node %d", node)
	}
	for _, ro := range res.GetOutputs() {
		if tree.Recipes()[ro.GetRecipe()].Name == "top" && ro.GetData() != nil {
			t.Errorf("first phase wrote kept documents for the keep_top recipe: %v", ro)
		}
	}
	resume := func(rs *pb.Resume) *pb.Result {
		t.Helper()
		rt := newTask(tree, task.GetRange().GetPath(), out, true)
		rt.Resume = rs
		res, err := w.ProcessTask(context.Background(), rt)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	rs := &pb.Resume{Version: pb.Version, Node: int32(node), Threshold: 0.5, Staged: sg.GetPath(), StagedSha256: sg.GetSha256()}
	r2 := resume(rs)
	if r2.GetStatus() != pb.Status_STATUS_OK || r2.GetResume().GetNode() != int32(node) {
		t.Fatalf("resume: %v", r2)
	}
	var docs int64
	for _, ro := range r2.GetOutputs() {
		if tree.Recipes()[ro.GetRecipe()].Name != "top" {
			t.Errorf("resume wrote for recipe %d", ro.GetRecipe())
		}
		for _, o := range []*pb.Output{ro.GetData(), ro.GetRemoved()} {
			if o != nil {
				docs += o.GetDocs()
				if !strings.HasSuffix(o.GetPath(), OutputName(7, rs)) {
					t.Errorf("resume output %s", o.GetPath())
				}
			}
		}
	}
	ns := r2.GetNodes()[node]
	if docs != sg.GetDocs() || ns.GetKept()+ns.GetRemoved()[filters.ReasonNotTop] != sg.GetDocs() || ns.GetIn() != 0 {
		t.Errorf("%d staged, %d written, node stats %v", sg.GetDocs(), docs, ns)
	}

	// A node that ranks nothing.
	bad := proto.CloneOf(rs)
	bad.Node = 0
	if r := resume(bad); r.GetStatus() != pb.Status_STATUS_FAILED || !strings.Contains(r.GetError(), "not a keep_top or dedup step") {
		t.Errorf("resume at node 0: %v", r)
	}
	// A staged file that changed.
	path := filepath.Join(out, sg.GetPath())
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 0xff
	_ = os.WriteFile(path, b, 0o644)
	if r := resume(rs); r.GetStatus() != pb.Status_STATUS_FAILED || !r.GetPermanent() || !strings.Contains(r.GetError(), path) ||
		len(r.GetOutputs()) != 0 {
		t.Errorf("damaged staged file: %v", r)
	}
	// A staged file outside the output directory.
	esc := proto.CloneOf(rs)
	esc.Staged = "../elsewhere.jsonl.zst"
	if r := resume(esc); r.GetStatus() != pb.Status_STATUS_FAILED || !strings.Contains(r.GetError(), "not below the output directory") {
		t.Errorf("escaping staged path: %v", r)
	}
}
