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

func TestPairedRatioDiff(t *testing.T) {
	b := Bootstrap{Samples: 2000, Seed: 3, Confidence: 0.95}
	den := []float64{10, 20, 30, 40, 50, 60}
	a := []float64{10, 60, 60, 160, 75, 210} // 1 to 4 bits per byte
	// b is a shifted by a constant per byte plus noise the units share:
	// the paired interval is narrow and excludes 0; unpaired ones overlap.
	bb := make([]float64, len(a))
	for i := range a {
		bb[i] = a[i] + 0.1*den[i]
	}
	d := PairedRatioDiff(a, bb, den, b)
	if math.Abs(d.Value+0.1) > 1e-12 || math.Abs(d.Low+0.1) > 1e-9 || math.Abs(d.High+0.1) > 1e-9 {
		t.Errorf("a constant difference per byte: %+v", d)
	}
	ia, ib := BootstrapRatio(a, den, b), BootstrapRatio(bb, den, b)
	if !(ia.High > ib.Low) {
		t.Errorf("the unpaired intervals do not overlap (%+v, %+v): the test shows nothing", ia, ib)
	}
	if same := PairedRatioDiff(a, a, den, b); same != (Interval{}) {
		t.Errorf("a against itself: %+v", same)
	}
}
