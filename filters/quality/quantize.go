package quality

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// QuantizeArgs are the flags of `fasttext quantize` 0.9.2.
type QuantizeArgs struct {
	Cutoff  int     // -cutoff: keep the input rows of largest norm (0: all)
	Retrain bool    // -retrain: retrain the pruned model (needs training data)
	QNorm   bool    // -qnorm: quantize the row norms separately
	QOut    bool    // -qout: quantize the output matrix too
	DSub    int     // -dsub: size of each sub-vector
	Epoch   int     // -epoch: retraining epochs
	LR      float64 // -lr: retraining learning rate
	Thread  int     // -thread: retraining goroutines (k-means uses them too)
}

// DefaultQuantizeArgs returns the defaults of `fasttext quantize` (lr 0.05: the
// supervised default of 0.1 applies only to `fasttext supervised`).
func DefaultQuantizeArgs() QuantizeArgs {
	return QuantizeArgs{DSub: 2, Epoch: 5, LR: 0.05, Thread: 12}
}

// Quantize returns m product-quantized as `fasttext quantize` 0.9.2 does it
// (FastText::quantize): with a cutoff smaller than the input rows, only the cutoff
// rows of largest norm are kept ("</s>" first), the dictionary is pruned to the kept
// words and a pruned index maps the kept n-gram buckets; with Retrain the pruned
// model is then trained again on train (the contents of the -input file) for Epoch
// epochs; the input matrix (and with QOut the output matrix, dsub 2) is then
// product-quantized: 256 centroids per sub-vector, k-means over minstd_rand seeded
// 1234. The result is byte for byte what fastText writes for the same flags: for any
// Thread without Retrain (the goroutines only share out k-means' assignments), with
// Thread 1 when retraining (more threads retrain Hogwild, as fastText does). m itself
// is not modified.
func (m *Model) Quantize(ctx context.Context, train []byte, a QuantizeArgs) (*Model, error) {
	if m.quantIn {
		return nil, errors.New("quality: quantize: the model is already quantized")
	}
	if a.DSub < 1 {
		return nil, fmt.Errorf("quality: quantize: invalid dsub %d", a.DSub)
	}
	if a.Retrain && a.Cutoff > 0 && int64(a.Cutoff) < m.in.m && (a.Epoch <= 0 || a.Thread <= 0) {
		return nil, errors.New("quality: quantize: -retrain needs a positive epoch and thread")
	}
	threads := a.Thread
	if threads <= 0 {
		threads = defaultThreads()
	}
	q := *m // shallow copy; everything that changes is replaced below
	q.name = m.name + " (quantized)"
	q.out = matrix{m: m.out.m, n: m.out.n, data: slices.Clone(m.out.data)}
	dim := int(m.args.Dim)
	in := m.in.data
	if a.Cutoff > 0 && int64(a.Cutoff) < m.in.m {
		idx, err := m.selectEmbeddings(a.Cutoff)
		if err != nil {
			return nil, fmt.Errorf("quality: quantize: %w", err)
		}
		rows := q.prune(m, idx)
		in = make([]float32, len(rows)*dim)
		for i, r := range rows {
			copy(in[i*dim:(i+1)*dim], m.in.data[int(r)*dim:(int(r)+1)*dim])
		}
		q.in = matrix{m: int64(len(rows)), n: int64(dim), data: in}
		if err := q.init(); err != nil {
			return nil, fmt.Errorf("quality: quantize: %w", err)
		}
		if a.Retrain {
			if len(train) == 0 {
				return nil, errors.New("quality: quantize: -retrain needs training data (-input)")
			}
			q.args.Epoch = int32(a.Epoch)
			ta := TrainArgs{LR: a.LR, Dim: dim, Epoch: a.Epoch, Thread: a.Thread,
				Seed: 0, LRUpdateRate: int(m.args.LRUpdateRate), Label: labelPrefix, Neg: int(m.args.Neg)}
			if err := q.fit(ctx, train, ta); err != nil {
				return nil, fmt.Errorf("quality: quantize: retrain: %w", err)
			}
		}
	} else if a.QNorm {
		in = slices.Clone(in) // normalised in place below
	}
	var err error
	q.in, err = quantizeMatrix(ctx, in, int64(len(in)/dim), int32(dim), int32(a.DSub), a.QNorm, threads)
	if err != nil {
		return nil, fmt.Errorf("quality: quantize: input matrix: %w", err)
	}
	q.quantIn = true
	q.qout = a.QOut
	if a.QOut {
		q.out, err = quantizeMatrix(ctx, q.out.data, q.out.m, int32(dim), 2, a.QNorm, threads)
		if err != nil {
			return nil, fmt.Errorf("quality: quantize: output matrix: %w", err)
		}
	}
	if err := q.check(); err != nil {
		return nil, fmt.Errorf("quality: quantize: %w", err)
	}
	if err := q.init(); err != nil {
		return nil, fmt.Errorf("quality: quantize: %w", err)
	}
	return &q, nil
}

// selectEmbeddings is FastText::selectEmbeddings: the input rows sorted by
// decreasing norm with "</s>" first (libstdc++'s std::sort, so rows of equal norm
// come out in fastText's order), cut to the first cutoff.
func (m *Model) selectEmbeddings(cutoff int) ([]int32, error) {
	norms, err := l2NormRows(m.in.data, int(m.in.m), int(m.in.n))
	if err != nil {
		return nil, err
	}
	idx := iota32(int(m.in.m))
	eosid := m.find([]byte(eos), Hash(eos))
	stdSort(idx, func(a, b *int32) bool {
		return eosid == *a || (eosid != *b && norms[*a] > norms[*b])
	})
	return idx[:cutoff], nil
}

// prune is Dictionary::prune on q (a copy of m): the kept words (the rows of idx below
// nwords, in dictionary order) and all labels stay; the kept n-gram buckets get the
// next rows in idx's order, recorded in the pruned index in std::unordered_map order.
// It returns the rows of m's input matrix that make q's, in order.
func (q *Model) prune(m *Model, idx []int32) []int32 {
	var words, ngrams []int32
	for _, i := range idx {
		if i < m.nwords {
			words = append(words, i)
		} else {
			ngrams = append(ngrams, i)
		}
	}
	slices.Sort(words)
	keys := make([]int32, len(ngrams))
	q.pruneIdx = make(map[int32]int32, len(ngrams))
	for j, g := range ngrams {
		keys[j] = g - m.nwords
		q.pruneIdx[keys[j]] = int32(j)
	}
	q.pruneOrder = make([][2]int32, 0, len(ngrams))
	for _, j := range unorderedOrder(keys) {
		q.pruneOrder = append(q.pruneOrder, [2]int32{keys[j], j})
	}
	q.pruneSize = int64(len(ngrams))
	q.words = make([]entry, 0, len(words)+int(m.nlabels))
	for _, w := range words {
		q.words = append(q.words, m.words[w])
	}
	q.words = append(q.words, m.words[m.nwords:]...)
	q.nwords = int32(len(words))
	return append(words, ngrams...)
}
