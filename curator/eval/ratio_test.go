package eval

import (
	"math"
	"testing"
)

func TestBootstrapRatio(t *testing.T) {
	b := Bootstrap{Samples: 2000, Seed: 7, Confidence: 0.95}
	// Equal ratios in every unit: every draw has the same ratio.
	iv := BootstrapRatio([]float64{2, 4, 6}, []float64{1, 2, 3}, b)
	if iv.Value != 2 || math.Abs(iv.Low-2) > 1e-12 || math.Abs(iv.High-2) > 1e-12 {
		t.Errorf("constant ratio: %+v", iv)
	}
	// Different ratios: the interval holds the value and is not a point;
	// the same seed gives the same interval.
	num := []float64{1, 5, 2, 8, 3, 9, 4}
	den := []float64{2, 3, 2, 4, 3, 3, 4}
	iv = BootstrapRatio(num, den, b)
	if math.Abs(iv.Value-32.0/21) > 1e-12 || !(iv.Low < iv.Value && iv.Value < iv.High) {
		t.Errorf("ratio: %+v", iv)
	}
	if again := BootstrapRatio(num, den, b); again != iv {
		t.Errorf("not deterministic: %+v then %+v", iv, again)
	}
	if iv := BootstrapRatio(nil, nil, b); iv != (Interval{}) {
		t.Errorf("no units: %+v", iv)
	}
}
