package metrics

import (
	"math"
	"strconv"
)

// maxExactInt is the largest magnitude below which every integral float64
// is written as a plain integer (2^53: all integers up to it are exact).
const maxExactInt = 1 << 53

// appendFloat appends f as Prometheus writes sample values: +Inf, -Inf,
// NaN, integral values up to 2^53 without a decimal point or exponent, and
// anything else in Go's shortest round-tripping form.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	case f == math.Trunc(f) && math.Abs(f) <= maxExactInt:
		return strconv.AppendInt(b, int64(f), 10)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// appendEscapedLabelValue appends v with backslash, double quote and
// newline escaped, as the format requires inside a quoted label value.
func appendEscapedLabelValue(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendEscapedHelp appends a help text with backslash and newline
// escaped, as the format requires on a # HELP line. The caller has made s
// valid UTF-8.
func appendEscapedHelp(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendSample appends one sample line: name+suffix, the labels (names[i]
// = values[i], then extraName = extraValue if extraName is not empty) and
// the value.
func appendSample(b []byte, name, suffix string, names, values []string, extraName, extraValue string, v float64) []byte {
	b = append(b, name...)
	b = append(b, suffix...)
	if len(names) > 0 || extraName != "" {
		b = append(b, '{')
		for i, n := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendLabel(b, n, values[i])
		}
		if extraName != "" {
			if len(names) > 0 {
				b = append(b, ',')
			}
			b = appendLabel(b, extraName, extraValue)
		}
		b = append(b, '}')
	}
	b = append(b, ' ')
	b = appendFloat(b, v)
	return append(b, '\n')
}

// appendLabel appends name="escaped value".
func appendLabel(b []byte, name, value string) []byte {
	b = append(b, name...)
	b = append(b, `="`...)
	b = appendEscapedLabelValue(b, value)
	return append(b, '"')
}
