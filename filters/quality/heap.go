package quality

// scored is a (log-probability, label index) pair of fastText's prediction heap.
type scored struct {
	score float32
	idx   int32
}

// The heap functions follow libstdc++'s std::push_heap, std::pop_heap and
// std::sort_heap with fastText's comparePairs (l.score > r.score), so that labels
// with equal scores come out in the order fastText prints them.

// less is comparePairs.
func less(a, b scored) bool { return a.score > b.score }

func siftUp(h []scored, hole, top int, v scored) {
	parent := (hole - 1) / 2
	for hole > top && less(h[parent], v) {
		h[hole] = h[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	h[hole] = v
}

// pushHeap is std::push_heap: the last element joins the heap h[:len-1].
func pushHeap(h []scored) {
	n := len(h)
	siftUp(h, n-1, 0, h[n-1])
}

// adjustHeap is std::__adjust_heap.
func adjustHeap(h []scored, hole, n int, v scored) {
	top := hole
	child := hole
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if less(h[child], h[child-1]) {
			child--
		}
		h[hole] = h[child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		h[hole] = h[child-1]
		hole = child - 1
	}
	siftUp(h, hole, top, v)
}

// popHeap is std::pop_heap: the top moves to the end, h[:len-1] stays a heap.
func popHeap(h []scored) {
	n := len(h)
	if n <= 1 {
		return
	}
	v := h[n-1]
	h[n-1] = h[0]
	adjustHeap(h, 0, n-1, v)
}

// sortHeap is std::sort_heap: best score first.
func sortHeap(h []scored) {
	for n := len(h); n > 1; n-- {
		popHeap(h[:n])
	}
}
