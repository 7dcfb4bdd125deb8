package quality

import (
	"math"
	"unsafe"
)

func ptr(f *float32) unsafe.Pointer { return unsafe.Pointer(f) }

// minstd is std::minstd_rand: x = x * 48271 mod (2^31 - 1).
type minstd struct{ x uint64 }

const minstdM = 2147483647

func (r *minstd) seed(s int32) {
	v := uint64(int64(s)%minstdM+minstdM) % minstdM
	if v == 0 {
		v = 1
	}
	r.x = v
}

func (r *minstd) next() uint64 {
	r.x = r.x * 48271 % minstdM
	return r.x
}

// intn is libstdc++'s uniform_int_distribution(0, n-1) over minstd_rand (the
// downscaling rejection method).
func (r *minstd) intn(n int) int {
	const rng = minstdM - 2 // max - min
	ue := uint64(n)
	scaling := rng / ue
	past := ue * scaling
	for {
		v := r.next() - 1
		if v < past {
			return int(v / scaling)
		}
	}
}

// canonical is generate_canonical<double, 53> over minstd_rand (two draws).
func (r *minstd) canonical() float64 {
	const rng = float64(minstdM - 1)
	sum := float64(r.next()-1) + float64(r.next()-1)*rng
	v := sum / (rng * rng)
	if v >= 1 {
		v = math.Nextafter(1, 0)
	}
	return v
}

// uniformInit is DenseMatrix::uniform(a, thread, seed): blocks of size len/10,
// block b drawn from minstd_rand(b + seed) through uniform_real_distribution<double>.
// As in fastText 0.9.2, only blocks 0 to thread-1 are drawn (one per thread; with
// one thread, block 0 alone), the rest of the matrix starts at zero, and the
// remainder past ten blocks is drawn only by an eleventh thread.
func uniformInit(d []float32, a float32, seed int32, threads int) {
	lo, hi := -float64(a), float64(a)
	block := len(d) / 10
	blocks := max(threads, 1)
	for b := 0; b < blocks; b++ {
		var r minstd
		r.seed(int32(b) + seed)
		for i := block * b; i < len(d) && i < block*(b+1); i++ {
			d[i] = float32(r.canonical()*(hi-lo) + lo)
		}
	}
}

// buildPaths is the path and code part of HierarchicalSoftmaxLoss::buildTree.
func (t *trainer) buildPaths() {
	tree := t.m.tree
	osz := int32(t.m.nlabels)
	parent := make([]int32, len(tree))
	binary := make([]bool, len(tree))
	for i := range parent {
		parent[i] = -1
	}
	for i := range tree {
		if tree[i].left >= 0 {
			parent[tree[i].left] = int32(i)
			parent[tree[i].right] = int32(i)
			binary[tree[i].right] = true
		}
	}
	t.paths = make([][]int32, osz)
	t.codes = make([][]bool, osz)
	for i := int32(0); i < osz; i++ {
		for j := i; parent[j] != -1; j = parent[j] {
			t.paths[i] = append(t.paths[i], parent[j]-osz)
			t.codes[i] = append(t.codes[i], binary[j])
		}
	}
}

// negTableSize is NegativeSamplingLoss::NEGATIVE_TABLE_SIZE.
const negTableSize = 10000000

// buildNegatives is the table of fastText 0.9.2's NegativeSamplingLoss
// constructor: label i appears in proportion to pow(count, 0.5), computed in
// float as fastText's real, in label order (0.9.2 does not shuffle it).
func (t *trainer) buildNegatives() {
	m := t.m
	var z float32
	for i := int32(0); i < m.nlabels; i++ {
		z += float32(math.Pow(float64(m.words[m.nwords+i].count), 0.5))
	}
	for i := int32(0); i < m.nlabels; i++ {
		c := float32(math.Pow(float64(m.words[m.nwords+i].count), 0.5))
		for j := 0; float32(j) < c*negTableSize/z; j++ {
			t.negatives = append(t.negatives, i)
		}
	}
}

// negative is NegativeSamplingLoss::getNegative; with a single label it returns the
// target (fastText would loop forever).
func (t *trainer) negative(s *threadState, target int32) int32 {
	if t.m.nlabels < 2 {
		return target
	}
	for {
		n := t.negatives[s.rng.intn(len(t.negatives))]
		if n != target {
			return n
		}
	}
}
