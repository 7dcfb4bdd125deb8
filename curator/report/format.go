package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Int formats n with thousands separators: 10,073.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Short formats a large count briefly: 9.91 M, 166 k.
func Short(n int64) string {
	f := float64(n)
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.3g G", f/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.3g M", f/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.3g k", f/1e3)
	}
	return Int(n)
}

// Bytes formats a size: 1.2 MB.
func Bytes(n int64) string {
	f := float64(n)
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.3g GiB", f/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MiB", f/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KiB", f/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Pct formats a/b as a percentage, "" when b is 0.
func Pct(a, b int64) string {
	if b == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// IntervalString formats an interval: 0.579 [0.533, 0.623].
func IntervalString(iv Interval) string {
	return fmt.Sprintf("%.3f [%.3f, %.3f]", iv.Value, iv.Low, iv.High)
}
