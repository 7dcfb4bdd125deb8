package dedup

import (
	"math"
	"testing"
)

// DCLM issue #71: 1e9 n-grams at fp 0.01 need "1.1 GiB" with k = 7.
func TestPlanDCLMIssue71(t *testing.T) {
	p, err := PlanBloom(1e9, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(p)
	gib := float64(p.Bytes) / (1 << 30)
	if p.K != 7 || gib < 1.05 || gib > 1.15 {
		t.Fatalf("plan %v: want about 1.1 GiB and k=7", p)
	}
	if p.BytesPerNgram() > 1.25 {
		t.Fatalf("%.3f bytes per n-gram, goal 1.25", p.BytesPerNgram())
	}
	// Smallest: the formula holds at Bytes and fails one word below.
	if p.FP > 0.01 || FalsePositive(p.Bytes-8, 1e9, OptimalK(p.Bytes-8, 1e9)) <= 0.01 {
		t.Fatalf("plan %v is not the smallest", p)
	}
}

func TestPlanSmallAndErrors(t *testing.T) {
	for _, c := range []struct {
		n  uint64
		fp float64
	}{{1, 0.01}, {1000, 0.01}, {123457, 0.001}, {5e6, 0.05}, {2e12, 0.01}} {
		p, err := PlanBloom(c.n, c.fp)
		if err != nil {
			t.Fatal(err)
		}
		if p.FP > c.fp || p.Bytes%8 != 0 || p.K != OptimalK(p.Bytes, c.n) {
			t.Fatalf("%+v: plan %v", c, p)
		}
		if p.Bytes > 8 {
			if b := p.Bytes - 8; FalsePositive(b, c.n, OptimalK(b, c.n)) <= c.fp {
				t.Fatalf("%+v: %d bytes would do, plan %v", c, b, p)
			}
		}
		if c.n >= 1000 && c.fp == 0.01 && p.BytesPerNgram() > 1.25 {
			t.Fatalf("%+v: %.3f bytes per n-gram", c, p.BytesPerNgram())
		}
	}
	// Issue #99: 2.0e12 n-grams need about 2.4 TB.
	p, _ := PlanBloom(2e12, 0.01)
	if tb := float64(p.Bytes) / 1e12; math.Abs(tb-2.4) > 0.1 {
		t.Fatalf("2e12 n-grams: %.2f TB, want about 2.4", tb)
	}
	for _, fp := range []float64{0, 1, -1, math.NaN()} {
		if _, err := PlanBloom(10, fp); err == nil {
			t.Fatalf("fp %v accepted", fp)
		}
	}
	if _, err := PlanBloom(0, 0.01); err == nil {
		t.Fatal("0 n-grams accepted")
	}
}
