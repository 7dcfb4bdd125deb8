package eval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSampleBudgetSmall(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	ten := func(int) int { return 10 }
	docs, last := SampleBudget(ids, 1, 25, ten)
	if len(docs) != 3 || last != 5 {
		t.Fatalf("docs %v last %d, want 3 docs, 5 tokens of the last", docs, last)
	}
	docs, last = SampleBudget(ids, 1, 30, ten)
	if len(docs) != 3 || last != 10 {
		t.Errorf("exact budget: docs %v last %d", docs, last)
	}
	docs, last = SampleBudget(ids, 1, 1000, ten)
	if len(docs) != 5 || last != 10 {
		t.Errorf("budget above total: docs %v last %d", docs, last)
	}
	if docs, last := SampleBudget(ids, 1, 0, ten); docs != nil || last != 0 {
		t.Errorf("zero budget: %v %d", docs, last)
	}
	if docs, _ := SampleBudget(nil, 1, 10, ten); docs != nil {
		t.Errorf("no ids: %v", docs)
	}
	// Empty documents are skipped; tokens is not called past the last one.
	calls := 0
	docs, last = SampleBudget(ids, 1, 15, func(i int) int {
		calls++
		if ids[i] == "b" || ids[i] == "d" {
			return 0
		}
		return 10
	})
	if len(docs) != 2 || last != 5 || slices.ContainsFunc(docs, func(i int) bool { return ids[i] == "b" || ids[i] == "d" }) {
		t.Errorf("docs %v last %d", docs, last)
	}
	if calls > 4 {
		t.Errorf("tokens called %d times", calls)
	}
	// The seed changes the order.
	orders := map[string]bool{}
	for seed := range uint64(20) {
		d, _ := SampleBudget(ids, seed, 50, ten)
		orders[fmt.Sprint(d)] = true
	}
	if len(orders) < 10 {
		t.Errorf("20 seeds give %d orders of 5 ids", len(orders))
	}
}

// TestSampleBudgetHuman samples 30,000 words of the labelled pages: exactly
// the budget, whatever the input order, and roughly proportional to labels.
func TestSampleBudgetHuman(t *testing.T) {
	pages := humanPages(t)
	words := func(ps []Labelled) func(int) int {
		return func(i int) int { return len(strings.Fields(ps[i].Text)) }
	}
	sample := func(ps []Labelled) ([]string, int) {
		ids := make([]string, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		docs, last := SampleBudget(ids, 2024, 30000, words(ps))
		got := make([]string, len(docs))
		sum := 0
		for k, i := range docs {
			got[k] = ps[i].ID
			if k < len(docs)-1 {
				sum += words(ps)(i)
			}
		}
		if sum+last != 30000 || last < 1 || last > words(ps)(docs[len(docs)-1]) {
			t.Fatalf("sample of %d docs holds %d + %d tokens", len(docs), sum, last)
		}
		return got, last
	}
	a, lastA := sample(pages)
	shuffled := slices.Clone(pages)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, lastB := sample(shuffled)
	if !slices.Equal(a, b) || lastA != lastB {
		t.Fatalf("input order changed the sample:\n%v\n%v", a, b)
	}
	if a[0] == pages[0].ID && a[1] == pages[1].ID {
		t.Errorf("sample follows file order")
	}
	if len(a) < 20 || len(a) > 200 {
		t.Errorf("%d documents for 30,000 words", len(a))
	}
}
