package eval

import (
	"math"
	"strings"
	"testing"
)

func pagesOf(labels ...int) []Labelled {
	out := make([]Labelled, len(labels))
	for i, l := range labels {
		out[i] = Labelled{ID: string(rune('a' + i)), Label: l}
	}
	return out
}

func TestAgreementSmall(t *testing.T) {
	// a:1 kept (TP), b:1 dropped (FN), c:0 kept (FP), d:0 dropped (TN), e:1 kept (TP).
	pages := pagesOf(1, 1, 0, 0, 1)
	kept := map[string]bool{"a": true, "c": true, "e": true, "zz": true, "b": false}
	r := Agreement(kept, pages, Bootstrap{Samples: 200, Seed: 1, Confidence: 0.9})
	if r.Pages != 5 || r.Kept != 3 || r.Positives != 3 || r.TruePositive != 2 || r.FalsePositive != 1 ||
		r.FalseNegative != 1 || r.TrueNegative != 1 {
		t.Fatalf("counts %+v", r)
	}
	want := map[string]float64{"precision": 2.0 / 3, "recall": 2.0 / 3, "f1": 2.0 / 3, "accuracy": 3.0 / 5, "kept_share": 3.0 / 5}
	got := map[string]Interval{"precision": r.Precision, "recall": r.Recall, "f1": r.F1, "accuracy": r.Accuracy, "kept_share": r.KeptShare}
	for k, w := range want {
		iv := got[k]
		if math.Abs(iv.Value-w) > 1e-12 {
			t.Errorf("%s = %v, want %v", k, iv.Value, w)
		}
		if !(iv.Low >= 0 && iv.Low <= iv.High && iv.High <= 1) || iv.Low == iv.High {
			t.Errorf("%s interval %+v", k, iv)
		}
	}
	if r.Bootstrap.Samples != 200 {
		t.Errorf("bootstrap parameters not reported: %+v", r.Bootstrap)
	}
}

func TestAgreementEdges(t *testing.T) {
	b := Bootstrap{Samples: 100, Seed: 7, Confidence: 0.95}
	// Nothing kept: precision defined as 0, F1 0, no NaN anywhere.
	r := Agreement(nil, pagesOf(1, 0, 1), b)
	if r.Precision != (Interval{}) || r.Recall != (Interval{}) || r.F1 != (Interval{}) || r.KeptShare != (Interval{}) {
		t.Errorf("nothing kept: %+v", r)
	}
	if math.Abs(r.Accuracy.Value-1.0/3) > 1e-12 {
		t.Errorf("accuracy %v", r.Accuracy)
	}
	// No positives: recall 0; everything kept: precision 0.
	r = Agreement(map[string]bool{"a": true, "b": true}, pagesOf(0, 0), b)
	if r.Recall.Value != 0 || r.Precision.Value != 0 || r.KeptShare.Value != 1 || r.KeptShare.Low != 1 || r.KeptShare.High != 1 {
		t.Errorf("no positives: %+v", r)
	}
	// Perfect agreement: every resample is perfect too (with 40 pages, a
	// resample without a positive, whose precision and recall are 0 by
	// definition, has probability 2^-40).
	labels := make([]int, 40)
	kept := map[string]bool{}
	for i := range labels {
		labels[i] = i % 2
		kept[string(rune('a'+i))] = i%2 == 1
	}
	r = Agreement(kept, pagesOf(labels...), b)
	for _, iv := range []Interval{r.Precision, r.Recall, r.F1, r.Accuracy} {
		if iv != (Interval{1, 1, 1}) {
			t.Errorf("perfect: %+v", iv)
		}
	}
	// On 4 pages, such resamples happen: accuracy stays 1, precision's
	// interval reaches 0.
	r = Agreement(map[string]bool{"a": true, "c": true}, pagesOf(1, 0, 1, 0), b)
	if r.Accuracy != (Interval{1, 1, 1}) || r.Precision.Value != 1 || r.Precision.Low != 0 {
		t.Errorf("perfect on 4 pages: %+v %+v", r.Accuracy, r.Precision)
	}
	// No pages at all, and no bootstrap: degenerate intervals.
	r = Agreement(nil, nil, b)
	if r.Pages != 0 || r.Accuracy != (Interval{}) {
		t.Errorf("no pages: %+v", r)
	}
	r = Agreement(map[string]bool{"a": true}, pagesOf(1, 1), Bootstrap{})
	if r.Accuracy != (Interval{0.5, 0.5, 0.5}) {
		t.Errorf("no samples: %+v", r.Accuracy)
	}
	assertNoNaN(t, Agreement(map[string]bool{"a": true}, pagesOf(0), b))
}

