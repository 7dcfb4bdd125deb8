package filters

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type fileParams struct {
	Path string `yaml:"path" file:"true" doc:"a file"`
}

type fileStep struct{}

func (fileStep) Annotate(*Doc) error { return nil }

func init() {
	Register(Spec{Name: "test_file", Kind: KindAnnotator, Doc: "test"}, fileParams{},
		func(fileParams, Env) (any, error) { return fileStep{}, nil })
}

func TestParseOverride(t *testing.T) {
	for in, want := range map[string]Override{
		"q.keep_top=0.1":              {Step: "q", Param: "keep_top", Value: "0.1"},
		"full:q.model=a=b.bin":        {Recipe: "full", Step: "q", Param: "model", Value: "a=b.bin"},
		"url.filter.ignore_chars=[a]": {Step: "url.filter", Param: "ignore_chars", Value: "[a]"},
	} {
		got, err := ParseOverride(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParseOverride(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"q.keep_top", "keep_top=1", ".x=1", "q.=1"} {
		if _, err := ParseOverride(bad); err == nil {
			t.Errorf("ParseOverride(%q) accepted", bad)
		}
	}
}

func TestOverridesAndPins(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.bin")
	if err := os.WriteFile(model, []byte("model bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "name: r\nsteps:\n  - {use: test_min_len, id: len, with: {min: 2}}\n  - {use: test_file, id: f}\n"
	// The recipe lives in a directory of its own: a relative --set file is
	// not relative to it.
	path := filepath.Join(dir, "recipes", "r.yaml")
	_ = os.Mkdir(filepath.Dir(path), 0o755)
	_ = os.WriteFile(path, []byte(src), 0o644)
	plain, err := LoadRecipe(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Files) != 0 {
		t.Errorf("pinned %v without a file", plain.Files)
	}
	set := []Override{{Step: "len", Param: "min", Value: "5"}, {Step: "f", Param: "path", Value: model}}
	r, err := LoadRecipe(path, set...)
	if err != nil {
		t.Fatal(err)
	}
	if r.Steps[0].Params.(minLenParams).Min != 5 || len(r.Set) != 2 {
		t.Errorf("override not applied: %+v", r.Steps[0].Params)
	}
	sum := sha256.Sum256([]byte("model bytes"))
	if len(r.Files) != 1 || r.Files[0].Resolved != model || r.Files[0].Bytes != 11 ||
		r.Files[0].SHA256 != hex.EncodeToString(sum[:]) || r.Files[0].Step != "f" || r.Files[0].Param != "path" {
		t.Errorf("pins %+v", r.Files)
	}
	if r.Hash == plain.Hash {
		t.Error("overrides did not change the hash")
	}
	// A relative file on the command line is relative to the working directory.
	t.Chdir(dir)
	if rel, err := LoadRecipe(path, Override{Step: "f", Param: "path", Value: "m.bin"}); err != nil ||
		len(rel.Files) != 1 || rel.Files[0].Resolved != model {
		t.Errorf("relative override: %v %+v", err, rel)
	}
	_ = os.WriteFile(model, []byte("other bytes"), 0o644)
	r2, _ := LoadRecipe(path, set...)
	if r2.Hash == r.Hash || r2.Files[0].SHA256 == r.Files[0].SHA256 {
		t.Error("a changed model file did not change the recipe hash")
	}
	if _, err := LoadRecipe(path, Override{Recipe: "r", Step: "nope", Param: "x", Value: "1"}); err == nil ||
		!strings.Contains(err.Error(), `no step with id "nope"`) {
		t.Errorf("unknown step: %v", err)
	}
	if _, err := LoadRecipe(path, Override{Step: "len", Param: "nope", Value: "1"}); err == nil ||
		!strings.Contains(err.Error(), `unknown parameter "nope"`) {
		t.Errorf("unknown parameter: %v", err)
	}
	if _, err := LoadTreeWith([]string{path}, []Override{{Step: "nope", Param: "x", Value: "1"}}); err == nil ||
		!strings.Contains(err.Error(), "no recipe has a step") {
		t.Errorf("override matching nothing: %v", err)
	}
}
