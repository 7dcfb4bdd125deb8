// Package heuristics holds the heuristic quality filters and line modifiers
// of DCLM-Baseline (mlfoundations/dclm, baselines/baselines_configs/
// dclm_baseline_refinedweb.yaml, steps 7 and 10-26): page and word length,
// symbol, bullet, ellipsis, alphabetic-word and stop-word filters, Gopher's
// repetition filters, the word counter and word-removal-ratio pair, and the
// RefinedWeb line modifiers. Each step is registered under DCLM's mapper
// name with DCLM's parameter names and defaults, and reproduces the Python
// functions exactly (Python str.split, str.strip, re and Unicode semantics;
// see package text); deviations are parameters that default to DCLM's
// behaviour. recipes/dclm-baseline-heuristics.yaml gives the same verdicts
// and texts as DCLM on every document of testdata/dclm_golden.
//
// Removal reasons: too_few_<unit>s and too_many_<unit>s (page_length_filter),
// mean_word_length, symbol_ratio, bullet_lines, ellipsis_lines,
// non_alpha_words, few_stop_words, no_words (a filter that divides by a
// word count found none), the first failing repetition check (dup_line_frac,
// dup_para_frac, dup_line_char_frac, dup_para_char_frac, top_2gram ..
// top_4gram, dup_5gram .. dup_10gram), word_removal_ratio, and empty (a
// modifier left nothing, or the repetition filter got an empty page).
//
// Steps share values derived from the text through filters.Doc.Memo (lines,
// paragraphs, uniseg words, word counts, per-line statistics), so a
// document is split once per text version whatever the number of steps.
package heuristics
