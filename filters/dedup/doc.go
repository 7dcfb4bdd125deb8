// Package dedup holds curator's deduplication core: DCLM's BFF shingling
// and its old-both, paragraph and document decisions (mlfoundations/dclm,
// dedup/bff/src/main.rs), a bloom filter sized by DCLM's false-positive
// formula, an exact set with the same interface for reference tests, the
// batch protocol that makes a partitioned, batched run decide exactly as a
// sequential pass, and the exact_dedup content keys.
//
// # Shingles
//
// A document is cut into units: in old-both and paragraph mode the byte
// windows between newline positions ([0, nl1), [nl1, nl2), ..., [nlk, len):
// every window after the first starts with its "\n"); in document mode the
// whole text. A unit's tokens are its UAX #29 word segments (Rust
// unicode-segmentation's split_word_bounds, see Tokens) minus those made of
// white space only; punctuation stays, nothing is normalised. A shingle is a
// window of ngram consecutive tokens of one unit (step 1); a unit with
// fewer than ngram tokens has none, unless min_ngram <= tokens, when its
// tokens make one shingle. Each shingle is hashed to 64 bits (see
// HashShingle): the hash is stable across processes and versions, so
// snapshots of a filter stay valid.
//
// # Decisions
//
// Decide implements DCLM's process_line_oldboth and process_line (paragraph,
// document) against a Membership: for each unit in order, count its
// shingles already contained (before any of the unit's own insertions);
// the unit is a duplicate iff contained/shingles > threshold (strict; a
// unit without shingles never is); shingles of units that are not
// duplicates are inserted before the next unit is queried. In old-both mode
// the document is emptied iff total contained / total shingles > threshold;
// kept paragraphs of such a document stay inserted, as in DCLM.
//
// # API
//
//   - Shingler.Shingle(text) -> *Shingles: units (byte windows) and their
//     shingle hashes in buffers reused from call to call (no allocation in
//     steady state); one Shingler per goroutine. Tokens is the tokenizer.
//   - Set (K, Keys, Has, Put): Bloom (a github.com/bits-and-blooms/bloom/v3
//     filter over a bit array of this package, sized by PlanBloom),
//     Partitioned (one Bloom per owner, by hash), Exact (a map, for tests).
//     Bloom.WriteTo / ReadBloom snapshot a filter.
//   - Membership (Contains, Add): a Bloom itself, SetMembership over any
//     Set, or a Settler (a batch's view of a set).
//   - Decider{Mode, Threshold}.Decide(shingles, membership, &decision);
//     Decision.Apply(text) gives the text left.
//   - ContentKey(kind, text, url) and NormalizeURL / NormalizeText for
//     exact_dedup.
//
// # Run-wide determinism
//
// The steps of this package (bff_dedup, exact_dedup) are sequential in one
// process: one step instance serialises its documents under a lock, so the
// result depends on the order documents reach it. Run-wide determinism
// comes from the run, which feeds decisions in canonical order; Probe,
// Settler and Commit give it the batch protocol (see Settler) that is
// exactly equivalent to the sequential pass, bit for bit of the filter.
// Until the run feeds them so, the binary does not link these steps in: with
// several workers their decisions would depend on timing.
package dedup
