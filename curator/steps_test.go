package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// docs/recipes.md is generated from the registry; this fails when a step,
// a parameter or a default changed without `make docs`.
func TestRecipeReferenceIsCurrent(t *testing.T) {
	var want bytes.Buffer
	if err := filters.WriteReference(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/recipes.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("docs/recipes.md is stale: run `make docs`")
	}
}

func TestStepsListsEveryStep(t *testing.T) {
	var b bytes.Buffer
	if err := listSteps(&b, nil); err != nil {
		t.Fatal(err)
	}
	names := filters.Names()
	// The binary links in the DCLM-Baseline steps.
	for _, want := range []string{"extract", "lang", "url_substring_filter", "url_removal_modifier",
		"page_length_filter", "massive_web_repetition_filters", "word_removal_ratio_filter"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("step %s is not registered", want)
		}
	}
	for _, n := range names {
		if !strings.Contains(b.String(), n+" (") {
			t.Errorf("listing lacks %s", n)
		}
	}
	if err := listSteps(&b, []string{"no_such_step"}); err == nil {
		t.Error("an unknown step name is not an error")
	}
}

// Every shipped recipe parses against the registry: its steps exist and its
// parameters are theirs (files it pins must be there, except DCLM's quality
// model, which is downloaded: recipes/models/README.md).
func TestShippedRecipesParse(t *testing.T) {
	paths, err := filepath.Glob("../recipes/*.yaml")
	if err != nil || len(paths) < 5 {
		t.Fatalf("recipes: %v %v", paths, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, err = filters.ParseRecipeIn(filters.Env{Dir: filepath.Dir(p), ParseOnly: true}, p, data)
		if err != nil && !(filepath.Base(p) == "dclm-baseline-full.yaml" && strings.Contains(err.Error(), "models/")) {
			t.Errorf("%s: %v", p, err)
		}
	}
}
