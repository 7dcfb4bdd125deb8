package quality

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sync"
	"sync/atomic"
)

// Train trains a supervised model on the fastText-format file at path (one example a
// line, labels as words with the label prefix) as `fasttext supervised` 0.9.2 does:
// same dictionary, initialisation (minstd_rand, uniform(-1/dim, 1/dim) in ten blocks),
// per-line SGD with the lr decayed linearly every lrUpdateRate tokens, gradient
// averaged over the input rows, and each thread starting at its share of the file.
// With Thread 1 the result is deterministic for a seed. With more threads the updates
// are Hogwild as in fastText, but through atomic float32 operations (no data race).
func Train(ctx context.Context, path string, a TrainArgs) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("quality: train: %w", err)
	}
	return TrainBytes(ctx, data, a)
}

// TrainBytes is Train on the contents of a training file.
func TrainBytes(ctx context.Context, data []byte, a TrainArgs) (*Model, error) {
	loss, err := lossCode(a.Loss)
	if err != nil {
		return nil, err
	}
	if a.Dim <= 0 || a.Epoch <= 0 || a.Thread <= 0 || a.LRUpdateRate <= 0 || a.Bucket < 0 || a.Minn < 0 || a.Maxn < 0 {
		return nil, errors.New("quality: train: dim, epoch, thread and lrUpdateRate must be positive")
	}
	if a.Label == "" {
		a.Label = labelPrefix
	}
	if a.WordNgrams <= 1 && a.Maxn == 0 {
		a.Bucket = 0 // Args::parseArgs
	}
	words, nwords, nlabels, ntokens, err := buildDict(data, &a)
	if err != nil {
		return nil, fmt.Errorf("quality: train: %w", err)
	}
	var vecs *Vectors
	if a.PretrainedVectors != "" {
		if vecs, err = LoadVectors(a.PretrainedVectors, a.Dim); err != nil {
			return nil, fmt.Errorf("quality: train: %w", err)
		}
		if words, nwords, nlabels, ntokens, err = vecs.addToDict(words, ntokens, &a); err != nil {
			return nil, fmt.Errorf("quality: train: %w", err)
		}
	}
	m := &Model{name: "trained", version: fileVersion, nwords: nwords, nlabels: nlabels,
		ntokens: ntokens, pruneSize: -1, words: words}
	m.args = Args{Dim: int32(a.Dim), WS: int32(a.WS), Epoch: int32(a.Epoch), MinCount: int32(a.MinCount),
		Neg: int32(a.Neg), WordNgrams: int32(a.WordNgrams), Loss: loss, Model: modelSupervise,
		Bucket: int32(a.Bucket), Minn: int32(a.Minn), Maxn: int32(a.Maxn),
		LRUpdateRate: int32(a.LRUpdateRate), T: a.T}
	m.maxn = m.args.Maxn
	rows := int64(nwords) + int64(a.Bucket)
	m.in = matrix{m: rows, n: int64(a.Dim), data: make([]float32, rows*int64(a.Dim))}
	m.out = matrix{m: int64(nlabels), n: int64(a.Dim), data: make([]float32, int64(nlabels)*int64(a.Dim))}
	uniformInit(m.in.data, float32(1.0/float64(a.Dim)), int32(a.Seed), a.Thread)
	if err := m.init(); err != nil {
		return nil, fmt.Errorf("quality: train: %w", err)
	}
	if vecs != nil {
		vecs.overwrite(m)
	}
	if err := m.fit(ctx, data, a); err != nil {
		return nil, err
	}
	return m, nil
}

