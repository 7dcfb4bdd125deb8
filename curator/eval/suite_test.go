package eval

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klauspost/compress/zstd"
)

func TestDefaultSuite(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	disk, err := Load("suite")
	if err != nil {
		t.Fatal(err)
	}
	if def.Hash != disk.Hash || !strings.HasPrefix(def.Hash, "sha256:") || len(def.Hash) != 7+64 {
		t.Fatalf("embedded hash %s, on disk %s", def.Hash, disk.Hash)
	}
	if def.Dir != "" || disk.Dir != "suite" {
		t.Errorf("Dir: embedded %q, disk %q", def.Dir, disk.Dir)
	}
	pages, err := def.Human()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 499 {
		t.Fatalf("%d human pages, want 499", len(pages))
	}
	ones := 0
	for i, p := range pages {
		if want := fmt.Sprintf("human-%04d", i); p.ID != want {
			t.Fatalf("page %d id %q, want %q", i, p.ID, want)
		}
		if p.Text == "" {
			t.Errorf("%s: empty text", p.ID)
		}
		ones += p.Label
	}
	// DCLM's majority file has 272 pages labelled 1 (shared data README).
	if ones != 272 {
		t.Errorf("%d pages labelled 1, want 272", ones)
	}
	sets, err := def.Heldout()
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Name != "wikipedia" || sets[1].Name != "brown" {
		t.Fatalf("held-out sets %+v", sets)
	}
	titles := []string{"Language model", "Biology", "Earth's crust", "Jair Bolsonaro", "Gabbro"}
	for i, d := range sets[0].Docs {
		if d.ID != fmt.Sprintf("wikipedia-%d", i+1) || !strings.HasPrefix(d.Text, titles[i]+"\n") || len(d.Text) < 5000 {
			t.Errorf("wikipedia doc %d: id %q, text %.40q (%d bytes)", i, d.ID, d.Text, len(d.Text))
		}
	}
	if len(sets[0].Docs) != 5 || len(sets[1].Docs) != 50 {
		t.Errorf("held-out sizes %d, %d; want 5, 50", len(sets[0].Docs), len(sets[1].Docs))
	}
	if sets[1].Docs[0].ID != "brown-ca01" || sets[1].Docs[1].ID != "brown-ca11" {
		t.Errorf("brown ids %q, %q", sets[1].Docs[0].ID, sets[1].Docs[1].ID)
	}
	for _, set := range sets {
		if set.License == "" || set.Source == "" || set.Note == "" {
			t.Errorf("set %s lacks source, licence or note", set.Name)
		}
	}
	if !strings.Contains(sets[1].Note, "not disjoint") {
		t.Errorf("brown note %q does not warn about the overlap with benchmark pools", sets[1].Note)
	}
	var total int64
	for _, name := range []string{"manifest.json", "README.md", "human.jsonl.zst", "heldout_wikipedia.jsonl.zst", "heldout_brown.jsonl.zst"} {
		fi, err := os.Stat(filepath.Join("suite", name))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	if total > 1_200_000 {
		t.Errorf("suite is %d bytes, keep it well under 1.5 MB", total)
	}
}

// TestHashDefinition recomputes the documented hash independently.
func TestHashDefinition(t *testing.T) {
	s, err := Load("suite")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	add := func(name string) {
		data, err := os.ReadFile(filepath.Join("suite", name))
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString(name)
		buf.WriteByte(0)
		buf.Write(binary.BigEndian.AppendUint64(nil, uint64(len(data))))
		buf.Write(data)
	}
	add("manifest.json")
	names := []string{s.Manifest.Human.File}
	for _, h := range s.Manifest.Heldout {
		names = append(names, h.File)
	}
	slices.Sort(names)
	for _, n := range names {
		add(n)
	}
	sum := sha256.Sum256(buf.Bytes())
	if want := "sha256:" + hex.EncodeToString(sum[:]); s.Hash != want {
		t.Fatalf("hash %s, recomputed %s", s.Hash, want)
	}
}

// suiteFS returns the default suite's files as a MapFS.
func suiteFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	ents, err := os.ReadDir("suite")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join("suite", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: data}
	}
	return m
}

// withFile replaces a data file and fixes its sum and count in the manifest.
func withFile(t *testing.T, fsys fstest.MapFS, name string, data []byte, docs int) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(fsys[ManifestFile].Data, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	refs := []any{m["human"]}
	refs = append(refs, m["heldout"].([]any)...)
	for _, r := range refs {
		ref := r.(map[string]any)
		if ref["file"] == name {
			ref["sha256"] = hex.EncodeToString(sum[:])
			ref["docs"] = docs
		}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	fsys[ManifestFile] = &fstest.MapFile{Data: raw}
	fsys[name] = &fstest.MapFile{Data: data}
}

func zstdBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return enc.EncodeAll(data, nil)
}

