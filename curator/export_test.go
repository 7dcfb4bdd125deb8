package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters/tokens"
)

func readExportManifest(t *testing.T, dir string) *ExportManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m ExportManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// TestExport exports a real run's kept documents: the same export twice is
// byte-identical, the shards' token counts differ by at most one
// document's, the manifest's totals are stats.json's, every kept document is
// in exactly one shard, a token budget draws a deterministic sample, and the
// token files hold each document's ids.
func TestExport(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "run")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", "--recipe", "../recipes/weak-langid.yaml", "--output", out, "--log-level", "warn", "../testdata/example"}, &stdout, &stderr); code != 0 {
		t.Fatalf("run: %s", &stderr)
	}
	export := func(name string, extra ...string) string {
		dir := filepath.Join(base, name)
		args := append([]string{"export", "--recipe", "weak-langid", "--output", dir}, extra...)
		if code := run(append(args, out), &stdout, &stderr); code != 0 {
			t.Fatalf("export %v: %s", extra, &stderr)
		}
		return dir
	}
	a := export("a", "--shards", "3", "--seed", "7", "--tokenize")
	b := export("b", "--shards", "3", "--seed", "7", "--tokenize")
	fa, fb := readOutputsFlat(t, a), readOutputsFlat(t, b)
	if len(fa) != 3*3+1 {
		t.Fatalf("%d files in the export", len(fa))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two exports", name)
		}
	}
	st, _ := stepCounters(t, filepath.Join(out, "weak-langid", coordinator.StatsFile))
	m := readExportManifest(t, a)
	if m.Documents != st.Documents.Kept || m.Tokens != st.Documents.KeptTokens || len(m.Shards) != 3 || m.Tokenizer != "r50k_base" {
		t.Errorf("manifest %d documents, %d tokens; stats.json %d, %d", m.Documents, m.Tokens, st.Documents.Kept, st.Documents.KeptTokens)
	}
	enc, err := tokens.R50k()
	if err != nil {
		t.Fatal(err)
	}
	var ids, kept []string
	var largest int64
	minT, maxT := int64(1<<62), int64(0)
	for _, s := range m.Shards {
		lines := readDocLines(t, filepath.Join(a, s.File))
		var n int64
		toks := readLE[uint16](t, filepath.Join(a, s.TokenFile))
		offs := readLE[uint64](t, filepath.Join(a, s.IndexFile))
		if len(offs) != len(lines)+1 || offs[len(offs)-1] != uint64(len(toks)) || int64(len(toks)) != s.Tokens {
			t.Fatalf("%s: %d offsets for %d documents, %d token ids for %d tokens", s.File, len(offs), len(lines), len(toks), s.Tokens)
		}
		for i, l := range lines {
			ids = append(ids, l.ID)
			c := int64(enc.Count(l.Text))
			n += c
			largest = max(largest, c)
			want := enc.Encode(l.Text, nil)
			var got []uint32
			for _, id := range toks[offs[i]:offs[i+1]] {
				got = append(got, uint32(id))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: document %d's token ids differ from its text's", s.File, i)
			}
		}
		if n != s.Tokens || int64(len(lines)) != s.Documents {
			t.Errorf("%s: %d documents and %d tokens, manifest says %d and %d", s.File, len(lines), n, s.Documents, s.Tokens)
		}
		minT, maxT = min(minT, n), max(maxT, n)
	}
	if maxT-minT > largest {
		t.Errorf("shard token counts from %d to %d differ by more than the largest document's %d tokens", minT, maxT, largest)
	}
	files, _ := filepath.Glob(filepath.Join(out, "weak-langid", "data", "*.jsonl.zst"))
	for _, f := range files {
		for _, l := range readDocLines(t, f) {
			kept = append(kept, l.ID)
		}
	}
	slices.Sort(ids)
	slices.Sort(kept)
	if !slices.Equal(ids, kept) {
		t.Errorf("the shards hold %d documents, the run kept %d (or others)", len(ids), len(kept))
	}
	// A budget: a deterministic sample, whole documents, at least the
	// budget and less than one document more.
	c1 := readExportManifest(t, export("c1", "--tokens", "20000", "--seed", "3"))
	c2 := readExportManifest(t, export("c2", "--tokens", "20000", "--seed", "3"))
	if c1.Tokens < 20000 || c1.Tokens-largest >= 20000 || c1.Shards[0].SHA256 != c2.Shards[0].SHA256 || c1.Documents >= m.Documents {
		t.Errorf("budget 20000: %d tokens in %d documents (largest %d); again %s", c1.Tokens, c1.Documents, largest, c2.Shards[0].SHA256)
	}
	if d := readExportManifest(t, export("d", "--tokens", "20000", "--seed", "4")); d.Shards[0].SHA256 == c1.Shards[0].SHA256 {
		t.Errorf("another seed drew the same sample")
	}
}

// readOutputsFlat reads every file of dir by name.
func readOutputsFlat(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func readLE[T uint16 | uint64](t *testing.T, path string) []T {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var zero T
	v := make([]T, len(b)/binary.Size(zero))
	if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, v); err != nil {
		t.Fatal(err)
	}
	return v
}