// fit is FastText::startThreads: a.Thread goroutines train m's dense matrices on
// data for a.Epoch epochs of m.ntokens tokens.
func (m *Model) fit(ctx context.Context, data []byte, a TrainArgs) error {
	a.LR = float64(float32(a.LR)) // fastText parses -lr with std::stof
	t := &trainer{m: m, a: a, data: data, shared: a.Thread > 1,
		total: int64(a.Epoch) * m.ntokens}
	if m.args.Loss == lossHS {
		t.buildPaths()
	}
	if m.args.Loss == lossNS {
		t.buildNegatives()
	}
	var wg sync.WaitGroup
	errs := make([]error, a.Thread)
	for i := 0; i < a.Thread; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = t.run(ctx, i)
		}(i)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// trainer holds the state shared by the training goroutines.
type trainer struct {
	m      *Model
	a      TrainArgs
	data   []byte
	shared bool // more than one goroutine: atomic matrix access
	total  int64
	tokens atomic.Int64

	paths     [][]int32 // hs: output rows from leaf to root
	codes     [][]bool
	negatives []int32
}

// threadState is Model::State plus the line buffers of one goroutine.
type threadState struct {
	p      *Predictor
	labels []int32
	hidden []float32
	grad   []float32
	output []float32
	rng    minstd
	pos    int
	eof    bool
}

func (t *trainer) run(ctx context.Context, id int) error {
	dim := t.a.Dim
	s := &threadState{p: t.m.NewPredictor(), hidden: make([]float32, dim), grad: make([]float32, dim),
		output: make([]float32, t.m.nlabels)}
	s.rng.seed(int32(t.a.Seed + id))
	s.pos = int(int64(id) * int64(len(t.data)) / int64(t.a.Thread))
	var local int64
	lines := 0
	for t.tokens.Load() < t.total {
		if lines++; lines&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		// real(tokenCount_) / (epoch * ntokens): a float32 division; then
		// args_->lr * (1.0 - progress) in double.
		progress := float32(t.tokens.Load()) / float32(t.total)
		lr := float32(t.a.LR * (1.0 - float64(progress)))
		local += int64(t.getLine(s))
		t.supervised(s, lr)
		if local > int64(t.a.LRUpdateRate) {
			t.tokens.Add(local)
			local = 0
		}
	}
	return nil
}

// getLine is Dictionary::getLine(istream, words, labels) over the in-memory file: it
// rewinds to the start once a read met the end, and returns the tokens read.
func (t *trainer) getLine(s *threadState) int {
	if s.eof {
		s.pos, s.eof = 0, false
	}
	p, m := s.p, t.m
	p.ids, p.whash, s.labels = p.ids[:0], p.whash[:0], s.labels[:0]
	n := 0
	for {
		tok, k := NextWord(t.data[s.pos:])
		s.pos += k
		if tok == nil {
			s.eof = true
			break
		}
		n++
		h := hashBytes(tok)
		wid := m.find(tok, h)
		isWord := wid < 0 && !hasPrefix(tok, t.a.Label) || wid >= 0 && m.words[wid].typ == 0
		if isWord {
			p.addSubwords(tok, wid)
			p.whash = append(p.whash, int32(h))
		} else if wid >= 0 {
			s.labels = append(s.labels, wid-m.nwords)
		}
		if string(tok) == eos {
			break
		}
	}
	p.addWordNgrams()
	return n
}

// supervised is FastText::supervised followed by Model::update.
func (t *trainer) supervised(s *threadState, lr float32) {
	ids := s.p.ids
	if len(s.labels) == 0 || len(ids) == 0 {
		return
	}
	target := int32(-1)
	if t.m.args.Loss != lossOVA {
		target = s.labels[s.rng.intn(len(s.labels))]
	}
	h := s.hidden
	clear(h)
	for _, id := range ids {
		t.addRow(h, &t.m.in, id)
	}
	scale := float32(1.0 / float64(len(ids)))
	for i := range h {
		h[i] *= scale
	}
	clear(s.grad)
	switch t.m.args.Loss {
	case lossSoftmax:
		t.softmax(s, target, lr)
	case lossOVA:
		for i := int32(0); i < t.m.nlabels; i++ {
			t.binaryLogistic(s, i, contains(s.labels, i), lr)
		}
	case lossNS:
		t.binaryLogistic(s, target, true, lr)
		for n := 0; n < t.a.Neg; n++ {
			t.binaryLogistic(s, t.negative(s, target), false, lr)
		}
	case lossHS:
		for i, row := range t.paths[target] {
			t.binaryLogistic(s, row, t.codes[target][i], lr)
		}
	}
	for i := range s.grad {
		s.grad[i] *= scale
	}
	for _, id := range ids {
		t.addToRow(&t.m.in, id, s.grad, 1)
	}
}

