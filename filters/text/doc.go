// Package text splits documents into words, lines and paragraphs with the
// exact semantics of the DCLM reference implementation (mlfoundations/dclm,
// baselines/mappers/core_utils.py), and answers Python's str predicates
// (isupper, isdigit, isalpha, isalnum, isspace) for single code points.
//
// Four tokenizers are provided, each matching one DCLM tokenizer:
//
//   - FastText*: fastText's Dictionary::readWord (split on the ASCII bytes
//     ' ', \n, \r, \t, \v, \f and NUL only; every \n is the token "</s>").
//   - UAXWords: Unicode word segments as produced by the Python package
//     uniseg 0.7.1 (UAX #29 rules of Unicode 6.2.0).
//   - Fields: Python's str.split() (Unicode whitespace).
//   - SplitParagraphs: DCLM's split_paragraphs (re.split on a separator,
//     strip each part, drop the empty ones).
//
// Character predicates follow CPython (Unicode data of Go's unicode package,
// 15.0.0; CPython 3.11 uses 14.0.0, 3.12 uses 15.0.0: only code points
// assigned in 15.0 can answer differently).
//
// All functions work on valid or invalid UTF-8; an invalid byte is read as
// U+FFFD, which is neither a letter, a digit nor a space, as CPython would
// see the surrogate-escaped byte.
package text
