// Package gopher holds Gopher's quality and repetition filters (Rae et
// al., 2021, appendix A) with the exact semantics, parameter names,
// defaults and removal reasons of huggingface/datatrove's
// GopherQualityFilter and GopherRepetitionFilter, as registry steps
// gopher_quality and gopher_repetition. DCLM's versions of the same rules
// (different words, denominators and reasons) are in package heuristics.
//
// Reference read (datatrove main, 2025): src/datatrove/pipeline/filters/
// gopher_quality_filter.py at commit 5c254fa5bfa3a6280aac0c1b8b95a5efcdd2a2ba,
// gopher_repetition_filter.py at f42332190d5fa3ecfe4603d12e72354543f8a5e5,
// utils/text.py (PUNCTUATION) at 175a5652687d8a47f9225669b6b45029a3f0cbfd,
// utils/word_tokenizers.py at 06f5db2031ed624da7ad5f775e35be600cfec0a8 with
// assets/tokenizer_assignment.csv at 04bcdd3feac17c9771bdcdc9ada73f44ffdc313f,
// and tests/pipeline/filters/test_filters.py at
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc, whose expectations the tests
// reproduce.
//
// Words: datatrove's default English tokenizer (load_word_tokenizer("en"))
// is spaCy's blank "en" tokenizer followed by strip_strings; EnglishWords
// reimplements it (older datatrove releases, before the tokenizer
// assignment table, used NLTK's word_tokenize for English instead). Both
// steps memoize the words on the Doc, so they tokenize once.
//
// gopher_quality, in datatrove's order: non-symbol words (words with a
// character outside PUNCTUATION) below min_doc_words (gopher_short_doc) or
// above max_doc_words (gopher_long_doc); their mean length in code points
// outside [min_avg_word_length, max_avg_word_length]
// (gopher_below_avg_threshold, gopher_above_avg_threshold); '#' per word,
// then '...' plus '…' per word, above max_symbol_word_ratio
// (gopher_too_many_hashes, gopher_too_many_ellipsis), all words counted;
// lines (str.splitlines) starting with '•' or '-' after leading whitespace
// above max_bullet_lines_ratio (gopher_too_many_bullets); lines ending with
// '...' or '…' above max_ellipsis_lines_ratio (gopher_too_many_end_ellipsis);
// the fraction of words with an alphabetic character below
// max_non_alpha_words_ratio (gopher_below_alpha_threshold, datatrove's
// name for a lower bound); fewer than min_stop_words words equal to a stop
// word (gopher_enough_stop_words).
//
// gopher_repetition, in datatrove's order: paragraphs (the stripped text
// split at runs of two or more '\n') that repeat an earlier one, as a
// fraction of the paragraphs (dup_para_frac) and their code points as a
// fraction of the whole text's (dup_para_char_frac); the same for lines
// split at runs of '\n' (dup_line_frac, dup_line_char_frac); for each (n,
// frac) of top_n_grams the most common n-gram's length joined with spaces
// times its count (top_<n>_gram); for each of dup_n_grams the code points
// of datatrove's find_all_duplicate (duplicated_<n>_n_grams). Every
// character fraction is over len(text), as in datatrove.
//
// As in datatrove, a threshold of 0 (Python's falsy None or 0) skips its
// check. Both steps are filters.Deciders that measure counts (never
// ratios) and decide with the same function Filter uses, and
// filters.Gaugers whose gauges are the numbers compared.
//
// Known gaps and choices:
//   - Empty texts: the datatrove tests read demand the reason "empty" for an
//     empty text (repetition) and for a text without words (quality, with
//     min_doc_words unset), but the filter version carrying that guard was
//     not available; here gopher_quality removes any text without words as
//     "empty" before the other rules, and gopher_repetition a text of no
//     code points (whitespace-only texts pass through its rules, as they do
//     not divide by zero in datatrove).
//   - EnglishWords follows spaCy's English rules but approximates its
//     character classes (Unicode letters and case for ALPHA, ALPHA_LOWER,
//     ALPHA_UPPER), simplifies URL_MATCH, uses the English exceptions of
//     spaCy's spacy/lang/en/tokenizer_exceptions.py as read at commit
//     00cfadbf63ca59354c2f57a5b28e85d00097a190 (the later spaCy 3 list may
//     differ in a few entries), and does not run spaCy's special-case
//     matcher over affix tokens. Ordinary English prose tokenizes as spaCy
//     does; exotic scripts, URLs and emoticons may differ by a token. There
//     was no spaCy on the build machine to compare with, so the tests check
//     the rules on hand-derived cases only.
//   - Invalid UTF-8 counts one code point per bad byte.
package gopher
