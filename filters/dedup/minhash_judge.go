package dedup

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// minhashJudge clusters the documents of one group (a filters.Clusterer).
// Observe records every band of every document as (band key, document
// index), by bucket; the first Judge sorts each bucket's records, unites
// each document with the next one of equal key (the connected components
// are datatrove's clusters: every pair sharing a bucket is united), and
// then keeps a document only if it is its cluster's root, the smallest
// index.
//
// datatrove (MinhashDedupCluster) keeps the union-find root its pair files
// happen to produce (union_set[parent(b)] = parent(a), over the .dups
// files in listing order), which is usually but not always the cluster's
// smallest (file, document); here it is always the first in canonical
// order, which makes the result independent of the order of unions.
//
// Memory: 12 bytes per band record (num_buckets per document with a
// signature) and 4 bytes of parent per document: 172 bytes per document
// at FineWeb's 14 bands, plus the slack of growing slices (measured: 199
// bytes per document over 1M documents, BenchmarkMinHashJudge).
type minhashJudge struct {
	buckets int
	recs    [][]bandRec // by bucket
	parent  []uint32
	n       int  // documents observed
	next    int  // next document to judge
	settled bool // records clustered
	keys    []uint64
}

// bandRec is one band of one document: the band key in two halves, so
// that the record packs in 12 bytes, and the document's index.
type bandRec struct{ hi, lo, doc uint32 }

func (r bandRec) key() uint64 { return uint64(r.hi)<<32 | uint64(r.lo) }

// Observe implements filters.Clusterer.
func (j *minhashJudge) Observe(fp []byte) error {
	if j.settled {
		return fmt.Errorf("minhash judge: Observe after Judge")
	}
	if j.n >= math.MaxUint32 {
		return fmt.Errorf("minhash judge: more than %d documents in one group (use group_size)", uint32(math.MaxUint32))
	}
	var err error
	if j.keys, err = ReadBandKeys(fp, j.buckets, j.keys); err != nil {
		return fmt.Errorf("document %d: %w", j.n, err)
	}
	if j.recs == nil {
		j.recs = make([][]bandRec, j.buckets)
	}
	for bi, k := range j.keys {
		j.recs[bi] = append(j.recs[bi], bandRec{hi: uint32(k >> 32), lo: uint32(k), doc: uint32(j.n)})
	}
	j.n++
	return nil
}

func (j *minhashJudge) find(x uint32) uint32 {
	p := j.parent
	for p[x] != x {
		p[x] = p[p[x]] // path halving
		x = p[x]
	}
	return x
}

// settle clusters the observed documents.
func (j *minhashJudge) settle() {
	j.settled = true
	j.parent = make([]uint32, j.n)
	for i := range j.parent {
		j.parent[i] = uint32(i)
	}
	// The buckets are sorted in parallel, by key only: the clusters, and
	// the root kept (the smallest index), do not depend on the order of
	// the unions.
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, recs := range j.recs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			slices.SortFunc(recs, func(a, b bandRec) int { return cmp.Compare(a.key(), b.key()) })
		}()
	}
	wg.Wait()
	for bi, recs := range j.recs {
		for i := 1; i < len(recs); i++ {
			a, b := recs[i-1], recs[i]
			if a.hi != b.hi || a.lo != b.lo {
				continue
			}
			ra, rb := j.find(a.doc), j.find(b.doc)
			if ra < rb {
				j.parent[rb] = ra
			} else if rb < ra {
				j.parent[ra] = rb
			}
		}
		j.recs[bi] = nil // freed bucket by bucket
	}
	j.recs = nil
}

// Judge implements filters.Judge: 1 for a document that is not the first
// of its cluster.
func (j *minhashJudge) Judge(fp, dst []byte) ([]byte, error) {
	if !j.settled {
		j.settle()
	}
	if j.next >= j.n {
		return dst, fmt.Errorf("minhash judge: document %d judged, %d observed", j.next, j.n)
	}
	var err error
	if j.keys, err = ReadBandKeys(fp, j.buckets, j.keys); err != nil {
		return dst, fmt.Errorf("document %d: %w", j.next, err)
	}
	i := uint32(j.next)
	j.next++
	if j.find(i) != i {
		return append(dst, 1), nil
	}
	return append(dst, 0), nil
}
