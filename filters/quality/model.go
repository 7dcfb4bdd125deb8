package quality

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// entry is one dictionary entry: a word or a label.
type entry struct {
	word  string
	count int64
	typ   int8 // 0 word, 1 label
}

// Model is a fastText supervised model. It is read-only after loading and safe for
// concurrent use; predict through a Predictor per goroutine.
type Model struct {
	name    string
	version int32
	args    Args  // as stored in the file
	maxn    int32 // effective maxn (0 for version-11 supervised models)

	// dictionary
	nwords, nlabels int32
	ntokens         int64
	pruneSize       int64 // -1: not pruned
	words           []entry
	pruneIdx        map[int32]int32
	pruneOrder      [][2]int32 // pairs in file order, for WriteBin
	table           []slot     // open-addressing word index
	tableMask       uint32
	blob            []byte // all words, concatenated, for cache-friendly lookups

	quantIn bool
	qout    bool
	in, out matrix

	labels  []string
	tree    []hsNode // hierarchical softmax only
	sigmoid [sigmoidTable + 1]float32
}

// Load reads the fastText model file at path (.bin or .ftz).
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	return read(f, path, st.Size())
}

// Read reads a fastText model from r; name is used in errors.
func Read(r io.Reader, name string) (*Model, error) {
	size := int64(-1)
	switch v := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader, bytes.Buffer
		size = int64(v.Len())
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			if off, err := v.Seek(0, io.SeekCurrent); err == nil {
				size = st.Size() - off
			}
		}
	}
	return read(r, name, size)
}

func read(r io.Reader, name string, size int64) (*Model, error) {
	b := &binReader{r: bufio.NewReaderSize(r, 1<<20), name: name, remain: size}
	m := &Model{name: name}
	magic, err := b.int32("magic")
	if err != nil {
		return nil, err
	}
	if magic != fileMagic {
		return nil, b.errAt(0, "magic", fmt.Errorf("not a fastText model (magic %d, want %d)", magic, fileMagic))
	}
	if m.version, err = b.int32("version"); err != nil {
		return nil, err
	}
	if m.version > fileVersion {
		return nil, b.errAt(4, "version", fmt.Errorf("unsupported fastText file version %d (newest known %d)", m.version, fileVersion))
	}
	if err := m.readArgs(b); err != nil {
		return nil, err
	}
	if err := m.readDict(b); err != nil {
		return nil, err
	}
	if m.quantIn, err = b.bool("quant_input flag"); err != nil {
		return nil, err
	}
	off := b.off
	if m.in, err = readMatrix(b, m.quantIn, "input matrix"); err != nil {
		return nil, err
	}
	if !m.quantIn && m.pruneSize >= 0 {
		return nil, b.errAt(off, "input matrix", errors.New("pruned dictionary with a dense input matrix (model from an old fastText)"))
	}
	if m.qout, err = b.bool("qout flag"); err != nil {
		return nil, err
	}
	off = b.off
	if m.out, err = readMatrix(b, m.quantIn && m.qout, "output matrix"); err != nil {
		return nil, err
	}
	if err := m.check(); err != nil {
		return nil, b.errAt(off, "model", err)
	}
	if err := m.init(); err != nil {
		return nil, b.errAt(off, "model", err)
	}
	return m, nil
}

func (m *Model) readArgs(b *binReader) error {
	a := &m.args
	fields := []*int32{&a.Dim, &a.WS, &a.Epoch, &a.MinCount, &a.Neg, &a.WordNgrams, &a.Loss,
		&a.Model, &a.Bucket, &a.Minn, &a.Maxn, &a.LRUpdateRate}
	names := []string{"dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model",
		"bucket", "minn", "maxn", "lrUpdateRate"}
	start := b.off
	for i, f := range fields {
		v, err := b.int32("args." + names[i])
		if err != nil {
			return err
		}
		*f = v
	}
	var err error
	if a.T, err = b.float64("args.t"); err != nil {
		return err
	}
	m.maxn = a.Maxn
	if m.version == 11 && a.Model == modelSupervise {
		m.maxn = 0 // fastText: old supervised models did not use char n-grams
	}
	switch {
	case a.Model != modelSupervise:
		return b.errAt(start, "args", fmt.Errorf("not a supervised model (model %d)", a.Model))
	case a.Loss < lossHS || a.Loss > lossOVA:
		return b.errAt(start, "args", fmt.Errorf("unknown loss %d", a.Loss))
	case a.Dim <= 0:
		return b.errAt(start, "args", fmt.Errorf("invalid dim %d", a.Dim))
	case a.Bucket < 0:
		return b.errAt(start, "args", fmt.Errorf("invalid bucket %d", a.Bucket))
	case a.Bucket == 0 && (m.maxn > 0 || a.WordNgrams > 1):
		return b.errAt(start, "args", errors.New("n-grams need bucket > 0"))
	}
	return nil
}

