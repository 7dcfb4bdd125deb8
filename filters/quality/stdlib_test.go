package quality

import (
	"fmt"
	"testing"
)

// The expected values below were printed by a C++ program built with g++ 12.2 and
// libstdc++ 12 (Debian bookworm, the toolchain of Debian's fastText 0.9.2 package):
// std::unordered_map<int32_t,int32_t> iteration, std::shuffle over minstd_rand(1234)
// and uniform_int_distribution<unsigned long>(0, 5e9) over minstd_rand(7).

func fnvInts(v []int32) uint32 {
	h := uint32(fnvOffset)
	for _, x := range v {
		for b := 0; b < 4; b++ {
			h = (h ^ uint32(byte(x>>(8*b)))) * fnvPrime
		}
	}
	return h
}

func TestUnorderedOrder(t *testing.T) {
	for _, c := range []struct {
		n     int
		first string
		fnv   uint32
	}{
		{5, "[4 3 2 1 0]", 3681308689},
		{40, "[39 38 30 29 12 11 10 9 8 7 25 6]", 224105957},
		{1000, "[999 998 988 987 986 976 975 974 973 963 962 961]", 4193178049},
		{5000, "[4988 4975 4950 4937 4925 4912 4887 4874 4849 4836 4811 4786]", 3084713801},
	} {
		keys := make([]int32, c.n)
		for i := range keys {
			keys[i] = int32((int64(i)*7919 + 13) % 100003)
		}
		order := unorderedOrder(keys)
		if got := fmt.Sprint(order[:min(c.n, 12)]); got != c.first || fnvInts(order) != c.fnv {
			t.Errorf("n=%d: order starts %s (fnv %d), libstdc++ %s (fnv %d)", c.n, got, fnvInts(order), c.first, c.fnv)
		}
	}
}

func TestStdShuffle(t *testing.T) {
	for _, c := range []struct {
		n     int
		first string
		fnv   uint32
		next  uint64
	}{
		{2, "[1 0]", 1048580676, 148423250},
		{7, "[2 4 5 1 3 0 6]", 757052626, 1031150829},
		{10, "[8 3 0 5 6 9 4 2]", 4244364740, 1077924644},
		{257, "[32 142 55 231 35 168 228 5]", 3876988894, 2096134744},
		{46341, "[23875 23141 17297 40694 14099 44494 18686 19512]", 39567002, 1710445837},
		{70000, "[40628 4136 20500 10119 36809 2318 26660 8750]", 2919556549, 859406010},
	} {
		var r minstd
		r.seed(1234)
		p := iota32(c.n)
		stdShuffle(p, &r)
		stdShuffle(p, &r)
		got := fmt.Sprint(p[:min(c.n, 8)])
		if next := r.next(); got != c.first || fnvInts(p) != c.fnv || next != c.next {
			t.Errorf("n=%d: %s (fnv %d, next draw %d), libstdc++ %s (fnv %d, next %d)", c.n, got, fnvInts(p), next, c.first, c.fnv, c.next)
		}
	}
	var r minstd
	r.seed(7)
	var got []uint64
	for range 4 {
		got = append(got, r.uniform(5000000000))
	}
	if want := "[1278240557 518142576 4998973425 3835531886]"; fmt.Sprint(got) != want {
		t.Errorf("uniform(0, 5e9) upscaling: %v, libstdc++ %s", got, want)
	}
}
