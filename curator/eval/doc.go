// Package eval holds curator's fixed evaluation: the versioned,
// content-hashed evaluation suite (human-labelled pages, held-out reference
// text, the proxy language model's and the statistics' parameters) and the
// pure metric functions that compare recipes under it.
//
// A suite is a directory with a manifest.json and the data files it names
// (see Suite and Load); the default suite is embedded in the binary
// (Default) and built by the program in mksuite. The metrics take plain
// values (ids, texts, URLs, token ids) and return results with snake_case
// JSON tags for a run's eval.json:
//
//   - Agreement: precision, recall, F1, accuracy and kept share of a
//     recipe's decisions on the human-labelled pages, with bootstrap
//     percentile intervals.
//   - Jaccard: overlap of two recipes' kept id sets.
//   - Domains, DistinctNgramRatio, LanguageMix: diversity of kept documents.
//   - NearDupRate: the share of kept documents that are MinHash near
//     duplicates of an earlier kept document.
//   - SampleBudget: a deterministic, order-independent token-budget sample
//     of kept documents for the proxy language model.
//
// Everything is deterministic: random choices come from seeded generators
// implemented here (splitmix64), never from time or map order, and float
// sums run in a fixed order.
package eval
