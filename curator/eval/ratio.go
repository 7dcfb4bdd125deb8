package eval

// BootstrapRatio is the ratio sum(num)/sum(den) of paired per-unit values
// (bits and bytes of held-out paragraphs, say) with a bootstrap percentile
// interval: b.Samples times, len(num) units are drawn with replacement by a
// splitmix64 generator seeded with b.Seed and the ratio is computed on the
// draw; the interval's ends are the (1-c)/2 and (1+c)/2 quantiles of the
// draws, as in Agreement. A sum of den of 0 gives a ratio of 0. num and den
// must have the same length.
func BootstrapRatio(num, den []float64, b Bootstrap) Interval {
	ratio := func(n, d float64) float64 {
		if d == 0 {
			return 0
		}
		return n / d
	}
	var n, d float64
	for i := range num {
		n += num[i]
		d += den[i]
	}
	value := ratio(n, d)
	if b.Samples < 1 || len(num) == 0 {
		return Interval{Value: value, Low: value, High: value}
	}
	rng := newSplitMix(b.Seed)
	draws := make([]float64, b.Samples)
	for s := range draws {
		var sn, sd float64
		for range num {
			k := rng.intn(len(num))
			sn += num[k]
			sd += den[k]
		}
		draws[s] = ratio(sn, sd)
	}
	return interval(value, draws, b.Confidence)
}