func TestLoadErrors(t *testing.T) {
	editManifest := func(old, new string) func(t *testing.T, f fstest.MapFS) {
		return func(t *testing.T, f fstest.MapFS) {
			s := string(f[ManifestFile].Data)
			if !strings.Contains(s, old) {
				t.Fatalf("manifest lacks %q", old)
			}
			f[ManifestFile] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
		}
	}
	cases := []struct {
		name string
		edit func(t *testing.T, f fstest.MapFS)
		want string
	}{
		{"tampered file", func(t *testing.T, f fstest.MapFS) {
			d := bytes.Clone(f["heldout_brown.jsonl.zst"].Data)
			d[len(d)/2] ^= 1
			f["heldout_brown.jsonl.zst"] = &fstest.MapFile{Data: d}
		}, "file heldout_brown.jsonl.zst: sha256"},
		{"missing file", func(t *testing.T, f fstest.MapFS) { delete(f, "human.jsonl.zst") }, "file human.jsonl.zst named in manifest.json"},
		{"no manifest", func(t *testing.T, f fstest.MapFS) { delete(f, ManifestFile) }, "manifest.json"},
		{"unknown key", editManifest(`"format": 1,`, `"format": 1, "colour": "red",`), `unknown field "colour"`},
		{"format", editManifest(`"format": 1,`, `"format": 2,`), "format 2"},
		{"escaping path", editManifest(`"file": "human.jsonl.zst"`, `"file": "../human.jsonl.zst"`), "not a valid path"},
		{"bad sum", editManifest(`"sha256": "`, `"sha256": "X`), "not 64 lower-case hex"},
		{"lm order", editManifest(`"order": 5`, `"order": 0`), "lm.order 0"},
		{"confidence", editManifest(`"confidence": 0.95`, `"confidence": 1`), "bootstrap.confidence 1"},
		{"bands", editManifest(`"bands": 20`, `"bands": 0`), "near_dup.bands 0"},
		{"duplicate set", editManifest(`"name": "brown"`, `"name": "wikipedia"`), `name "wikipedia" used twice`},
		{"trailing data", func(t *testing.T, f fstest.MapFS) {
			f[ManifestFile] = &fstest.MapFile{Data: append(bytes.Clone(f[ManifestFile].Data), "{}"...)}
		}, "data after the manifest"},
		{"count", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "heldout_wikipedia.jsonl.zst", zstdBytes(t, []byte(`{"id":"a","text":"x"}`+"\n")), 2)
		}, "heldout_wikipedia.jsonl.zst: 1 records, manifest says 2"},
		{"duplicate id", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "heldout_wikipedia.jsonl.zst", zstdBytes(t, []byte("{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}\n")), 2)
		}, `line 2 at byte 22: id "a" already used on line 1`},
		{"label", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "human.jsonl.zst", zstdBytes(t, []byte(`{"id":"a","text":"x","label":2}`)), 1)
		}, "file human.jsonl.zst line 1 at byte 0: label 2"},
		{"no label", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "human.jsonl.zst", zstdBytes(t, []byte(`{"id":"a","text":"x"}`)), 1)
		}, `missing "label"`},
		{"no text", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "heldout_brown.jsonl.zst", zstdBytes(t, []byte("\n{\"id\":\"a\"}")), 1)
		}, `line 2 at byte 1: missing "text"`},
		{"bad json", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "heldout_brown.jsonl.zst", zstdBytes(t, []byte(`{"id":"a","text":`)), 1)
		}, "heldout_brown.jsonl.zst line 1"},
		{"bad zstd", func(t *testing.T, f fstest.MapFS) {
			withFile(t, f, "heldout_brown.jsonl.zst", []byte(`{"id":"a","text":"x"}`), 1)
		}, "heldout_brown.jsonl.zst: zstd"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := suiteFS(t)
			c.edit(t, f)
			_, err := LoadFS(f)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestPlainAndHashChange: a plain JSONL file loads, and any change of a
// hashed byte changes the version.
func TestPlainAndHashChange(t *testing.T) {
	f := suiteFS(t)
	base, err := LoadFS(f)
	if err != nil {
		t.Fatal(err)
	}
	withFile(t, f, "heldout_brown.jsonl.zst", zstdBytes(t, []byte("{\"id\":\"b\",\"text\":\"y\",\"extra\":1}\r\n\n")), 1)
	// Rename to a plain file.
	var m map[string]any
	if err := json.Unmarshal(f[ManifestFile].Data, &m); err != nil {
		t.Fatal(err)
	}
	plain := []byte("{\"id\":\"b\",\"text\":\"y \\u00e9\"}\n")
	sum := sha256.Sum256(plain)
	brown := m["heldout"].([]any)[1].(map[string]any)
	brown["file"], brown["sha256"] = "brown.jsonl", hex.EncodeToString(sum[:])
	raw, _ := json.Marshal(m)
	f[ManifestFile] = &fstest.MapFile{Data: raw}
	f["brown.jsonl"] = &fstest.MapFile{Data: plain}
	s, err := LoadFS(f)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := s.Heldout()
	if err != nil {
		t.Fatal(err)
	}
	if got := sets[1].Docs; len(got) != 1 || got[0] != (Document{ID: "b", Text: "y é"}) {
		t.Fatalf("plain set %+v", got)
	}
	if s.Hash == base.Hash {
		t.Fatal("hash unchanged after replacing a file")
	}
	// Only the manifest's description differs: new version too.
	f2 := suiteFS(t)
	f2[ManifestFile] = &fstest.MapFile{Data: bytes.Replace(f2[ManifestFile].Data, []byte("curator's default"), []byte("curator's  default"), 1)}
	s2, err := LoadFS(f2)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Hash == base.Hash {
		t.Fatal("hash unchanged after editing the manifest")
	}
}
