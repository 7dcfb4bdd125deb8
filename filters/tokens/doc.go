// Package tokens counts and encodes text in GPT-2's byte-level BPE, the
// r50k_base encoding of OpenAI's tiktoken (also called "gpt2").
//
// The vocabulary (50,256 mergeable byte strings and their ranks, plus the
// <|endoftext|> special token, id 50256) is not shipped here: it is read once,
// offline, by the OfflineLoader of github.com/pkoukk/tiktoken-go-loader (the
// loader of github.com/pkoukk/tiktoken-go) from the r50k_base.tiktoken it
// embeds. That file is OpenAI's tiktoken data, released under the MIT
// licence; both Go modules are MIT-licensed too. (The loader embeds all four
// tiktoken vocabularies, about 7 MB of the binary.)
//
// tiktoken-go's own Encode is exact but slow (it runs the pre-tokenization
// regular expression with dlclark/regexp2 over a []rune copy of the text), so
// this package implements the same algorithm itself:
//
//   - GPT-2's pre-tokenization pattern
//     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//     hand-coded as a scanner (see pretok.go), with regexp2's meaning of the
//     classes: \p{L} and \p{N} are Go's unicode.L and unicode.N, \s is
//     unicode.IsSpace;
//   - byte-pair merges of each piece by rank, leftmost lowest rank first, as
//     tiktoken's byte_pair_merge does (see bpe.go);
//   - a lookup table of the vocabulary keyed by the packed bytes of short
//     strings, a direct table of the 2-byte strings and a 64 KB bitset
//     filter that rejects most non-tokens without a probe (see ranks.go);
//   - pieces split in batches whose table slots are touched before the
//     lookups, so that their cache misses overlap (see encoder.go);
//   - for Encode, a bounded, lock-free cache of the ids of pieces that are
//     not themselves tokens (cache.go: 2^17 entries of at most 64 bytes,
//     about 10 MB when full); for Count, an inline cache of the counts of
//     such pieces of at most 24 bytes (countcache.go: 2^17 slots, 4 MB).
//
// Text that is not valid UTF-8 is treated as tiktoken-go treats a Go string:
// each byte that is not part of a valid UTF-8 sequence becomes U+FFFD (the
// []rune conversion), which is then encoded as the bytes EF BF BD.
//
// No special token is recognized: "<|endoftext|>" in a text is ordinary text,
// as with tiktoken's encode_ordinary. Tests prove the results identical to
// tiktoken-go's Encode(text, nil, nil) on real data and under fuzzing.
package tokens
