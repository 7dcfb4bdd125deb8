package eval

import (
	"math"
	"sort"
)

// Bootstrap are the parameters of a bootstrap percentile interval.
type Bootstrap struct {
	// Samples is the number of resamples (1000).
	Samples int `json:"samples"`
	// Seed seeds the resampling generator (splitmix64).
	Seed uint64 `json:"seed"`
	// Confidence is the interval's nominal coverage (0.95).
	Confidence float64 `json:"confidence"`
}

// Interval is a statistic with a bootstrap percentile interval.
type Interval struct {
	// Value is the statistic on the full sample.
	Value float64 `json:"value"`
	// Low and High are the (1-c)/2 and (1+c)/2 quantiles of the statistic
	// over the bootstrap resamples. A percentile interval need not contain
	// Value, though it almost always does.
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// AgreementResult compares a recipe's decisions on the human-labelled pages
// with the labels: a kept page is a predicted positive, a page labelled 1
// an actual positive.
type AgreementResult struct {
	// Pages is the number of labelled pages; Kept of them were kept and
	// Positives are labelled 1.
	Pages     int `json:"pages"`
	Kept      int `json:"kept"`
	Positives int `json:"positives"`
	// The confusion matrix.
	TruePositive  int `json:"true_positive"`
	FalsePositive int `json:"false_positive"`
	FalseNegative int `json:"false_negative"`
	TrueNegative  int `json:"true_negative"`
	// Precision is TP/(TP+FP), defined as 0 when nothing is kept.
	Precision Interval `json:"precision"`
	// Recall is TP/(TP+FN), defined as 0 when no page is labelled 1.
	Recall Interval `json:"recall"`
	// F1 is 2PR/(P+R), defined as 0 when P+R is 0.
	F1 Interval `json:"f1"`
	// Accuracy is (TP+TN)/Pages, 0 for no pages.
	Accuracy Interval `json:"accuracy"`
	// KeptShare is Kept/Pages, 0 for no pages.
	KeptShare Interval `json:"kept_share"`
	// Bootstrap holds the parameters the intervals were computed with.
	Bootstrap Bootstrap `json:"bootstrap"`
}

// Agreement scores the kept set against the labels of pages: kept[p.ID]
// true means the recipe kept page p; ids of kept not among pages are
// ignored. Each statistic comes with a bootstrap percentile interval: b.Samples
// times, len(pages) pages are drawn with replacement by a splitmix64
// generator seeded with b.Seed, the statistics are computed on the draw,
// and the interval's ends are the (1-c)/2 and (1+c)/2 quantiles of the
// draws (linear interpolation between order statistics, numpy's default).
// The ratio definitions above keep every value NaN-free; they hold for the
// resamples too, so on very few pages a resample without kept pages pulls
// the precision interval down to 0. With b.Samples < 1
// the interval is [Value, Value]; a confidence outside (0, 1) is clamped to
// the range of the draws. The same inputs give the same result.
func Agreement(kept map[string]bool, pages []Labelled, b Bootstrap) AgreementResult {
	// cell: bit 1 = kept, bit 0 = labelled 1.
	cells := make([]uint8, len(pages))
	var c confusion
	for i, p := range pages {
		var k uint8
		if kept[p.ID] {
			k = 2
		}
		if p.Label == 1 {
			k |= 1
		}
		cells[i] = k
		c[k]++
	}
	r := AgreementResult{
		Pages: len(pages), Kept: c[2] + c[3], Positives: c[1] + c[3],
		TruePositive: c[3], FalsePositive: c[2], FalseNegative: c[1], TrueNegative: c[0],
		Bootstrap: b,
	}
	v := c.stats()
	var draws [5][]float64
	if b.Samples >= 1 && len(pages) > 0 {
		for k := range draws {
			draws[k] = make([]float64, b.Samples)
		}
		rng := newSplitMix(b.Seed)
		for s := 0; s < b.Samples; s++ {
			var d confusion
			for range pages {
				d[cells[rng.intn(len(cells))]]++
			}
			st := d.stats()
			for k := range draws {
				draws[k][s] = st[k]
			}
		}
	}
	out := [5]*Interval{&r.Precision, &r.Recall, &r.F1, &r.Accuracy, &r.KeptShare}
	for k, iv := range out {
		*iv = interval(v[k], draws[k], b.Confidence)
	}
	return r
}

// confusion counts pages by cell: [TN, FN, FP, TP].
type confusion [4]int

// stats returns precision, recall, F1, accuracy and kept share.
func (c confusion) stats() [5]float64 {
	tn, fn, fp, tp := float64(c[0]), float64(c[1]), float64(c[2]), float64(c[3])
	n := tn + fn + fp + tp
	var p, r, f1, acc, share float64
	if tp+fp > 0 {
		p = tp / (tp + fp)
	}
	if tp+fn > 0 {
		r = tp / (tp + fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	if n > 0 {
		acc = (tp + tn) / n
		share = (tp + fp) / n
	}
	return [5]float64{p, r, f1, acc, share}
}

// interval builds the percentile interval of draws around value.
func interval(value float64, draws []float64, confidence float64) Interval {
	if len(draws) == 0 {
		return Interval{Value: value, Low: value, High: value}
	}
	sort.Float64s(draws)
	return Interval{
		Value: value,
		Low:   quantile(draws, (1-confidence)/2),
		High:  quantile(draws, (1+confidence)/2),
	}
}

// quantile returns the q-quantile of sorted xs (q clamped to [0, 1]),
// interpolating linearly between the order statistics (numpy's "linear").
func quantile(xs []float64, q float64) float64 {
	q = math.Max(0, math.Min(1, q))
	h := float64(len(xs)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}
