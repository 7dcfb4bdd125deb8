package workers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/klauspost/compress/zstd"
)

const (
	poolDir    = "../testdata/run/pool"
	damagedDir = "../testdata/run/damaged"
	recipeDir  = "../testdata/run/recipes"
)

func loadTreeB(b *testing.B, names ...string) *filters.Tree { return loadTreeTB(b, names...) }

func loadTree(t *testing.T, names ...string) *filters.Tree { return loadTreeTB(t, names...) }

func loadTreeTB(t testing.TB, names ...string) *filters.Tree {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(recipeDir, n+".yaml"))
	}
	tree, err := filters.LoadTree(paths...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tree.Close() })
	return tree
}

func newWorker(t *testing.T, tree *filters.Tree) *Worker {
	t.Helper()
	w, err := New(Config{ID: "test", Tree: tree})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func newTask(tree *filters.Tree, path, out string, keepRemoved bool) *pb.Task {
	opts := &pb.TaskOptions{Version: pb.Version, OutputDir: out, KeepRemoved: keepRemoved}
	for _, r := range tree.Recipes() {
		opts.RecipeHashes = append(opts.RecipeHashes, r.Hash)
	}
	return &pb.Task{Version: pb.Version, RunId: "test", Index: 7,
		Range: &pb.ShardRange{Version: pb.Version, Path: path, Start: 0, End: -1}, Options: opts}
}

// rawLines decompresses an output file into its lines.
func rawLines(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := zstd.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out [][]byte
	sc := bufio.NewScanner(dec)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		out = append(out, bytes.Clone(sc.Bytes()))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// keyOrder returns the top-level keys of a JSON object in order.
func keyOrder(t *testing.T, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", line)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestProcessTaskJSONL(t *testing.T) {
	tree := loadTree(t, "even", "upper")
	w := newWorker(t, tree)
	out := t.TempDir()
	task := newTask(tree, filepath.Join(poolDir, "dolma_cc_en_head-0174.jsonl.gz"), out, true)
	res, err := w.ProcessTask(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetStatus() != pb.Status_STATUS_OK || res.GetRecords() != 10 || res.GetTaskIndex() != 7 || res.GetWorkerId() != "test" {
		t.Fatalf("result %v", res)
	}
	if len(res.GetNodes()) != len(tree.Nodes()) {
		t.Fatalf("%d node stats for %d nodes", len(res.GetNodes()), len(tree.Nodes()))
	}
	if first := res.GetNodes()[0]; first.GetIn() != 10 || first.GetKept() != 10 || first.GetModified() != 0 {
		t.Errorf("first node %v: want 10 in and kept, none modified (JSONL documents have text)", first)
	}

	// Every document of every recipe is in data or removed, with the keys in order.
	for _, ro := range res.GetOutputs() {
		name := tree.Recipes()[ro.GetRecipe()].Name
		var n int64
		for kind, o := range map[string]*pb.Output{"data": ro.GetData(), "removed": ro.GetRemoved()} {
			if o == nil {
				continue
			}
			if want := name + "/" + kind + "/task-000007.jsonl.zst"; o.GetPath() != want {
				t.Errorf("output %s, want %s", o.GetPath(), want)
			}
			fi, err := os.Stat(filepath.Join(out, o.GetPath()))
			if err != nil || fi.Size() != o.GetBytes() {
				t.Errorf("%s: %v, size %v, result says %d", o.GetPath(), err, fi, o.GetBytes())
			}
			lines := rawLines(t, filepath.Join(out, o.GetPath()))
			if int64(len(lines)) != o.GetDocs() {
				t.Errorf("%s: %d lines, result says %d", o.GetPath(), len(lines), o.GetDocs())
			}
			n += o.GetDocs()
			want := "id,url,text,metadata,signals"
			if kind == "removed" {
				want += ",removed_by,reason"
			}
			for _, l := range lines {
				if got := strings.Join(keyOrder(t, l), ","); got != want {
					t.Errorf("%s: keys %s, want %s", o.GetPath(), got, want)
				}
				var d struct {
					Text      string
					Signals   map[string]any
					RemovedBy string `json:"removed_by"`
					Reason    string
				}
				_ = json.Unmarshal(l, &d)
				if _, ok := d.Signals["test_words"]; !ok {
					t.Errorf("%s: no test_words signal: %s", o.GetPath(), l)
				}
				switch {
				case name == "even" && kind == "data" && len(d.Text)%2 != 0:
					t.Errorf("even kept an odd text")
				case name == "upper" && kind == "data" && d.Text != strings.ToUpper(d.Text):
					t.Errorf("upper kept a text that is not upper-cased")
				case kind == "removed" && name == "upper" && (d.RemovedBy != "test_flaky" || !strings.HasPrefix(d.Reason, "error: flaky step refuses this document (shard ")):
					t.Errorf("upper removed %q %q", d.RemovedBy, d.Reason)
				case kind == "removed" && name == "even" && (d.RemovedBy != "test_even_length" || d.Reason != "odd_length"):
					t.Errorf("even removed %q %q", d.RemovedBy, d.Reason)
				}
			}
		}
		if n != 10 {
			t.Errorf("%s: %d documents written, want 10", name, n)
		}
	}

	// The same task again writes the same bytes.
	before := map[string][]byte{}
	for _, ro := range res.GetOutputs() {
		for _, o := range []*pb.Output{ro.GetData(), ro.GetRemoved()} {
			if o != nil {
				before[o.GetPath()], _ = os.ReadFile(filepath.Join(out, o.GetPath()))
			}
		}
	}
	res2, err := w.ProcessTask(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range before {
		after, _ := os.ReadFile(filepath.Join(out, p))
		if !bytes.Equal(b, after) {
			t.Errorf("%s differs on the second run", p)
		}
	}
	if len(res2.GetOutputs()) != len(res.GetOutputs()) {
		t.Errorf("second run: %d outputs, first %d", len(res2.GetOutputs()), len(res.GetOutputs()))
	}
}

func TestProcessTaskWARCWithoutRemoved(t *testing.T) {
	tree := loadTree(t, "even")
	w := newWorker(t, tree)
	out := t.TempDir()
	res, err := w.ProcessTask(context.Background(), newTask(tree, filepath.Join(poolDir, "whirlwind_CC-MAIN-2024-22.warc.gz"), out, false))
	if err != nil {
		t.Fatal(err)
	}
	if res.GetStatus() != pb.Status_STATUS_OK || res.GetRecords() != 1 || res.GetSkipped()["request"] != 1 {
		t.Fatalf("result %v", res)
	}
	if n := res.GetNodes()[0]; n.GetModified() != 1 || n.GetBytesIn() <= n.GetBytesOut() {
		t.Errorf("HTML step: %v; want the HTML turned into shorter text", n)
	}
	if _, err := os.Stat(filepath.Join(out, "even", RemovedDir)); !os.IsNotExist(err) {
		t.Errorf("removed/ written without keep_removed")
	}
	for _, ro := range res.GetOutputs() {
		if ro.GetRemoved() != nil {
			t.Errorf("removed output without keep_removed")
		}
	}
}

func TestProcessTaskTruncated(t *testing.T) {
	tree := loadTree(t, "even")
	w := newWorker(t, tree)
	path := filepath.Join(damagedDir, "resiliparse_clipped.warc.gz")
	res, err := w.ProcessTask(context.Background(), newTask(tree, path, t.TempDir(), true))
	if err != nil {
		t.Fatal(err)
	}
	if res.GetStatus() != pb.Status_STATUS_FAILED || !res.GetPermanent() ||
		!strings.Contains(res.GetError(), path+" at 0") || !strings.Contains(res.GetError(), "truncated") {
		t.Errorf("result %v: want a permanent failure naming %s, the offset and the truncation", res, path)
	}
}

func TestProcessTaskRecordErrors(t *testing.T) {
	tree := loadTree(t, "even")
	w := newWorker(t, tree)
	dir := t.TempDir()
	path := filepath.Join(dir, "mixed.jsonl")
	data := `{"id":"a","text":"four"}` + "\n" + `{"id":"b", not json` + "\n" + `{"id":"c","text":"odd"}` + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	res, err := w.ProcessTask(context.Background(), newTask(tree, path, out, true))
	if err != nil {
		t.Fatal(err)
	}
	if res.GetStatus() != pb.Status_STATUS_OK || res.GetRecords() != 2 || res.GetReadErrors() != 1 ||
		len(res.GetRecordErrors()) != 1 || !strings.Contains(res.GetRecordErrors()[0], path+" at 25") {
		t.Fatalf("result %v", res)
	}
	removed := rawLines(t, filepath.Join(out, "even", RemovedDir, OutputName(7, nil)))
	if len(removed) != 2 {
		t.Fatalf("%d removed lines, want the bad record and the odd text", len(removed))
	}
	var bad struct{ RemovedBy, Reason string }
	_ = json.Unmarshal(removed[0], &struct {
		RemovedBy *string `json:"removed_by"`
		Reason    *string `json:"reason"`
	}{&bad.RemovedBy, &bad.Reason})
	if bad.RemovedBy != ReadErrorStep || !strings.HasPrefix(bad.Reason, "error: ") || !strings.Contains(bad.Reason, path+" at 25") {
		t.Errorf("bad record written as %s", removed[0])
	}
}

func TestProcessTaskRefusals(t *testing.T) {
	tree := loadTree(t, "even")
	w := newWorker(t, tree)
	path := filepath.Join(poolDir, "jwarc_cc.warc.gz")

	newer := newTask(tree, path, t.TempDir(), false)
	newer.Version = pb.Version + 1
	res, err := w.ProcessTask(context.Background(), newer)
	if err != nil || res.GetStatus() != pb.Status_STATUS_FAILED || !strings.Contains(res.GetError(), "version 2") {
		t.Errorf("newer task: %v %v; want a failed result naming the version", res, err)
	}

	foreign := newTask(tree, path, t.TempDir(), false)
	foreign.Options.RecipeHashes = []string{"0000"}
	if res, err := w.ProcessTask(context.Background(), foreign); err == nil {
		t.Errorf("task for other recipes: %v, want an error", res)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res, err := w.ProcessTask(ctx, newTask(tree, path, t.TempDir(), false)); err == nil {
		t.Errorf("canceled: %v, want an error", res)
	}

	missing := newTask(tree, filepath.Join(t.TempDir(), "nope.warc.gz"), t.TempDir(), false)
	if res, err := w.ProcessTask(context.Background(), missing); err != nil || res.GetStatus() != pb.Status_STATUS_FAILED {
		t.Errorf("missing file: %v %v; want a failed result", res, err)
	}
}

func TestEncodeUnencodableSignal(t *testing.T) {
	o := newOutputs(t.TempDir(), nil, 0, nil, false, nil)
	nan := 0.0
	line, err := o.encode(&docLine{ID: "x", Signals: map[string]any{"b": 1, "a": nan / nan}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"x","url":"","text":"","signals":{"a":"NaN","b":1}}`; string(line) != want {
		t.Errorf("got %s, want %s", line, want)
	}
}
