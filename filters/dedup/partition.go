package dedup

import (
	"fmt"
	"math/bits"
)

const partShift = 48 // a key is partition<<48 | bit position

// Partitioned is a bloom filter split by shingle hash over a fixed number of
// partitions (one per owner): all k bits of a shingle are in the partition
// Owner(h). Its decisions depend on the number of partitions, never on the
// number of workers: keep it fixed for a run and for the runs seeded from it.
type Partitioned struct {
	parts []*Bloom
}

// PlanPartitioned plans n equal partitions for expected n-grams in all.
func PlanPartitioned(expected uint64, fp float64, n int) (Plan, error) {
	if n < 1 || n > 1<<15 {
		return Plan{}, fmt.Errorf("bloom plan: %d partitions", n)
	}
	return PlanBloom((expected+uint64(n)-1)/uint64(n), fp)
}

// NewPartitioned returns n empty partitions of plan p each.
func NewPartitioned(p Plan, n int) (*Partitioned, error) {
	if n < 1 || n > 1<<15 || p.Bytes*8 >= 1<<partShift {
		return nil, fmt.Errorf("partitioned bloom: %d partitions of %d bytes", n, p.Bytes)
	}
	ps := &Partitioned{parts: make([]*Bloom, n)}
	for i := range ps.parts {
		b, err := NewBloom(p)
		if err != nil {
			return nil, err
		}
		ps.parts[i] = b
	}
	return ps, nil
}

// Owner returns the partition of shingle h.
func (p *Partitioned) Owner(h uint64) int {
	hi, _ := bits.Mul64(fmix64(h^0x2545f4914f6cdd1d), uint64(len(p.parts)))
	return int(hi)
}

// Part returns partition i (to snapshot or restore it).
func (p *Partitioned) Part(i int) *Bloom { return p.parts[i] }

// SetPart replaces partition i, e.g. by one read from a snapshot.
func (p *Partitioned) SetPart(i int, b *Bloom) error {
	if b.k != p.parts[i].k || b.m != p.parts[i].m {
		return fmt.Errorf("partition %d: snapshot m=%d k=%d, want m=%d k=%d", i, b.m, b.k, p.parts[i].m, p.parts[i].k)
	}
	p.parts[i] = b
	return nil
}

// K returns the number of bits per shingle.
func (p *Partitioned) K() int { return p.parts[0].k }

// Keys appends the keys of h: its bit positions in its owner's partition.
func (p *Partitioned) Keys(h uint64, dst []uint64) []uint64 {
	o := p.Owner(h)
	n := len(dst)
	dst = p.parts[o].Keys(h, dst)
	for i := n; i < len(dst); i++ {
		dst[i] |= uint64(o) << partShift
	}
	return dst
}

// Has reports whether key is set.
func (p *Partitioned) Has(key uint64) bool {
	return p.parts[key>>partShift].Has(key & (1<<partShift - 1))
}

// Put sets key.
func (p *Partitioned) Put(key uint64) { p.parts[key>>partShift].Put(key & (1<<partShift - 1)) }
