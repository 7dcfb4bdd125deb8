// Package fineweb holds FineWeb's quality filter (Penedo et al., 2024)
// with the semantics, parameter names, defaults and removal reasons of
// huggingface/datatrove's FineWebQualityFilter, as the registry step
// fineweb_quality.
//
// Reference read: src/datatrove/pipeline/filters/fineweb_quality_filter.py
// at commit 5c254fa5bfa3a6280aac0c1b8b95a5efcdd2a2ba (the commit package
// gopher's gopher_quality was matched at), its find_duplicates from
// gopher_repetition_filter.py at f42332190d5fa3ecfe4603d12e72354543f8a5e5,
// and tests/pipeline/filters/test_filters.py at
// 0e9fe324c7b4da36dc33d92caffa623cc39a58cc (TestFineWebQualityFilter),
// whose expectations the tests reproduce.
//
// fineweb_quality, in datatrove's order, over the lines of
// text.split("\n"): the fraction of lines ending with . ' " ! ? at most
// line_punct_thr (line_punct_ratio; a fraction of 0 passes when
// line_punct_exclude_zero); the fraction of lines of at most
// short_line_length code points at least short_line_thr
// (short_line_ratio); the code points of the non-blank lines that repeat
// an earlier one over the code points of the text without its "\n", at
// least char_duplicates_ratio (char_dup_ratio); the number of "\n" per
// word (datatrove's English word tokenizer: gopher.EnglishWords) above
// new_line_ratio (list_ratio).
//
// Divisions by zero: text.split("\n") always has a line, so the first two
// ratios are defined. The other two divide by the code points other than
// "\n" and by the number of words, which Python lets raise
// ZeroDivisionError. Here, as the datatrove tests at 0e9fe324 demand for
// the empty text, a text whose denominator is zero is removed as "empty":
// the empty text before any rule, a text of only "\n" at the
// char_dup_ratio rule, a text without words at the list_ratio rule (each
// only if it reaches that rule). The step is a filters.Decider and a
// filters.Gauger whose gauges are the four ratios.
package fineweb
