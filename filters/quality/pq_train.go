package quality

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Constants of fastText 0.9.2's ProductQuantizer (nbits 8, so ksub 256 centroids).
const (
	pqMaxPointsPerCluster = 256
	pqMaxPoints           = pqMaxPointsPerCluster * ksub
	pqSeed                = 1234
	pqNiter               = 25
	pqEps                 = float32(1e-7)
)

// pqTrainer is a ProductQuantizer being trained: the quantizer, its own
// minstd_rand seeded with 1234 (one per quantizer, as in fastText), and the number of
// goroutines for the E-steps and the final coding, whose results do not depend on it.
type pqTrainer struct {
	pq
	rng     minstd
	threads int
}

// newPQTrainer is ProductQuantizer(dim, dsub): nsubq sub-vectors of dsub floats, the
// last one holding the dim % dsub rest when dsub does not divide dim.
func newPQTrainer(dim, dsub int32, threads int) *pqTrainer {
	q := &pqTrainer{pq: pq{dim: dim, nsubq: dim / dsub, dsub: dsub,
		centroids: make([]float32, int(dim)*ksub)}, threads: max(threads, 1)}
	q.lastdsub = dim % dsub
	if q.lastdsub == 0 {
		q.lastdsub = dsub
	} else {
		q.nsubq++
	}
	q.rng.seed(pqSeed)
	return q
}

// train is ProductQuantizer::train on the n rows of x (n*dim floats): each
// sub-quantizer runs k-means on at most 65,536 rows, picked by reshuffling the same
// permutation when there are more.
func (q *pqTrainer) train(ctx context.Context, n int, x []float32) error {
	if n < ksub {
		return fmt.Errorf("matrix too small for quantization, must have at least %d rows (has %d)", ksub, n)
	}
	perm := iota32(n)
	d := int(q.dsub)
	dim := int(q.dim)
	np := min(n, pqMaxPoints)
	xslice := make([]float32, np*d)
	for m := 0; m < int(q.nsubq); m++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m == int(q.nsubq)-1 {
			d = int(q.lastdsub)
		}
		if np != n {
			stdShuffle(perm, &q.rng)
		}
		for j := 0; j < np; j++ {
			o := int(perm[j])*dim + m*int(q.dsub)
			copy(xslice[j*d:j*d+d], x[o:o+d])
		}
		c := q.centroids[m*ksub*int(q.dsub):]
		q.kmeans(xslice[:np*d], c[:ksub*d], np, d)
	}
	return nil
}

func iota32(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// kmeans is ProductQuantizer::kmeans: centroids start at 256 shuffled points, then
// 25 rounds of E-step and M-step.
func (q *pqTrainer) kmeans(x, c []float32, n, d int) {
	perm := iota32(n)
	stdShuffle(perm, &q.rng)
	for i := 0; i < ksub; i++ {
		copy(c[i*d:i*d+d], x[int(perm[i])*d:int(perm[i])*d+d])
	}
	codes := make([]byte, n)
	for range pqNiter {
		q.parallel(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				codes[i], _ = assignCentroid(x[i*d:i*d+d], c, d)
			}
		})
		q.mstep(x, c, codes, d, n)
	}
}

