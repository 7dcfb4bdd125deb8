package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/eval"
)

// mkdata is a small copy of the shared data's layout (see
// testdata/eval/SOURCES.md): 20 labelled pages, one Wikipedia page (and a
// Common Crawl page that must be ignored), the first 11 Brown documents.
const mkdata = "../../../testdata/eval/mkdata"

func TestBuildDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, err := build(mkdata, a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := build(mkdata, b)
	if err != nil {
		t.Fatal(err)
	}
	if sa.Hash != sb.Hash {
		t.Fatalf("hashes differ: %s %s", sa.Hash, sb.Hash)
	}
	ents, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds (%v)", e.Name(), err)
		}
	}
	if got := strings.Join(names, " "); got != "README.md heldout_brown.jsonl.zst heldout_wikipedia.jsonl.zst human.jsonl.zst manifest.json" {
		t.Errorf("files %s", got)
	}

	// Content: the labelled pages are the source lines in order.
	pages, err := sa.Human()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(mkdata, "quality", "dclm_human_majority_data.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	i := 0
	for ; sc.Scan(); i++ {
		var src struct {
			Text  string `json:"text"`
			Label int    `json:"label"`
		}
		if err := json.Unmarshal(sc.Bytes(), &src); err != nil {
			t.Fatal(err)
		}
		if i >= len(pages) || pages[i].Text != src.Text || pages[i].Label != src.Label {
			t.Fatalf("page %d does not match source line %d", i, i+1)
		}
	}
	if i != 20 || len(pages) != 20 || pages[0].ID != "human-0000" || pages[19].ID != "human-0019" {
		t.Fatalf("%d source lines, %d pages, ids %q..%q", i, len(pages), pages[0].ID, pages[len(pages)-1].ID)
	}
	sets, err := sa.Heldout()
	if err != nil {
		t.Fatal(err)
	}
	wiki, brown := sets[0].Docs, sets[1].Docs
	if len(wiki) != 1 || wiki[0].ID != "wikipedia-3" || !strings.HasPrefix(wiki[0].Text, "Earth's crust\n") ||
		strings.Contains(wiki[0].Text, "<div") || !strings.Contains(wiki[0].Text, "Earth's crust is Earth's thick outer shell of rock") {
		t.Errorf("wikipedia set: %d docs, first %q %.60q", len(wiki), wiki[0].ID, wiki[0].Text)
	}
	if len(brown) != 2 || brown[0].ID != "brown-ca01" || brown[1].ID != "brown-ca11" ||
		!strings.HasPrefix(brown[0].Text, "The Fulton County Grand Jury said Friday") {
		t.Errorf("brown set: %+v", brown)
	}
	readme, err := os.ReadFile(filepath.Join(a, "README.md"))
	if err != nil || !bytes.Contains(readme, []byte("CC BY-SA")) || !bytes.Contains(readme, []byte("`heldout_brown.jsonl.zst` | 2 |")) {
		t.Errorf("README.md:\n%s", readme)
	}
}

func TestBuildErrors(t *testing.T) {
	if _, err := build(t.TempDir(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "dclm_human_majority_data.jsonl") {
		t.Errorf("empty data dir: %v", err)
	}
	bad := t.TempDir()
	os.MkdirAll(filepath.Join(bad, "quality"), 0o755)
	os.WriteFile(filepath.Join(bad, "quality", "dclm_human_majority_data.jsonl"), []byte("{\"text\":\"a\",\"label\":1}\n{\"text\":\"b\"}\n"), 0o644)
	if _, err := build(bad, t.TempDir()); err == nil || !strings.Contains(err.Error(), "at 23") {
		t.Errorf("line without label: %v", err)
	}
}

// TestCommittedSuiteCurrent rebuilds the parts of the committed default suite
// that testdata holds and compares: if the extractor's output changes, the
// suite must be rebuilt (and gets a new version).
func TestCommittedSuiteCurrent(t *testing.T) {
	small, err := build(mkdata, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	def, err := eval.Load("../suite")
	if err != nil {
		t.Fatal(err)
	}
	a, err := small.Heldout()
	if err != nil {
		t.Fatal(err)
	}
	b, err := def.Heldout()
	if err != nil {
		t.Fatal(err)
	}
	if a[0].Docs[0] != b[0].Docs[2] {
		t.Errorf("committed %s differs from a fresh extraction: rebuild with "+
			"`go run ./curator/eval/mksuite -data /work/shared/data -out curator/eval/suite`", b[0].Docs[2].ID)
	}
	if a[1].Docs[0] != b[1].Docs[0] || a[1].Docs[1] != b[1].Docs[1] {
		t.Errorf("committed brown set differs from a fresh build")
	}
	hs, _ := small.Human()
	hd, _ := def.Human()
	for i := range hs {
		if hs[i] != hd[i] {
			t.Fatalf("committed page %s differs from a fresh build", hd[i].ID)
		}
	}
	if small.Manifest.LM != def.Manifest.LM || small.Manifest.Bootstrap != def.Manifest.Bootstrap || small.Manifest.NearDup != def.Manifest.NearDup {
		t.Errorf("committed parameters differ from mksuite's: rebuild the suite")
	}
}
