package quality

import (
	"bytes"
	"testing"
)

// tinyModel builds a small valid model: hs loss, char n-grams 1-3, word bigrams;
// quantized (with qnorm, qout and a pruned index) when quant is set.
func tinyModel(quant bool) *Model {
	m := &Model{name: "tiny", version: fileVersion, pruneSize: -1, nwords: 3, nlabels: 3, ntokens: 42}
	m.args = Args{Dim: 4, WS: 5, Epoch: 5, MinCount: 1, Neg: 5, WordNgrams: 2, Loss: lossHS,
		Model: modelSupervise, Bucket: 7, Minn: 1, Maxn: 3, LRUpdateRate: 100, T: 1e-4}
	m.maxn = m.args.Maxn
	m.words = []entry{{"</s>", 10, 0}, {"a", 5, 0}, {"é", 2, 0},
		{"__label__x", 6, 1}, {"__label__y", 3, 1}, {"__label__z", 1, 1}}
	val := func(i int) float32 { return float32(i%7)/7 - 0.4 }
	dense := func(rows int64) matrix {
		mx := matrix{m: rows, n: 4, data: make([]float32, rows*4)}
		for i := range mx.data {
			mx.data[i] = val(i)
		}
		return mx
	}
	m.in, m.out = dense(10), dense(3)
	if quant {
		m.quantIn, m.qout = true, true
		m.pruneSize = 3
		m.pruneOrder = [][2]int32{{0, 0}, {4, 1}, {6, 2}}
		m.pruneIdx = map[int32]int32{0: 0, 4: 1, 6: 2}
		q := func(rows int64) matrix {
			mx := matrix{quant: true, qnorm: true, m: rows, n: 4, codesize: int32(rows * 2),
				codes: make([]byte, rows*2), normCodes: make([]byte, rows),
				pq:  pq{dim: 4, nsubq: 2, dsub: 2, lastdsub: 2, centroids: make([]float32, 4*ksub)},
				npq: pq{dim: 1, nsubq: 1, dsub: 1, lastdsub: 1, centroids: make([]float32, ksub)}}
			for i := range mx.codes {
				mx.codes[i] = byte(i * 37)
			}
			for i := range mx.normCodes {
				mx.normCodes[i] = byte(i * 11)
			}
			for i := range mx.pq.centroids {
				mx.pq.centroids[i] = val(i)
			}
			for i := range mx.npq.centroids {
				mx.npq.centroids[i] = float32(i) / 256
			}
			return mx
		}
		m.in, m.out = q(6), q(3)
	}
	if err := m.init(); err != nil {
		panic(err)
	}
	return m
}

func tinyBytes(t testing.TB, quant bool) []byte {
	var b bytes.Buffer
	if err := tinyModel(quant).WriteBin(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTinyModels(t *testing.T) {
	for _, quant := range []bool{false, true} {
		data := tinyBytes(t, quant)
		m, err := Read(bytes.NewReader(data), "tiny")
		if err != nil {
			t.Fatal(err)
		}
		p := m.NewPredictor()
		ids := p.InputIDs("a é b")
		if len(ids) < 4 {
			t.Errorf("quant %v: ids %v", quant, ids)
		}
		preds := p.PredictLine("a é b", -1, 0)
		if len(preds) != 3 {
			t.Fatalf("quant %v: %v", quant, preds)
		}
		var sum float32
		for _, pr := range preds {
			sum += pr.Prob
		}
		if sum < 0.99 || sum > 1.01 || preds[0].Prob < preds[2].Prob {
			t.Errorf("quant %v: hs probabilities %v do not sum to 1 in order", quant, preds)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, quant := range []bool{false, true} {
		data := tinyBytes(f, quant)
		for _, n := range []int{0, 3, 8, 60, 70, 90, 120, 200, len(data) / 2, len(data) - 1, len(data)} {
			if n <= len(data) {
				f.Add(data[:n])
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), "fuzz")
		if err != nil {
			if m != nil {
				t.Fatal("model and error")
			}
			return
		}
		var out bytes.Buffer
		if err := m.WriteBin(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, out.Bytes()) {
			t.Fatal("WriteBin differs from the bytes read")
		}
		p := m.NewPredictor()
		for _, line := range []string{"a é b", "", "</s> a", "__label__x zz ü"} {
			p.PredictLine(line, -1, 0)
			p.PredictLine(line, 2, 0.1)
		}
	})
}
