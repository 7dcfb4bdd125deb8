package filters_test

import (
	"os"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// benchTree runs the DCLM heuristics recipe over the real documents, in
// annotate mode or not: the cost of annotating.
func benchTree(b *testing.B, annotating bool) {
	src, err := os.ReadFile(heuristicsRecipe)
	if err != nil {
		b.Fatal(err)
	}
	r := loadRecipe(b, "source", src)
	docs := realDocs(b)
	tree, err := filters.NewTree([]*filters.Recipe{r})
	if err != nil {
		b.Fatal(err)
	}
	tree.SetAnnotate(annotating)
	st := tree.NewStats()
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Text))
	}
	sink := filters.EmitFunc(func(int, *filters.Doc, filters.Outcome) error { return nil })
	b.SetBytes(bytes)
	b.ResetTimer()
	for range b.N {
		for _, d := range docs {
			if err := tree.Process(d.Clone(), st, sink); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(docs))/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkHeuristicsProcess(b *testing.B)  { benchTree(b, false) }
func BenchmarkHeuristicsAnnotate(b *testing.B) { benchTree(b, true) }

// BenchmarkSelectApply decides the annotated documents for a recipe with
// other thresholds: the cost of a selection per document (the JSON
// reading and writing of the command aside).
func BenchmarkSelectApply(b *testing.B) {
	src, err := os.ReadFile(heuristicsRecipe)
	if err != nil {
		b.Fatal(err)
	}
	source := loadRecipe(b, "source", src)
	target := loadRecipe(b, "target", []byte(string(src[:len(src)-len("0.05}\n")])+"0.2}\n"))
	sel, err := filters.PlanSelection(source, target)
	if err != nil {
		b.Fatal(err)
	}
	ann := annotate(b, source, realDocs(b))
	st := sel.NewStats()
	b.ResetTimer()
	for range b.N {
		for _, a := range ann {
			if _, err := sel.Apply(a.doc.Clone(), a.ann, nil, st); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(ann))/b.Elapsed().Seconds(), "docs/s")
}
