package main

import "testing"

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"4096", "64MiB", "1 GiB", "500MB", "2k", "", "-1", "9223372036854775807GiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err == nil && n < 0 {
			t.Errorf("parseSize(%q) = %d", s, n)
		}
	})
}
