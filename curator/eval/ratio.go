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

// PairedRatioDiff is sum(a)/sum(den) - sum(b)/sum(den) for two statistics
// measured on the same units (two models' bits on the same held-out
// paragraphs), with a paired bootstrap percentile interval: each draw
// resamples the units once and computes both ratios on it, so what the
// units share cancels out. The seeding and quantiles are BootstrapRatio's.
// a, b and den must have the same length.
func PairedRatioDiff(a, b, den []float64, bs Bootstrap) Interval {
	diff := func(sa, sb, sd float64) float64 {
		if sd == 0 {
			return 0
		}
		return (sa - sb) / sd
	}
	var sa, sb, sd float64
	for i := range den {
		sa += a[i]
		sb += b[i]
		sd += den[i]
	}
	value := diff(sa, sb, sd)
	if bs.Samples < 1 || len(den) == 0 {
		return Interval{Value: value, Low: value, High: value}
	}
	rng := newSplitMix(bs.Seed)
	draws := make([]float64, bs.Samples)
	for s := range draws {
		var xa, xb, xd float64
		for range den {
			k := rng.intn(len(den))
			xa += a[k]
			xb += b[k]
			xd += den[k]
		}
		draws[s] = diff(xa, xb, xd)
	}
	return interval(value, draws, bs.Confidence)
}
