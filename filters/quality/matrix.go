package quality

import (
	"errors"
	"fmt"
	"math"
)

// pq is fastText's ProductQuantizer: nsubq sub-vectors of dsub floats (the last one
// lastdsub), each coded by one byte indexing ksub centroids.
type pq struct {
	dim, nsubq, dsub, lastdsub int32
	centroids                  []float32 // dim*ksub
}

// centroid returns sub-quantizer m's centroid i (ProductQuantizer::get_centroids).
func (q *pq) centroid(m int32, i byte) []float32 {
	if m == q.nsubq-1 {
		o := int(m)*ksub*int(q.dsub) + int(i)*int(q.lastdsub)
		return q.centroids[o : o+int(q.lastdsub)]
	}
	o := (int(m)*ksub + int(i)) * int(q.dsub)
	return q.centroids[o : o+int(q.dsub)]
}

// matrix is a dense or a product-quantized fastText matrix of m rows by n columns.
type matrix struct {
	quant bool
	m, n  int64
	data  []float32 // dense: m*n

	qnorm     bool
	codesize  int32
	codes     []byte // m*nsubq
	pq        pq
	normCodes []byte // m, when qnorm
	npq       pq     // 1-dimensional quantizer of the row norms
}

func readPQ(b *binReader, what string) (pq, error) {
	var q pq
	off := b.off
	var err error
	for _, f := range []*int32{&q.dim, &q.nsubq, &q.dsub, &q.lastdsub} {
		if *f, err = b.int32(what); err != nil {
			return q, err
		}
	}
	if q.dim <= 0 || q.nsubq <= 0 || q.dsub <= 0 || q.lastdsub <= 0 || q.lastdsub > q.dsub ||
		int64(q.nsubq-1)*int64(q.dsub)+int64(q.lastdsub) != int64(q.dim) {
		return q, b.errAt(off, what, fmt.Errorf("inconsistent quantizer dim %d nsubq %d dsub %d lastdsub %d", q.dim, q.nsubq, q.dsub, q.lastdsub))
	}
	q.centroids, err = b.float32s(int64(q.dim)*ksub, what+" centroids")
	return q, err
}

func readMatrix(b *binReader, quant bool, what string) (matrix, error) {
	mx := matrix{quant: quant}
	var err error
	if quant {
		if mx.qnorm, err = b.bool(what + " qnorm"); err != nil {
			return mx, err
		}
	}
	off := b.off
	if mx.m, err = b.int64(what + " rows"); err != nil {
		return mx, err
	}
	if mx.n, err = b.int64(what + " columns"); err != nil {
		return mx, err
	}
	if mx.m < 0 || mx.n <= 0 || mx.n > math.MaxInt32 || mx.m > math.MaxInt64/mx.n {
		return mx, b.errAt(off, what, fmt.Errorf("invalid shape %d x %d", mx.m, mx.n))
	}
	if !quant {
		mx.data, err = b.float32s(mx.m*mx.n, what)
		return mx, err
	}
	if mx.codesize, err = b.int32(what + " codesize"); err != nil {
		return mx, err
	}
	if mx.codes, err = b.bytes(int64(mx.codesize), what+" codes"); err != nil {
		return mx, err
	}
	off = b.off
	if mx.pq, err = readPQ(b, what+" quantizer"); err != nil {
		return mx, err
	}
	if int64(mx.pq.dim) != mx.n || int64(mx.codesize) != mx.m*int64(mx.pq.nsubq) {
		return mx, b.errAt(off, what, fmt.Errorf("quantizer dim %d nsubq %d does not fit %d x %d with %d codes", mx.pq.dim, mx.pq.nsubq, mx.m, mx.n, mx.codesize))
	}
	if mx.qnorm {
		if mx.normCodes, err = b.bytes(mx.m, what+" norm codes"); err != nil {
			return mx, err
		}
		off = b.off
		if mx.npq, err = readPQ(b, what+" norm quantizer"); err != nil {
			return mx, err
		}
		if mx.npq.dim != 1 {
			return mx, b.errAt(off, what, errors.New("norm quantizer must be 1-dimensional"))
		}
	}
	return mx, nil
}

// addRow adds row i to x (Vector::addRow for DenseMatrix and QuantMatrix).
func (mx *matrix) addRow(x []float32, i int32) {
	if !mx.quant {
		n := int(mx.n)
		row := mx.data[int(i)*n : int(i)*n+n]
		x = x[:len(row)]
		j := 0
		for ; j+4 <= len(row); j += 4 {
			r, y := row[j:j+4:j+4], x[j:j+4:j+4]
			y[0] += r[0]
			y[1] += r[1]
			y[2] += r[2]
			y[3] += r[3]
		}
		for ; j < len(row); j++ {
			x[j] += row[j]
		}
		return
	}
	alpha := float32(1)
	if mx.qnorm {
		alpha = mx.npq.centroids[mx.normCodes[i]]
	}
	q := &mx.pq
	code := mx.codes[int(i)*int(q.nsubq):]
	for s := int32(0); s < q.nsubq; s++ {
		c := q.centroid(s, code[s])
		xs := x[int(s)*int(q.dsub):]
		xs = xs[:len(c)]
		for j, v := range c {
			xs[j] += float32(alpha * v)
		}
	}
}

// dotRow is the float32 dot product of row i with x, summed in fastText's order.
func (mx *matrix) dotRow(x []float32, i int32) float32 {
	if !mx.quant {
		n := int(mx.n)
		row := mx.data[int(i)*n : int(i)*n+n]
		x = x[:len(row)]
		var d float32
		for j, v := range row {
			d += float32(v * x[j])
		}
		return d
	}
	alpha := float32(1)
	if mx.qnorm {
		alpha = mx.npq.centroids[mx.normCodes[i]]
	}
	q := &mx.pq
	code := mx.codes[int(i)*int(q.nsubq):]
	var d float32
	for s := int32(0); s < q.nsubq; s++ {
		c := q.centroid(s, code[s])
		xs := x[int(s)*int(q.dsub):]
		xs = xs[:len(c)]
		for j, v := range c {
			d += float32(xs[j] * v)
		}
	}
	return d * alpha
}
