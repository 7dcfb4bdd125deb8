package eval

// Jaccard returns |A∩B| / |A∪B| of the sets A and B of ids in a and b
// (repeated ids count once), and 1 when both are empty.
func Jaccard(a, b []string) float64 {
	const inA, inB = 1, 2
	set := make(map[string]uint8, len(a)+len(b))
	for _, id := range a {
		set[id] |= inA
	}
	inter := 0
	for _, id := range b {
		if set[id] == inA {
			inter++
		}
		set[id] |= inB
	}
	if len(set) == 0 {
		return 1
	}
	return float64(inter) / float64(len(set))
}