// parallel runs f over [0, n) in contiguous chunks on q.threads goroutines.
func (q *pqTrainer) parallel(n int, f func(lo, hi int)) {
	t := q.threads
	if t <= 1 || n < 4096 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range t {
		lo, hi := i*n/t, (i+1)*n/t
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// distL2 is the float32 squared distance, summed in fastText's order.
func distL2(x, y []float32) float32 {
	y = y[:len(x)]
	var dist float32
	for i, v := range x {
		t := v - y[i]
		dist += float32(t * t)
	}
	return dist
}

// assignCentroid is ProductQuantizer::assign_centroid: the first nearest of the 256
// centroids of width d in c.
func assignCentroid(x, c []float32, d int) (byte, float32) {
	switch d { // the common widths: dsub 2, and 1 for the norms
	case 1:
		return assign1(x[0], c)
	case 2:
		return assign2(x[0], x[1], c)
	}
	dis := distL2(x, c[:d])
	code := byte(0)
	for j := 1; j < ksub; j++ {
		if dij := distL2(x, c[j*d:j*d+d]); dij < dis {
			code, dis = byte(j), dij
		}
	}
	return code, dis
}

// assign1 is assignCentroid for d = 1.
func assign1(x float32, c []float32) (byte, float32) {
	c = c[:ksub]
	t := x - c[0]
	dis := float32(t * t)
	code := byte(0)
	for j := 1; j < ksub; j++ {
		t := x - c[j]
		if dij := float32(t * t); dij < dis {
			code, dis = byte(j), dij
		}
	}
	return code, dis
}

// assign2 is assignCentroid for d = 2: the same float32 operations in the same order.
func assign2(x0, x1 float32, c []float32) (byte, float32) {
	c = c[:2*ksub]
	t0, t1 := x0-c[0], x1-c[1]
	dis := float32(t0*t0) + float32(t1*t1)
	code := byte(0)
	for j := 1; j < ksub; j++ {
		cj := c[2*j : 2*j+2 : 2*j+2]
		t0, t1 := x0-cj[0], x1-cj[1]
		if dij := float32(t0*t0) + float32(t1*t1); dij < dis {
			code, dis = byte(j), dij
		}
	}
	return code, dis
}

// mstep is ProductQuantizer::MStep: each centroid becomes the float32 mean of its
// points; an empty cluster takes a copy of a cluster picked at random (in proportion
// to its size), and the two are pushed apart by eps.
func (q *pqTrainer) mstep(x, c []float32, codes []byte, d, n int) {
	var nelts [ksub]int32
	clear(c[:d*ksub])
	for i := 0; i < n; i++ {
		k := int(codes[i])
		ck, xi := c[k*d:k*d+d], x[i*d:i*d+d]
		for j := range ck {
			ck[j] += xi[j]
		}
		nelts[k]++
	}
	for k := 0; k < ksub; k++ {
		if z := float32(nelts[k]); z != 0 {
			ck := c[k*d : k*d+d]
			for j := range ck {
				ck[j] /= z
			}
		}
	}
	for k := 0; k < ksub; k++ {
		if nelts[k] != 0 {
			continue
		}
		m := 0
		for q.rng.canonical()*float64(n-ksub) >= float64(nelts[m]-1) {
			m = (m + 1) % ksub
		}
		copy(c[k*d:k*d+d], c[m*d:m*d+d])
		for j := 0; j < d; j++ {
			sign := float32((j%2)*2 - 1)
			c[k*d+j] += sign * pqEps
			c[m*d+j] -= sign * pqEps
		}
		nelts[k] = nelts[m] / 2
		nelts[m] -= nelts[k]
	}
}

// computeCodes is ProductQuantizer::compute_codes for the n rows of x.
func (q *pqTrainer) computeCodes(x []float32, n int) []byte {
	nsubq, dim, dsub := int(q.nsubq), int(q.dim), int(q.dsub)
	codes := make([]byte, n*nsubq)
	q.parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := x[i*dim : i*dim+dim]
			d := dsub
			for m := 0; m < nsubq; m++ {
				if m == nsubq-1 {
					d = int(q.lastdsub)
				}
				c := q.centroids[m*ksub*dsub:]
				codes[i*nsubq+m], _ = assignCentroid(row[m*dsub:m*dsub+d], c[:ksub*d], d)
			}
		}
	})
	return codes
}

// l2NormRows is DenseMatrix::l2NormRow for every row: float32 squares summed in
// double, the square root rounded to float32.
func l2NormRows(data []float32, rows, dim int) ([]float32, error) {
	norms := make([]float32, rows)
	for i := range norms {
		var s float64
		for _, v := range data[i*dim : i*dim+dim] {
			s += float64(float32(v * v))
		}
		if math.IsNaN(s) {
			return nil, fmt.Errorf("row %d: encountered NaN", i)
		}
		norms[i] = float32(math.Sqrt(s))
	}
	return norms, nil
}

// quantizeMatrix is QuantMatrix(DenseMatrix, dsub, qnorm): with qnorm the rows are
// divided by their norms (data is modified) and the norms get their own
// 1-dimensional quantizer, trained first.
func quantizeMatrix(ctx context.Context, data []float32, rows int64, dim, dsub int32, qnorm bool, threads int) (matrix, error) {
	if dsub < 1 {
		return matrix{}, fmt.Errorf("invalid dsub %d", dsub)
	}
	nsubq := (int64(dim) + int64(dsub) - 1) / int64(dsub)
	if rows*nsubq > math.MaxInt32 {
		return matrix{}, fmt.Errorf("%d rows of %d codes exceed fastText's 32-bit code size", rows, nsubq)
	}
	if rows > math.MaxInt32 {
		return matrix{}, errors.New("too many rows")
	}
	n := int(rows)
	mx := matrix{quant: true, qnorm: qnorm, m: rows, n: int64(dim), codesize: int32(rows * nsubq)}
	if qnorm {
		norms, err := l2NormRows(data, n, int(dim))
		if err != nil {
			return mx, err
		}
		for i, v := range norms {
			if v == 0 {
				continue
			}
			row := data[i*int(dim) : (i+1)*int(dim)]
			for j := range row {
				row[j] /= v
			}
		}
		npq := newPQTrainer(1, 1, threads)
		if err := npq.train(ctx, n, norms); err != nil {
			return mx, err
		}
		mx.normCodes = npq.computeCodes(norms, n)
		mx.npq = npq.pq
	}
	q := newPQTrainer(dim, dsub, threads)
	if err := q.train(ctx, n, data); err != nil {
		return mx, err
	}
	mx.codes = q.computeCodes(data, n)
	mx.pq = q.pq
	return mx, nil
}

// defaultThreads is the goroutine count for quantization when none is given.
func defaultThreads() int { return runtime.GOMAXPROCS(0) }
