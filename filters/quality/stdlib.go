package quality

// Reproductions of the libstdc++ (GCC 12, the compiler of Debian's fastText 0.9.2
// build) algorithms whose exact behaviour shows in quantized models: std::shuffle and
// uniform_int_distribution over minstd_rand, and the iteration order of
// std::unordered_map<int32_t, int32_t>.

// minstdRange is minstd_rand's max() - min().
const minstdRange = minstdM - 2

// uniform is uniform_int_distribution<unsigned long>(0, urange) over minstd_rand
// (downscaling by rejection, or upscaling through a recursive draw).
func (r *minstd) uniform(urange uint64) uint64 {
	switch {
	case urange < minstdRange:
		uerange := urange + 1
		scaling := minstdRange / uerange
		past := uerange * scaling
		for {
			if v := r.next() - 1; v < past {
				return v / scaling
			}
		}
	case urange > minstdRange:
		const uerngrange = minstdRange + 1
		for {
			tmp := uerngrange * r.uniform(urange/uerngrange)
			ret := tmp + (r.next() - 1)
			if ret <= urange && ret >= tmp {
				return ret
			}
		}
	}
	return r.next() - 1
}

// stdShuffle is std::shuffle(p.begin(), p.end(), minstd_rand&): when the generator's
// range covers len(p)^2, positions are drawn two at a time from one number.
func stdShuffle(p []int32, r *minstd) {
	n := uint64(len(p))
	if n == 0 {
		return
	}
	if minstdRange/n >= n {
		i := uint64(1)
		if n%2 == 0 {
			j := r.uniform(1)
			p[i], p[j] = p[j], p[i]
			i++
		}
		for i != n {
			swapRange := i + 1
			x := r.uniform(swapRange*(swapRange+1) - 1)
			a, b := x/(swapRange+1), x%(swapRange+1)
			p[i], p[a] = p[a], p[i]
			i++
			p[i], p[b] = p[b], p[i]
			i++
		}
		return
	}
	for i := uint64(1); i < n; i++ {
		j := r.uniform(i)
		p[i], p[j] = p[j], p[i]
	}
}

// unorderedBuckets are the bucket counts libstdc++'s prime rehash policy moves through
// as a default-constructed unordered_map grows one insertion at a time (max load
// factor 1): 13 at the first insertion, then the next listed prime >= twice the
// count when the count of elements would exceed it.
var unorderedBuckets = []uint64{13, 29, 59, 127, 257, 541, 1109, 2357, 5087, 10273, 20753,
	42043, 85229, 172933, 351061, 712697, 1447153, 2938679, 5967347, 12117689, 24607243,
	49969847, 101473717, 206062531, 418451333, 849749479, 1725587117, 3504151727}

// unorderedOrder returns the order in which a std::unordered_map<int32_t, int32_t>
// iterates distinct keys inserted one after another into an empty map: a singly linked
// list where a node goes first in its bucket, or at the head of the list when its
// bucket is empty, and rehashing relinks the nodes in list order.
func unorderedOrder(keys []int32) []int32 {
	const empty, beforeBegin = -1, -2
	next := make([]int32, len(keys))
	head := int32(-1)
	var buckets []int32
	nb := uint64(1)
	bucketOf := func(i int32) uint64 { return uint64(int64(keys[i])) % nb }
	link := func(before, x int32) { // x after before
		if before == beforeBegin {
			next[x], head = head, x
		} else {
			next[x], next[before] = next[before], x
		}
	}
	level := 0
	for i := range keys {
		if i == 0 || uint64(i)+1 > nb {
			nb = unorderedBuckets[level]
			level++
			buckets = make([]int32, nb)
			for b := range buckets {
				buckets[b] = empty
			}
			p := head
			head = -1
			bbegin := uint64(0)
			for p >= 0 {
				nx := next[p]
				b := bucketOf(p)
				if buckets[b] == empty {
					next[p], head = head, p
					buckets[b] = beforeBegin
					if next[p] >= 0 {
						buckets[bbegin] = p
					}
					bbegin = b
				} else {
					link(buckets[b], p)
				}
				p = nx
			}
		}
		x := int32(i)
		b := bucketOf(x)
		if buckets[b] != empty {
			link(buckets[b], x)
			continue
		}
		next[x], head = head, x
		if next[x] >= 0 {
			buckets[bucketOf(next[x])] = x
		}
		buckets[b] = beforeBegin
	}
	order := make([]int32, 0, len(keys))
	for p := head; p >= 0; p = next[p] {
		order = append(order, p)
	}
	return order
}
