// Package quality holds a fastText-compatible linear text classifier in pure Go.
//
// It reads the supervised models of fastText 0.9.x, dense (.bin) and product-quantized
// (.ftz), and predicts exactly as the fastText 0.9.2 command-line tool does: same
// tokenization (Dictionary::readWord and getLine, "</s>" at newlines), same character
// and word n-gram hashing (FNV-1a over signed bytes, bucket modulo, pruned index), same
// losses (softmax, one-vs-all, hierarchical softmax, negative sampling), float32 math
// in fastText's order, and the same top-k heap so that ties come out in its order.
//
// It also trains supervised models as `fasttext supervised` does (Train, TrainBytes),
// with -pretrainedVectors (.vec files, LoadVectors), and quantizes them as `fasttext
// quantize` does (Model.Quantize: -cutoff with the pruned dictionary and index,
// -retrain, -qnorm, -qout, -dsub; k-means over minstd_rand seeded 1234). With one
// thread both give the bytes fastText 0.9.2 writes: the libstdc++ details that show in
// the files (std::sort, std::shuffle, uniform_int_distribution, the iteration order of
// std::unordered_map, std::stof-parsed -lr) are reproduced in stdsort.go and stdlib.go.
//
// A Model is read-only once loaded and may be shared by any number of goroutines;
// each goroutine predicts through its own Predictor, which holds the scratch space.
package quality
