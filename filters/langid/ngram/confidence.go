package ngram

import (
	"math"
	"math/big"

	"github.com/pemistahl/lingua-go"
	"github.com/shopspring/decimal"
)

// confidences is lingua's computeConfidenceValues on the summed log
// probabilities of the languages in incl. lingua turns each sum into
// exp(sum) as a shopspring decimal (when exp underflows float64: exp(sum/1000)
// by a Taylor series to 25 decimal places, raised to the 1000th power), divides
// each by their total, rounding to 16 decimal places, and converts back.
//
// While the largest sum is >= -700 every exp that matters is a normal
// float64 and a float64 softmax (log-sum-exp, rounded to 16 places) agrees
// with lingua to about 1e-16. Below, lingua's values lose precision
// (subnormal exps, then the 25 places of the Taylor series: ties appear, and
// below about -58600 every value is 0), so the values lingua computes are
// reproduced: the exact decimal of the float exp, or the Taylor decimal,
// whose 1000th power is taken in log space (its logarithm is exact to about
// 1e-13, far below the 16 places kept). Languages more than 100 below the best
// round to 0 in lingua too and are skipped, except where the Taylor path is
// coarse (best below -45000).
func (d *Detector) confidences(s *scratch, dst []Confidence, sums *[numLangs]float64, incl langSet,
	first *[numLangs]float64, firstIncl langSet) []Confidence {
	best, second := math.Inf(-1), math.Inf(-1)
	for l := 0; l < numLangs; l++ {
		if !incl.has(l) {
			continue
		}
		if v := sums[l]; v > best {
			best, second = v, best
		} else if v > second {
			second = v
		}
	}
	var lv [numLangs]float64 // log of lingua's value per language
	switch {
	case best >= -700:
		for l := range lv {
			lv[l] = math.Inf(-1)
			if incl.has(l) {
				lv[l] = sums[l]
			}
		}
	case best > -45000 && second < best-60:
		// lingua's top value exceeds all others by a factor > e^59: 1 and 0s.
		for l := 0; l < numLangs; l++ {
			if incl.has(l) && sums[l] == best {
				return setOne(dst, lingua.Language(l))
			}
		}
	default:
		// Languages further than w below the best get 0 in lingua too.
		w := 60.0
		if mBest := math.Exp(best/1000) * 1e25; mBest < 1e6 {
			w += 2000 / math.Max(1, mBest-1)
		}
		allZero := true
		for l := range lv {
			lv[l] = math.Inf(-1)
			if incl.has(l) && sums[l] >= best-w {
				lv[l] = linguaLogExponent(sums[l])
				allZero = allZero && math.IsInf(lv[l], -1)
			}
		}
		if allZero {
			// lingua: denominator 0, the most likely language of the first
			// n-gram order's map gets 1.
			top, topV := -1, math.Inf(-1)
			for l := 0; l < numLangs; l++ {
				if firstIncl.has(l) && first[l] > topV {
					top, topV = l, first[l]
				}
			}
			if top < 0 {
				return sortConfidences(dst)
			}
			return setOne(dst, lingua.Language(top))
		}
	}
	m := math.Inf(-1)
	for _, v := range lv {
		m = math.Max(m, v)
	}
	var vals [numLangs]float64
	total := 0.0
	for l, v := range lv {
		vals[l] = math.Exp(v - m)
		total += vals[l]
	}
	for i := range dst {
		dst[i].Value = math.Round(vals[dst[i].Language]/total*1e16) / 1e16
	}
	return sortConfidences(dst)
}

// linguaLogExponent is the natural logarithm of lingua's computeExponent
// (-Inf where that is 0). Its decimal arithmetic is needed only where it
// differs from exp(value) by more than 1e-10 relative: for subnormal float64
// exps (the decimal is the shortest representation of a float with few
// significant bits) and for values below -27000, where the Taylor series'
// 25 decimal places leave fewer than 13 significant digits before the 1000th
// power.
func linguaLogExponent(value float64) float64 {
	switch e := math.Exp(value); {
	case e >= 0x1p-1022:
		return value
	case e > 0:
		return decimalLog(decimal.NewFromFloat(e))
	case value >= -27000:
		return value
	}
	t, _ := decimal.NewFromFloat(value / 1000).ExpTaylor(25)
	return 1000 * decimalLog(t)
}

// decimalLog is ln(d) in float64 (-Inf for 0).
func decimalLog(d decimal.Decimal) float64 {
	c := d.Coefficient()
	if c.Sign() <= 0 {
		return math.Inf(-1)
	}
	// ln(c) from c's top 64 bits, exact to float64 rounding.
	shift := c.BitLen() - 64
	if shift < 0 {
		shift = 0
	}
	top := new(big.Int).Rsh(c, uint(shift)).Uint64()
	return math.Log(float64(top)) + float64(shift)*math.Ln2 + float64(d.Exponent())*math.Ln10
}
