// Package kn is the proxy language model of curator's evaluation suite: an
// interpolated modified Kneser-Ney n-gram model over token ids (Chen and Goodman,
// "An empirical study of smoothing techniques for language modeling", 1998, with
// the estimation of KenLM's lmplz). It is trained on a fixed token budget drawn
// from a recipe's output and scores held-out text; the caller turns the bits into
// bits per byte.
//
// # Symbols
//
// Token ids are in [0, vocab). Every training sequence (a document) is followed by
// the end-of-sequence symbol EOS, whose id is vocab, so the model predicts vocab+1
// symbols and every probability sums to 1 over ids 0..vocab. A sequence is preceded
// by one begin-of-sequence symbol BOS that is never predicted: "a b" is counted as
// "<s> a b </s>", and its n-grams are the strings of at most order symbols that end
// at a, b or </s> and start no earlier than <s> (at order 3: a, <s> a; b, a b, <s> a b;
// </s>, b </s>, a b </s>). Those are the "seen" n-grams. So the context of the first
// symbols of a sequence is BOS and the symbols so far, shorter than order-1: this is
// lmplz's treatment, which pads with order-1 copies of <s> and then drops the
// n-grams that begin with two of them.
//
// # Counts
//
// At the highest order N the count c(g) of an n-gram g is its raw count: the number
// of positions it ends at. At an order n < N the count of g is its continuation
// count N1+(. g), the number of distinct symbols x such that the (n+1)-gram x g was
// seen, except when g begins with BOS: nothing precedes BOS, so such an n-gram
// keeps its raw count (as in lmplz).
//
// # Discounts
//
// For each order n, n_k is the number of seen n-grams whose count (as above) is k.
// With Y = n_1/(n_1+2 n_2), the discounts are D_k = k - (k+1) Y n_{k+1}/n_k for
// k = 1, 2, 3; D_3 (written D_3+) applies to every count of 3 or more and D(0) = 0.
// The estimate of an order is degenerate when n_1, n_2 or n_3 is 0 (tiny or
// artificial data: a division by zero) or when some D_k is not in (0, k]. Then all
// three discounts of that order are replaced by the fallback D_1 = 0.5, D_2 = 1,
// D_3+ = 1.5 (FallbackD1..3, the values of lmplz --discount_fallback). Unlike lmplz,
// a discount of exactly 0 counts as degenerate, because it could give probability 0
// to an unseen symbol; and the arithmetic is in float64 (lmplz: float32).
// Model.Discounts reports the discounts used.
//
// # Probabilities
//
// For a context h of n-1 symbols (n >= 2), h' being h without its first symbol,
//
//	P_n(w | h) = (c(h w) - D(c(h w))) / c(h .) + gamma(h) P_{n-1}(w | h')
//	gamma(h)   = (D_1 N_1(h .) + D_2 N_2(h .) + D_3+ N_3+(h .)) / c(h .)
//
// with the discounts and counts of order n, c(h .) the sum of c(h x) over all x and
// N_k(h .) the number of x with c(h x) = k (3 or more for N_3+). When c(h .) = 0 (h
// was never seen followed by a symbol) P_n(w | h) = P_{n-1}(w | h'). The unigram
// level interpolates with the uniform distribution over the vocab+1 symbols:
//
//	P_1(w) = (c(w) - D(c(w))) / c(.) + gamma() / (vocab+1)
//
// and a model trained on no sequence at all gives every symbol 1/(vocab+1). Since
// 0 < D_k <= k, every term is non-negative, every level sums to 1, and every symbol
// has a probability above 0 whatever the context. Model.Prob(context, w) is
// P_N(w | h) with h the last N-1 ids of context, or, when context is shorter,
// P_n(w | h) with h = BOS followed by the whole context and n = len(context)+2.
//
// # Layout
//
// The model is a trie stored level by level in sorted arrays: the nodes of level n
// are the distinct strings of n symbols seen in training, sorted by (parent node,
// last symbol), so the children of a node are a contiguous range found by binary
// search. Level 1 is indexed by symbol. A node of a level below N stores its last
// symbol, its count, its children range, and as a context its total c(h .) and
// gamma(h): 28 bytes; a node of level N stores its symbol and count: 8 bytes. Build
// sorts the n-grams of each level with an LSD radix sort; nothing depends on map
// order, so the same sequences (in any order) give a model that scores to the same
// bits.
package kn
