// Package langid holds the language-identification step `lang`: lingua-go's
// algorithm on lingua's own models, run by curator's engine (package ngram,
// the same answers about a hundred times faster), scores the whole text, the most likely language and its confidence are
// recorded as a signal shaped like DCLM's language_id_whole_page_fasttext
// ({"en": 0.97}), and, when languages to keep are given, documents are
// removed as DCLM's language_filter does (kept iff the confidence of a kept
// language is strictly above the threshold).
//
// DCLM's details are kept: text made only of ASCII punctuation and spaces
// gets {} without running the model, and newlines are deleted (not replaced
// by spaces) before detection unless newline_to_space is set.
//
// The models are read once per process and a detector is built once per
// distinct set of languages and accuracy mode and shared (see detectorFor).
package langid
