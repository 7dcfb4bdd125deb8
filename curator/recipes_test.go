package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
)

// comparedRecipes are the shipped recipes issue 9 puts side by side.
var comparedRecipes = []string{"dclm-baseline", "refinedweb", "gopher", "c4", "fineweb"}

// TestComparedRecipesOnePass runs the five compared recipes in one run on
// the example data (real Common Crawl WARC, WET and JSONL), with two
// workers: the steps they have in common ran once for all of them (one
// node, shared_with naming the others, the same counters in every recipe's
// stats), the others did not, and `curator compare` and the report show the
// five side by side.
func TestComparedRecipesOnePass(t *testing.T) {
	out := t.TempDir()
	args := []string{"run", "--workers", "2", "--log-level", "warn", "--output", out}
	for _, r := range comparedRecipes {
		args = append(args, "--recipe", "../recipes/"+r+".yaml")
	}
	var stdout, stderr bytes.Buffer
	if code := run(append(args, "../testdata/example"), &stdout, &stderr); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, &stderr)
	}
	stats := map[string]*coordinator.RecipeStats{}
	for _, r := range comparedRecipes {
		st, _ := stepCounters(t, filepath.Join(out, r, coordinator.StatsFile))
		if d := st.Documents; d.Records == 0 || d.Kept == 0 || d.Records != d.Kept+d.Removed+d.Errors {
			t.Fatalf("%s: documents %+v", r, d)
		}
		stats[r] = st
	}

	// Every shared step is one node with the same counters in every recipe
	// that names it.
	for _, r := range comparedRecipes {
		for _, s := range stats[r].Steps {
			for _, o := range s.SharedWith {
				i := slices.IndexFunc(stats[o].Steps, func(x coordinator.StepStats) bool { return x.Node == s.Node })
				if i < 0 {
					t.Errorf("%s: step %s shared with %s, which has no node %d", r, s.ID, o, s.Node)
					continue
				}
				if a, b := counters(s), counters(stats[o].Steps[i]); a != b {
					t.Errorf("step %s (node %d): %s counts %s, %s counts %s", s.ID, s.Node, r, a, o, b)
				}
			}
		}
	}
	// What the recipes say they share: extraction (one node for the four
	// that start with it, once per document); dclm-baseline's first step,
	// the domain banlist, with refinedweb, which then bans the high-quality
	// domains; gopher's and fineweb's language filters differ from c4's
	// (0.65 and 0.99); fineweb starts with its URL filter and shares nothing.
	shared := func(r string, i int) []string { return stats[r].Steps[i].SharedWith }
	extract := stats["dclm-baseline"].Steps[0]
	if extract.Use != "extract" || extract.In != stats["dclm-baseline"].Documents.Records {
		t.Errorf("dclm-baseline's extraction: %s saw %d of %d documents", extract.Use, extract.In, stats["dclm-baseline"].Documents.Records)
	}
	for _, r := range []string{"dclm-baseline", "refinedweb", "gopher", "c4"} {
		want := slices.DeleteFunc(slices.Clone(comparedRecipes[:4]), func(o string) bool { return o == r })
		if got := shared(r, 0); stats[r].Steps[0].Node != extract.Node || !sameSet(got, want) {
			t.Errorf("%s: extraction is node %d shared with %v, want node %d shared with %v", r, stats[r].Steps[0].Node, got, extract.Node, want)
		}
	}
	checkShared := func(r string, i int, want ...string) {
		t.Helper()
		if got := shared(r, i); !sameSet(got, want) {
			t.Errorf("%s: step %d (%s) shared with %v, want %v", r, i, stats[r].Steps[i].ID, got, want)
		}
	}
	checkShared("refinedweb", 1, "dclm-baseline")
	checkShared("refinedweb", 2)
	checkShared("gopher", 1)
	checkShared("c4", 1)
	for i, s := range stats["fineweb"].Steps {
		checkShared("fineweb", i)
		if i == 0 && s.Use != "url_filter" {
			t.Errorf("fineweb starts with %s, want url_filter", s.Use)
		}
	}
	if st := stats["fineweb"].Steps; st[1].Use != "extract" || st[1].In != st[0].Kept || st[0].In != stats["fineweb"].Documents.Records {
		t.Errorf("fineweb: url_filter saw %d of %d and kept %d, extraction saw %d", st[0].In, stats["fineweb"].Documents.Records, st[0].Kept, st[1].In)
	}

	// Side by side.
	stdout.Reset()
	if code := run([]string{"compare", "--format", "markdown", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("compare: exit %d\n%s", code, &stderr)
	}
	for _, r := range comparedRecipes {
		if !strings.Contains(stdout.String(), "| "+r+" ") {
			t.Errorf("compare shows no row for %s:\n%s", r, &stdout)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Recipes []struct {
			Name string `json:"name"`
		} `json:"recipes"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rep.Recipes {
		names = append(names, r.Name)
	}
	if !sameSet(names, comparedRecipes) {
		t.Errorf("report.json recipes %v, want %v", names, comparedRecipes)
	}
}

// counters is what a step counted of the documents it saw, which a shared
// step counts once for all its recipes (its id, timing and tokens, counted
// on each recipe's final text, are the recipe's own).
func counters(s coordinator.StepStats) string {
	b, _ := json.Marshal([]any{s.Use, s.In, s.Kept, s.Removed, s.Modified, s.Errors, s.BytesIn, s.BytesOut})
	return string(b)
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
