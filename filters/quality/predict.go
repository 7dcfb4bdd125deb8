package quality

import (
	"errors"
	"math"
	"unsafe"
)

// Prediction is one label with its probability as fastText prints it:
// exp(log(p + 1e-5)), so it can exceed 1 by 1e-5.
type Prediction struct {
	Label string
	Prob  float32
}

// Predictor predicts with a shared Model. It holds scratch space and is not safe for
// concurrent use: make one per goroutine with Model.NewPredictor.
type Predictor struct {
	m      *Model
	ids    []int32
	whash  []int32
	wbuf   []byte
	hidden []float32
	output []float32
	heap   []scored
	preds  []Prediction
}

// NewPredictor returns a Predictor for m.
func (m *Model) NewPredictor() *Predictor {
	return &Predictor{
		m:      m,
		hidden: make([]float32, m.args.Dim),
		output: make([]float32, m.nlabels),
	}
}

// PredictLine predicts the labels of one line of text as fastText's Python binding
// does (one getLine over line + "\n": tokens after a literal "</s>" are not read).
// It returns at most k predictions (all labels if k < 1) with a probability of at
// least threshold, best first. The slice is reused by the next call.
func (p *Predictor) PredictLine(line string, k int, threshold float32) []Prediction {
	b := unsafe.Slice(unsafe.StringData(line), len(line))
	p.getLine(b, true)
	return p.predict(k, threshold)
}

// PredictNext predicts as the fastText command line does for the text at the start
// of b: one getLine, up to and including the first newline or "</s>" token, or to the
// end of b. It returns the predictions (reused by the next call) and the bytes read.
func (p *Predictor) PredictNext(b []byte, k int, threshold float32) ([]Prediction, int) {
	n := p.getLine(b, false)
	return p.predict(k, threshold), n
}

// InputIDs returns the input matrix rows fastText averages for line (the same
// tokenization as PredictLine). The slice is reused by the next call.
func (p *Predictor) InputIDs(line string) []int32 {
	p.getLine(unsafe.Slice(unsafe.StringData(line), len(line)), true)
	return p.ids
}

// predict is FastText::predict on p.ids followed by the exp of the log-probabilities.
func (p *Predictor) predict(k int, threshold float32) []Prediction {
	p.preds = p.preds[:0]
	if len(p.ids) == 0 {
		return p.preds
	}
	m := p.m
	if k < 1 || k > int(m.nlabels) {
		k = int(m.nlabels)
	}
	h := p.hidden
	clear(h)
	for _, id := range p.ids {
		m.in.addRow(h, id)
	}
	scale := float32(1.0 / float64(len(p.ids)))
	for i := range h {
		h[i] *= scale
	}
	p.heap = p.heap[:0]
	switch m.args.Loss {
	case lossHS:
		p.dfs(k, threshold, int32(2*m.nlabels-2), 0, h)
	case lossSoftmax:
		p.softmax()
		p.findKBest(k, threshold)
	default: // ova, ns: BinaryLogisticLoss
		o := p.output
		for i := range o {
			o[i] = m.sigmoidOf(m.out.dotRow(h, int32(i)))
		}
		p.findKBest(k, threshold)
	}
	sortHeap(p.heap)
	for _, s := range p.heap {
		p.preds = append(p.preds, Prediction{Label: m.labels[s.idx], Prob: exp32(s.score)})
	}
	return p.preds
}

func (p *Predictor) softmax() {
	m, o := p.m, p.output
	for i := range o {
		o[i] = m.out.dotRow(p.hidden, int32(i))
	}
	mx := o[0]
	for _, v := range o {
		mx = max(v, mx)
	}
	var z float32
	for i, v := range o {
		o[i] = float32(math.Exp(float64(v - mx)))
		z += o[i]
	}
	for i := range o {
		o[i] /= z
	}
}

// sigmoidOf is Loss::sigmoid: the 512-entry table, float32 index arithmetic.
func (m *Model) sigmoidOf(x float32) float32 {
	if x < -maxSigmoid {
		return 0
	}
	if x > maxSigmoid {
		return 1
	}
	v := (x + maxSigmoid) * sigmoidTable
	v /= maxSigmoid
	v /= 2
	return m.sigmoid[int64(v)]
}

// stdLog is fastText's std_log: log(x + 1e-5) in double, rounded to float.
func stdLog(x float32) float32 { return float32(math.Log(float64(x) + 1e-5)) }

// exp32 is std::exp on a float (glibc's expf).
func exp32(x float32) float32 { return expf(x) }

// findKBest is Loss::findKBest.
func (p *Predictor) findKBest(k int, threshold float32) {
	for i, o := range p.output {
		if o < threshold {
			continue
		}
		l := stdLog(o)
		if len(p.heap) == k && l < p.heap[0].score {
			continue
		}
		p.push(k, scored{l, int32(i)})
	}
}

// push adds s to the min-heap and drops the smallest when it holds more than k.
func (p *Predictor) push(k int, s scored) {
	p.heap = append(p.heap, s)
	pushHeap(p.heap)
	if len(p.heap) > k {
		popHeap(p.heap)
		p.heap = p.heap[:len(p.heap)-1]
	}
}

// hsNode is a node of the hierarchical softmax Huffman tree.
type hsNode struct {
	left, right int32
	count       int64
}

// buildTree is HierarchicalSoftmaxLoss::buildTree over the label counts. fastText's
// counts are sorted in decreasing order; other counts can make fastText read past
// its tree, which is an error here.
func buildTree(counts []int64) ([]hsNode, error) {
	osz := len(counts)
	tree := make([]hsNode, 2*osz-1)
	for i := range tree {
		tree[i] = hsNode{left: -1, right: -1, count: 1e15}
	}
	for i, c := range counts {
		tree[i].count = c
	}
	leaf, node := osz-1, osz
	for i := osz; i < 2*osz-1; i++ {
		var mini [2]int
		for j := range mini {
			if leaf >= 0 && tree[leaf].count < tree[node].count {
				mini[j] = leaf
				leaf--
			} else {
				mini[j] = node
				node++
			}
			if mini[j] >= i {
				return nil, errors.New("label counts do not make a hierarchical softmax tree (not sorted)")
			}
		}
		tree[i].left, tree[i].right = int32(mini[0]), int32(mini[1])
		tree[i].count = tree[mini[0]].count + tree[mini[1]].count
	}
	return tree, nil
}

// dfs is HierarchicalSoftmaxLoss::dfs.
func (p *Predictor) dfs(k int, threshold float32, node int32, score float32, h []float32) {
	if score < stdLog(threshold) {
		return
	}
	if len(p.heap) == k && score < p.heap[0].score {
		return
	}
	m := p.m
	t := &m.tree[node]
	if t.left == -1 && t.right == -1 {
		p.push(k, scored{score, node})
		return
	}
	f := m.out.dotRow(h, node-m.nlabels)
	f = float32(1.0 / float64(1+exp32(-f)))
	p.dfs(k, threshold, t.left, score+stdLog(float32(1.0-float64(f))), h)
	p.dfs(k, threshold, t.right, score+stdLog(f), h)
}
