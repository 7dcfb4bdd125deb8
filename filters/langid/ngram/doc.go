// Package ngram is an exact, fast reimplementation of lingua-go v1.4.0's
// language detection (ComputeLanguageConfidenceValues) on lingua's own n-gram
// models.
//
// The models are read from lingua-go's embedded files (see models.go) into
// one hash table per n-gram order over all 75 languages, whose slots point to
// postings (language, log-probability): a lookup serves every language.
// Unigrams to trigrams are loaded by LoadModels (about 35 MB, half a
// second); quadrigrams and fivegrams, which lingua's high-accuracy mode uses
// for texts under 120 letters, on the first such text: built once per
// machine (wide_build.go, a bucketed layout of 161 MB, wide.go) into a cache
// file under $CURATOR_CACHE_DIR or the user's cache directory (cache.go),
// then mapped read-only from it in a tenth of a second. About 195 MB in all.
//
// The engine follows lingua step by step: the same lower-casing and word
// regexp, the same rules (single-language scripts, unique characters, the
// script and character filters), the sums over unique n-grams of the
// log-probability of the longest prefix each language knows, the unigram
// count normalisation of high-accuracy mode (with its quirks), and lingua's
// decimal softmax, reproduced where its precision matters (confidence.go).
// For the trigram pass the back-off is precomputed: each trigram posting holds
// the difference to what its language would back off to, and counts are
// passed down to bigram and unigram parents, so a trigram costs one lookup and
// its own postings. Results agree with lingua-go to float rounding (about
// 1e-13 in the tests); the one known difference is lingua's own randomness:
// when two scripts tie for the most frequent word script, lingua picks one
// by Go's map order, this package the first in lingua's alphabet order.
//
//	m, err := ngram.LoadModels()
//	d, err := ngram.NewDetector(m, ngram.Options{LowAccuracy: true})
//	conf := d.Detect(text) // sorted like lingua's confidence values
package ngram
