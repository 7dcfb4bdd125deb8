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

// uniformInit is DenseMatrix::uniform(a, thread, seed): ten blocks of size len/10,
// block b drawn from minstd_rand(b + seed) through uniform_real_distribution<double>;
// the remainder past ten blocks stays zero. As in fastText 0.9.2, with one thread only
// block 0 is drawn (its single-thread path calls uniformThread(a, 0, seed) alone) and
// the other 90% of the rows start at zero.
func uniformInit(d []float32, a float32, seed int32, threads int) {
	lo, hi := -float64(a), float64(a)
	block := len(d) / 10
	blocks := 10
	if threads <= 1 {
		blocks = 1
	}
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

// buildNegatives is the NegativeSamplingLoss table: label i appears in proportion to
// sqrt(count), shuffled (Fisher-Yates over minstd_rand, not libstdc++'s std::shuffle).
func (t *trainer) buildNegatives(seed int32) {
	m := t.m
	var z float64
	for i := int32(0); i < m.nlabels; i++ {
		z += math.Sqrt(float64(m.words[m.nwords+i].count))
	}
	for i := int32(0); i < m.nlabels; i++ {
		c := math.Sqrt(float64(m.words[m.nwords+i].count))
		for j := 0; float64(j) < c*negTableSize/z; j++ {
			t.negatives = append(t.negatives, i)
		}
	}
	var r minstd
	r.seed(seed)
	for i := len(t.negatives) - 1; i > 0; i-- {
		j := int(r.next() % uint64(i+1))
		t.negatives[i], t.negatives[j] = t.negatives[j], t.negatives[i]
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
