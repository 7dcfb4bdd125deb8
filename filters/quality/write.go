package quality

import (
	"bufio"
	"encoding/binary"
	"io"
	"math"
	"unsafe"
)

// binWriter writes little-endian fields and keeps the first error.
type binWriter struct {
	w   *bufio.Writer
	err error
	buf [8]byte
}

func (b *binWriter) bytes(p []byte) {
	if b.err == nil {
		_, b.err = b.w.Write(p)
	}
}

func (b *binWriter) int32(v int32) {
	binary.LittleEndian.PutUint32(b.buf[:4], uint32(v))
	b.bytes(b.buf[:4])
}

func (b *binWriter) int64(v int64) {
	binary.LittleEndian.PutUint64(b.buf[:8], uint64(v))
	b.bytes(b.buf[:8])
}

func (b *binWriter) bool(v bool) {
	c := byte(0)
	if v {
		c = 1
	}
	b.bytes([]byte{c})
}

func (b *binWriter) float32s(f []float32) {
	if len(f) == 0 {
		return
	}
	if littleEndianHost {
		b.bytes(unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), len(f)*4))
		return
	}
	for _, v := range f {
		binary.LittleEndian.PutUint32(b.buf[:4], math.Float32bits(v))
		b.bytes(b.buf[:4])
	}
}

func (b *binWriter) pq(q *pq) {
	b.int32(q.dim)
	b.int32(q.nsubq)
	b.int32(q.dsub)
	b.int32(q.lastdsub)
	b.float32s(q.centroids)
}

func (b *binWriter) matrix(mx *matrix) {
	if mx.quant {
		b.bool(mx.qnorm)
	}
	b.int64(mx.m)
	b.int64(mx.n)
	if !mx.quant {
		b.float32s(mx.data)
		return
	}
	b.int32(mx.codesize)
	b.bytes(mx.codes)
	b.pq(&mx.pq)
	if mx.qnorm {
		b.bytes(mx.normCodes)
		b.pq(&mx.npq)
	}
}

// WriteBin writes the model in fastText's binary format (FastText::saveModel), which
// fastText 0.9.2 loads; for a model that was read from a file, the bytes are the same.
func (m *Model) WriteBin(w io.Writer) error {
	b := &binWriter{w: bufio.NewWriterSize(w, 1<<20)}
	b.int32(fileMagic)
	b.int32(m.version)
	a := &m.args
	for _, v := range []int32{a.Dim, a.WS, a.Epoch, a.MinCount, a.Neg, a.WordNgrams, a.Loss,
		a.Model, a.Bucket, a.Minn, a.Maxn, a.LRUpdateRate} {
		b.int32(v)
	}
	b.int64(int64(math.Float64bits(a.T)))
	b.int32(int32(len(m.words)))
	b.int32(m.nwords)
	b.int32(m.nlabels)
	b.int64(m.ntokens)
	b.int64(m.pruneSize)
	for i := range m.words {
		e := &m.words[i]
		b.bytes([]byte(e.word))
		b.bytes([]byte{0})
		b.int64(e.count)
		b.bytes([]byte{byte(e.typ)})
	}
	for _, p := range m.pruneOrder {
		b.int32(p[0])
		b.int32(p[1])
	}
	b.bool(m.quantIn)
	b.matrix(&m.in)
	b.bool(m.qout)
	b.matrix(&m.out)
	if b.err != nil {
		return b.err
	}
	return b.w.Flush()
}
