// Package quality holds a fastText-compatible linear text classifier in pure Go.
//
// It reads the supervised models of fastText 0.9.x, dense (.bin) and product-quantized
// (.ftz), and predicts exactly as the fastText 0.9.2 command-line tool does: same
// tokenization (Dictionary::readWord and getLine, "</s>" at newlines), same character
// and word n-gram hashing (FNV-1a over signed bytes, bucket modulo, pruned index), same
// losses (softmax, one-vs-all, hierarchical softmax, negative sampling), float32 math
// in fastText's order, and the same top-k heap so that ties come out in its order.
//
// A Model is read-only once loaded and may be shared by any number of goroutines;
// each goroutine predicts through its own Predictor, which holds the scratch space.
package quality
