// Package c4 holds C4's quality and bad-words filters (Raffel et al.,
// 2020) with the semantics, parameter names, defaults and removal reasons
// of huggingface/datatrove's C4QualityFilter, C4BadWordsFilter and
// C4ParagraphFilter, as registry steps c4_quality (a modifier: it drops
// lines and removes documents), c4_badwords and c4_paragraph (filters).
//
// c4_paragraph is mC4's paragraph rule (paragraph.go): fewer than 3 lines
// split at "\n", or a third-longest line shorter than 200 code points,
// removes the document with datatrove's reason "< 3 paragraphs"
// (c4_filters.py at commit 10c004698e3efa030d43d91f25a7621b639f90cc; its
// test at 0e9fe324 is reproduced).
//
// Reference read: src/datatrove/pipeline/filters/c4_filters.py at commit
// f42332190d5fa3ecfe4603d12e72354543f8a5e5 (the version with the language
// parameter and load_word_tokenizer), utils/word_tokenizers.py at
// 06f5db2031ed624da7ad5f775e35be600cfec0a8 (SpaCyTokenizer.sent_tokenize:
// spaCy's blank "en" pipeline with its rule-based sentencizer, then
// strip_strings), spaCy's Sentencizer (pipeline/sentencizer.pyx,
// default_punct_chars), and tests/pipeline/filters/test_filters.py at
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc, whose C4 expectations the
// tests reproduce.
//
// c4_quality, per line of str.splitlines (split_paragraph) or per sentence
// (otherwise), after str.strip: a line with a str.split word longer than
// max_word_length code points is dropped; Wikipedia citations ("[12]",
// "[edit]", "[citation needed]") are cut (remove_citations); a line not
// ending in . ? ! " ' or ending in "..." is dropped
// (filter_no_terminal_punct); a line of fewer than min_words_per_line words
// (counted before the citations were cut, as in datatrove) is dropped; a
// line containing "lorem ipsum" (lower-cased) removes the document
// (lorem_ipsum); a line containing "javascript" is dropped; a line with
// "{" removes the document (curly_bracket); a line with a cookie or
// terms-of-use phrase is dropped (filter_policy). The kept lines'
// sentences are counted (spaCy's sentencizer over each line when
// split_paragraph, one per kept sentence otherwise); fewer than
// min_num_sentences removes the document (too_few_sentences); otherwise
// the text becomes the kept lines joined with "\n" (" " without
// split_paragraph), stripped. As in datatrove, -1 disables
// min_num_sentences, min_words_per_line and max_word_length, and a
// document with no line kept but min_num_sentences <= 0 stays with an
// empty text.
//
// c4_badwords: the document's text, lower-cased (Python's str.lower), is
// searched for a word of the LDNOOBW English list flanked by non-word
// characters (Python's \W) or the text's ends, as datatrove's regex
// (?:\W|^)(w1|w2|...)(?:\W|$) does. A match removes the document
// (document_removed_with_badwords) unless it is kept with probability
// keep_fraction.
//
// Departures and gaps:
//   - keep_fraction: datatrove draws numpy default_rng(seed).uniform() per
//     matching document, so its outcome depends on the documents' order
//     and the process. Here the draw is a deterministic function of seed
//     and the document's text (a SHA-256 of both), so reruns, workers and
//     orders agree; the fraction kept is the same in expectation, but
//     which documents are kept differs from datatrove's.
//   - c4_badwords ships the English list only (datatrove's
//     _EN_BADWORDS_URL, LDNOOBW commit 25e679f0; our copy is DCLM's
//     ldnoobw.txt, which we did not byte-compare with that commit); other
//     languages need badwords_file. The language of a document is the
//     string signal named by language_signal when set and present
//     (datatrove reads metadata["language"]), else default_language.
//   - Sentences: the spaCy sentencizer is run over gopher.EnglishWords
//     tokens (datatrove's English tokenizer as ported in package gopher,
//     with its documented gaps); spaCy's whitespace tokens (runs of more
//     than one space) are not produced, which can change the count only
//     when such a run is followed by punctuation alone after a sentence
//     end (e.g. "Hi.  !").
//   - Only English (language "en") is supported for c4_quality, whose
//     tokenizer is datatrove's English one.
package c4