func (m *Model) readDict(b *binReader) error {
	start := b.off
	size, err := b.int32("dictionary size")
	if err != nil {
		return err
	}
	if m.nwords, err = b.int32("dictionary nwords"); err != nil {
		return err
	}
	if m.nlabels, err = b.int32("dictionary nlabels"); err != nil {
		return err
	}
	if m.ntokens, err = b.int64("dictionary ntokens"); err != nil {
		return err
	}
	if m.pruneSize, err = b.int64("dictionary pruneidx_size"); err != nil {
		return err
	}
	if size < 0 || m.nwords < 0 || m.nlabels < 1 || int64(m.nwords)+int64(m.nlabels) != int64(size) {
		return b.errAt(start, "dictionary", fmt.Errorf("inconsistent sizes: size %d, nwords %d, nlabels %d", size, m.nwords, m.nlabels))
	}
	// Each entry takes at least 10 bytes (NUL, count, type).
	if err := b.checkCount(int64(size), 10, "dictionary entries"); err != nil {
		return err
	}
	m.words = make([]entry, size)
	for i := range m.words {
		off := b.off
		e := &m.words[i]
		if e.word, err = b.cstring("dictionary word"); err != nil {
			return err
		}
		if e.count, err = b.int64("dictionary count"); err != nil {
			return err
		}
		t, err := b.byte("dictionary type")
		if err != nil {
			return err
		}
		e.typ = int8(t)
		wantType := int8(0)
		if int32(i) >= m.nwords {
			wantType = 1
		}
		if e.typ != wantType {
			return b.errAt(off, "dictionary entry", fmt.Errorf("entry %d %q has type %d, inconsistent with nwords %d", i, e.word, e.typ, m.nwords))
		}
	}
	if m.pruneSize < -1 {
		return b.errAt(b.off, "pruneidx", fmt.Errorf("invalid pruneidx_size %d", m.pruneSize))
	}
	if m.pruneSize > 0 {
		if err := b.checkCount(m.pruneSize, 8, "pruneidx"); err != nil {
			return err
		}
		m.pruneIdx = make(map[int32]int32, m.pruneSize)
		m.pruneOrder = make([][2]int32, m.pruneSize)
		for i := range m.pruneOrder {
			k, err := b.int32("pruneidx key")
			if err != nil {
				return err
			}
			v, err := b.int32("pruneidx value")
			if err != nil {
				return err
			}
			m.pruneOrder[i] = [2]int32{k, v}
			m.pruneIdx[k] = v
		}
	}
	return nil
}

// check validates the shapes that prediction relies on, so that no model that loads
// can make a Predictor index out of range.
func (m *Model) check() error {
	dim := int64(m.args.Dim)
	if m.in.n != dim || m.out.n != dim {
		return fmt.Errorf("matrix width %d/%d differs from dim %d", m.in.n, m.out.n, dim)
	}
	if m.out.m != int64(m.nlabels) {
		return fmt.Errorf("output matrix has %d rows for %d labels", m.out.m, m.nlabels)
	}
	need := int64(m.nwords)
	if m.pruneSize < 0 && (m.maxn > 0 || m.args.WordNgrams > 1) {
		need += int64(m.args.Bucket)
	}
	for _, p := range m.pruneOrder {
		if p[1] < 0 || int64(m.nwords)+int64(p[1]) >= m.in.m {
			return fmt.Errorf("pruneidx maps %d to row %d beyond the %d input rows", p[0], int64(m.nwords)+int64(p[1]), m.in.m)
		}
	}
	if m.in.m < need {
		return fmt.Errorf("input matrix has %d rows, need %d (nwords + bucket)", m.in.m, need)
	}
	return nil
}

// slot is a word index entry: the word's hash, its dictionary index (-1: empty) and
// its bytes in the blob.
type slot struct {
	h        uint32
	idx      int32
	off, len uint32
}

// init builds the lookup table, the labels, the sigmoid table and the hs tree.
func (m *Model) init() error {
	n := len(m.words)
	size := 1
	for size < 2*n+1 {
		size <<= 1
	}
	total := 0
	for i := range m.words {
		total += len(m.words[i].word)
	}
	if total > math.MaxUint32 {
		return fmt.Errorf("dictionary words take %d bytes, more than 4 GiB", total)
	}
	m.blob = make([]byte, 0, total)
	m.table = make([]slot, size)
	for i := range m.table {
		m.table[i].idx = -1
	}
	m.tableMask = uint32(size - 1)
	for i := range m.words {
		w := m.words[i].word
		h := Hash(w)
		s := h & m.tableMask
		for m.table[s].idx >= 0 && m.words[m.table[s].idx].word != w {
			s = (s + 1) & m.tableMask
		}
		if m.table[s].idx < 0 {
			m.table[s] = slot{h: h, off: uint32(len(m.blob)), len: uint32(len(w))}
			m.blob = append(m.blob, w...)
		}
		m.table[s].idx = int32(i) // a duplicate word: the last one wins, as in fastText
	}
	m.labels = make([]string, m.nlabels)
	for i := range m.labels {
		m.labels[i] = m.words[int(m.nwords)+i].word
	}
	for i := range m.sigmoid {
		x := float32(i*2*maxSigmoid)/sigmoidTable - maxSigmoid
		m.sigmoid[i] = float32(1.0 / (1.0 + float64(exp32(-x))))
	}
	if m.args.Loss == lossHS {
		counts := make([]int64, m.nlabels)
		for i := range counts {
			counts[i] = m.words[int(m.nwords)+i].count
		}
		var err error
		if m.tree, err = buildTree(counts); err != nil {
			return err
		}
	}
	return nil
}

// find returns the dictionary index of word w with hash h, or -1.
func (m *Model) find(w []byte, h uint32) int32 {
	s := h & m.tableMask
	for {
		e := &m.table[s]
		if e.idx < 0 {
			return -1
		}
		if e.h == h && int(e.len) == len(w) && string(m.blob[e.off:e.off+e.len]) == string(w) {
			return e.idx
		}
		s = (s + 1) & m.tableMask
	}
}

// Labels returns the model's labels (with their prefix) in fastText's label order.
func (m *Model) Labels() []string { return m.labels }

// Args returns the training arguments stored in the model.
func (m *Model) Args() Args { return m.args }

// Dims returns the number of words, labels and the vector dimension.
func (m *Model) Dims() (nwords, nlabels, dim int) {
	return int(m.nwords), int(m.nlabels), int(m.args.Dim)
}

// Quantized reports whether the model is product-quantized (.ftz).
func (m *Model) Quantized() bool { return m.quantIn }
