package quality

import "math/bits"

// stdSort is libstdc++'s std::sort (introsort: median-of-three pivot, unguarded
// partition, heapsort past 2*log2(n) levels, final insertion sort in runs of 16). It
// is not stable; it reproduces the order fastText gives entries that compare equal.
func stdSort[T any](s []T, less func(a, b *T) bool) {
	if len(s) < 2 {
		return
	}
	introsortLoop(s, 0, len(s), 2*(bits.Len(uint(len(s)))-1), less)
	if len(s) > 16 {
		insertionSort(s, 0, 16, less)
		for i := 16; i < len(s); i++ {
			linearInsert(s, i, less)
		}
	} else {
		insertionSort(s, 0, len(s), less)
	}
}

func introsortLoop[T any](s []T, first, last, depth int, less func(a, b *T) bool) {
	for last-first > 16 {
		if depth == 0 {
			heapSortStd(s[first:last], less)
			return
		}
		depth--
		mid := first + (last-first)/2
		moveMedianToFirst(s, first, first+1, mid, last-1, less)
		cut := unguardedPartition(s, first+1, last, first, less)
		introsortLoop(s, cut, last, depth, less)
		last = cut
	}
}

func moveMedianToFirst[T any](s []T, result, a, b, c int, less func(a, b *T) bool) {
	var m int
	switch {
	case less(&s[a], &s[b]):
		switch {
		case less(&s[b], &s[c]):
			m = b
		case less(&s[a], &s[c]):
			m = c
		default:
			m = a
		}
	case less(&s[a], &s[c]):
		m = a
	case less(&s[b], &s[c]):
		m = c
	default:
		m = b
	}
	s[result], s[m] = s[m], s[result]
}

func unguardedPartition[T any](s []T, first, last, pivot int, less func(a, b *T) bool) int {
	for {
		for less(&s[first], &s[pivot]) {
			first++
		}
		last--
		for less(&s[pivot], &s[last]) {
			last--
		}
		if first >= last {
			return first
		}
		s[first], s[last] = s[last], s[first]
		first++
	}
}

func insertionSort[T any](s []T, first, last int, less func(a, b *T) bool) {
	for i := first + 1; i < last; i++ {
		if less(&s[i], &s[first]) {
			v := s[i]
			copy(s[first+1:i+1], s[first:i])
			s[first] = v
		} else {
			linearInsert(s, i, less)
		}
	}
}

func linearInsert[T any](s []T, last int, less func(a, b *T) bool) {
	v := s[last]
	next := last - 1
	for less(&v, &s[next]) {
		s[last] = s[next]
		last = next
		next--
	}
	s[last] = v
}

// heapSortStd is std::make_heap followed by std::sort_heap.
func heapSortStd[T any](s []T, less func(a, b *T) bool) {
	n := len(s)
	for parent := (n - 2) / 2; parent >= 0; parent-- {
		adjustHeapStd(s, parent, n, s[parent], less)
	}
	for last := n - 1; last > 0; last-- {
		v := s[last]
		s[last] = s[0]
		adjustHeapStd(s, 0, last, v, less)
	}
}

func adjustHeapStd[T any](s []T, hole, n int, v T, less func(a, b *T) bool) {
	top, child := hole, hole
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if less(&s[child], &s[child-1]) {
			child--
		}
		s[hole] = s[child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		s[hole] = s[child-1]
		hole = child - 1
	}
	parent := (hole - 1) / 2
	for hole > top && less(&s[parent], &v) {
		s[hole] = s[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	s[hole] = v
}
