package eval

import "sort"

// SampleBudget draws a deterministic sample of budget tokens from the
// documents ids (ids should be unique). Documents are ordered by a hash of
// their id seeded with seed (splitmix64's finalizer of FNV-1a(id) xor a
// mix of seed; ties by id, then by position), not by position, so the order
// in which the documents are given does not change which ids are drawn,
// nor their order. Whole documents are taken in that order, tokens(i)
// giving document i's token count, until budget tokens are reached; the
// last document is cut to the rest of the budget. It returns the indices
// into ids of the documents taken, in sample order, and how many tokens of
// the last one to keep (all of them when the documents hold fewer than
// budget tokens in all). Documents of no tokens are left out; tokens is
// called only for documents up to the last one taken. A budget < 1 takes
// nothing.
func SampleBudget(ids []string, seed uint64, budget int, tokens func(i int) int) (docs []int, lastTokens int) {
	if budget < 1 || len(ids) == 0 {
		return nil, 0
	}
	type keyed struct {
		key uint64
		i   int
	}
	order := make([]keyed, len(ids))
	s := mix64(seed ^ 0x73616d706c65)
	for i, id := range ids {
		order[i] = keyed{mix64(fnv64a(id) ^ s), i}
	}
	sort.Slice(order, func(x, y int) bool {
		a, b := order[x], order[y]
		if a.key != b.key {
			return a.key < b.key
		}
		if ids[a.i] != ids[b.i] {
			return ids[a.i] < ids[b.i]
		}
		return a.i < b.i
	})
	left := budget
	for _, o := range order {
		t := tokens(o.i)
		if t <= 0 {
			continue
		}
		docs = append(docs, o.i)
		if t >= left {
			return docs, left
		}
		lastTokens = t
		left -= t
	}
	return docs, lastTokens
}