func assertNoNaN(t *testing.T, r AgreementResult) {
	t.Helper()
	for _, iv := range []Interval{r.Precision, r.Recall, r.F1, r.Accuracy, r.KeptShare} {
		for _, v := range []float64{iv.Value, iv.Low, iv.High} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("NaN/Inf in %+v", r)
			}
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.25, 1.75}, {0.5, 2.5}, {0.9, 3.7}, {1, 4}, {-1, 1}, {2, 4}} {
		if got := quantile(xs, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if got := quantile([]float64{5}, 0.3); got != 5 {
		t.Errorf("one value: %v", got)
	}
}

// TestAgreementHuman scores a simple length rule on DCLM's 499 labelled
// pages: counts are recounted by hand, and the bootstrap intervals of the
// two proportions (accuracy, kept share) match the normal approximation's
// width 2*1.96*sqrt(p(1-p)/n) within 25%.
func TestAgreementHuman(t *testing.T) {
	pages := humanPages(t)
	kept := map[string]bool{}
	var tp, fp, fn, tn int
	for _, p := range pages {
		k := len(strings.Fields(p.Text)) >= 300
		kept[p.ID] = k
		switch {
		case k && p.Label == 1:
			tp++
		case k:
			fp++
		case p.Label == 1:
			fn++
		default:
			tn++
		}
	}
	b := Bootstrap{Samples: 1000, Seed: 42, Confidence: 0.95}
	r := Agreement(kept, pages, b)
	if r.TruePositive != tp || r.FalsePositive != fp || r.FalseNegative != fn || r.TrueNegative != tn {
		t.Fatalf("confusion %+v, recount tp %d fp %d fn %d tn %d", r, tp, fp, fn, tn)
	}
	if tp == 0 || fp == 0 || fn == 0 || tn == 0 {
		t.Fatalf("degenerate rule: tp %d fp %d fn %d tn %d", tp, fp, fn, tn)
	}
	p, rec := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	if math.Abs(r.Precision.Value-p) > 1e-12 || math.Abs(r.Recall.Value-rec) > 1e-12 ||
		math.Abs(r.F1.Value-2*p*rec/(p+rec)) > 1e-12 {
		t.Errorf("P %v R %v F1 %v", r.Precision, r.Recall, r.F1)
	}
	n := float64(len(pages))
	for name, iv := range map[string]Interval{"accuracy": r.Accuracy, "kept_share": r.KeptShare} {
		want := 2 * 1.96 * math.Sqrt(iv.Value*(1-iv.Value)/n)
		if w := iv.High - iv.Low; math.Abs(w-want) > 0.25*want {
			t.Errorf("%s interval %+v width %.4f, normal approximation %.4f", name, iv, w, want)
		}
	}
	for _, iv := range []Interval{r.Precision, r.Recall, r.F1, r.Accuracy, r.KeptShare} {
		if !(iv.Low < iv.Value && iv.Value < iv.High) {
			t.Errorf("interval %+v does not straddle its value", iv)
		}
	}
	assertNoNaN(t, r)
	if again := Agreement(kept, pages, b); again != r {
		t.Errorf("not deterministic: %+v vs %+v", again, r)
	}
	b.Seed = 43
	other := Agreement(kept, pages, b)
	if other.Accuracy == r.Accuracy && other.F1 == r.F1 {
		t.Errorf("seed does not change the resamples")
	}
	if math.Abs(other.Accuracy.Low-r.Accuracy.Low) > 0.02 {
		t.Errorf("seeds 42 and 43 disagree too much: %+v %+v", r.Accuracy, other.Accuracy)
	}
}

func TestSplitMixIntn(t *testing.T) {
	// splitmix64 reference values for seed 0 (Vigna's splitmix64.c).
	r := newSplitMix(0)
	for _, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := r.next(); got != want {
			t.Fatalf("next = %#x, want %#x", got, want)
		}
	}
	// intn is uniform: 60,000 draws of 6 values within 4 sigma of 10,000.
	r = newSplitMix(99)
	var n [6]int
	for range 60000 {
		n[r.intn(6)]++
	}
	for v, c := range n {
		if math.Abs(float64(c)-10000) > 4*math.Sqrt(60000*(1.0/6)*(5.0/6)) {
			t.Errorf("value %d drawn %d times", v, c)
		}
	}
}