func contains(l []int32, v int32) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

// softmax is SoftmaxLoss::forward with backprop.
func (t *trainer) softmax(s *threadState, target int32, lr float32) {
	o := s.output
	for i := range o {
		o[i] = t.dotRow(s.hidden, &t.m.out, int32(i))
	}
	mx := o[0]
	for _, v := range o {
		mx = max(v, mx)
	}
	var z float32
	for i, v := range o {
		o[i] = float32(math.Exp(float64(v - mx))) // ::exp(double), as predict.go's softmax
		z += o[i]
	}
	for i := range o {
		o[i] /= z
	}
	for i := range o {
		label := float32(0)
		if int32(i) == target {
			label = 1
		}
		alpha := lr * (label - o[i])
		t.addRowTo(s.grad, &t.m.out, int32(i), alpha)
		t.addToRow(&t.m.out, int32(i), s.hidden, alpha)
	}
}

// binaryLogistic is BinaryLogisticLoss::binaryLogistic with backprop.
func (t *trainer) binaryLogistic(s *threadState, row int32, positive bool, lr float32) {
	score := t.m.sigmoidOf(t.dotRow(s.hidden, &t.m.out, row))
	label := float32(0)
	if positive {
		label = 1
	}
	alpha := lr * (label - score)
	t.addRowTo(s.grad, &t.m.out, row, alpha)
	t.addToRow(&t.m.out, row, s.hidden, alpha)
}

// load reads matrix element i, atomically when goroutines share the matrices.
func (t *trainer) load(d []float32, i int) float32 {
	if !t.shared {
		return d[i]
	}
	return math.Float32frombits(atomic.LoadUint32((*uint32)(ptr(&d[i]))))
}

// addRow is x += row i (Vector::addRow with a = 1).
func (t *trainer) addRow(x []float32, mx *matrix, i int32) {
	n := int(mx.n)
	if !t.shared {
		mx.addRow(x, i)
		return
	}
	for j := range x {
		x[j] += t.load(mx.data, int(i)*n+j)
	}
}

// addRowTo is x += a * row i (Vector::addRow).
func (t *trainer) addRowTo(x []float32, mx *matrix, i int32, a float32) {
	n := int(mx.n)
	row := mx.data[int(i)*n : int(i)*n+n]
	for j := range x {
		x[j] += a * t.load(row, j)
	}
}

// dotRow is DenseMatrix::dotRow.
func (t *trainer) dotRow(x []float32, mx *matrix, i int32) float32 {
	if !t.shared {
		return mx.dotRow(x, i)
	}
	n := int(mx.n)
	var d float32
	for j := range x {
		d += t.load(mx.data, int(i)*n+j) * x[j]
	}
	return d
}

// addToRow is row i += a * x (DenseMatrix::addVectorToRow), through compare-and-swap
// when goroutines share the matrices.
func (t *trainer) addToRow(mx *matrix, i int32, x []float32, a float32) {
	n := int(mx.n)
	row := mx.data[int(i)*n : int(i)*n+n]
	if !t.shared {
		for j, v := range x {
			row[j] += a * v
		}
		return
	}
	for j, v := range x {
		p := (*uint32)(ptr(&row[j]))
		for {
			old := atomic.LoadUint32(p)
			nv := math.Float32bits(math.Float32frombits(old) + a*v)
			if atomic.CompareAndSwapUint32(p, old, nv) {
				break
			}
		}
	}
}
