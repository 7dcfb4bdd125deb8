package quality

import "math"

// expf reproduces glibc's expf (the Arm optimized-routines algorithm glibc uses on
// x86-64 since 2.28), which fastText calls through std::exp(float): x = k/32 + r,
// 2^(k/32) from a 32-entry table and a degree-3 polynomial, all in binary64, then one
// rounding to float. A correctly rounded exp differs from it in the last bit now and
// then, which shows in the sixth printed digit. The algorithm and its constants are
// those of Arm's optimized-routines (licensed MIT OR Apache-2.0 WITH LLVM-exception),
// which glibc adopted; the table entries are 2^(i/32), facts rather than code.
func expf(x float32) float32 {
	if b := math.Float32bits(x) & 0x7fffffff; b >= 0x42ae0000 { // |x| >= 87, inf, nan
		return float32(math.Exp(float64(x)))
	}
	const (
		invLn2N = 0x1.71547652b82fep+0 * 32
		shift   = 0x1.8p+52
		c0      = 0x1.c6af84b912394p-5 / 32 / 32 / 32
		c1      = 0x1.ebfce50fac4f3p-3 / 32 / 32
		c2      = 0x1.62e42ff0c52d6p-1 / 32
	)
	// Explicit float64 conversions keep every operation a separate rounding (no FMA).
	z := float64(invLn2N * float64(x))
	kd := float64(z + shift)
	ki := math.Float64bits(kd)
	kd = float64(kd - shift)
	r := float64(z - kd)
	s := math.Float64frombits(exp2fTable[ki%32] + ki<<47)
	p := float64(float64(c0*r) + c1)
	r2 := float64(r * r)
	y := float64(float64(c2*r) + 1)
	y = float64(float64(p*r2) + y)
	return float32(y * s)
}

// exp2fTable holds 2^(i/32) as binary64 words minus i<<47 (glibc's __exp2f_data.tab).
var exp2fTable = [32]uint64{
	0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
	0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
	0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
	0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
	0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
	0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
	0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
	0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
}
