package shard

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseContentRange(t *testing.T) {
	for _, c := range []struct {
		in                 string
		first, last, total int64
		ok                 bool
	}{
		{"bytes 0-99/1234", 0, 99, 1234, true},
		{"bytes 100-100/101", 100, 100, 101, true},
		{"bytes 5-9/*", 5, 9, -1, true},
		{"bytes 0-99/99", 0, 0, 0, false}, // last beyond total
		{"bytes 9-5/100", 0, 0, 0, false},
		{"bytes */100", 0, 0, 0, false},
		{"bytes -1-5/100", 0, 0, 0, false},
		{"bytes +1-5/100", 0, 0, 0, false},
		{"items 0-1/2", 0, 0, 0, false},
		{"bytes 0-1/", 0, 0, 0, false},
		{"bytes 0-99999999999999999999/*", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		f, l, tot, err := parseContentRange(c.in)
		if (err == nil) != c.ok || c.ok && (f != c.first || l != c.last || tot != c.total) {
			t.Errorf("%q: %d %d %d %v", c.in, f, l, tot, err)
		}
	}
	if got := parseTotal("bytes */4321"); got != 4321 {
		t.Errorf("parseTotal: %d", got)
	}
	if got := parseTotal("bytes 0-0/*"); got != -1 {
		t.Errorf("parseTotal: %d", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{" 120 ", 2 * time.Minute, true},
		{"99999999999999999999999", time.Duration(1<<31) * time.Second, true},
		{now.Add(90 * time.Second).Format(http1123), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http1123), 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRetryAfter(c.in, now)
		if ok != c.ok || got != c.want {
			t.Errorf("%q: %v %v, want %v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

func TestBackoff(t *testing.T) {
	o := HTTPOptions{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	for attempt := 1; attempt < 100; attempt++ {
		d := o.backoff(attempt)
		full := min(o.BaseDelay<<min(attempt-1, 20), o.MaxDelay)
		if d < full/2 || d > full {
			t.Fatalf("attempt %d: %v not in [%v, %v]", attempt, d, full/2, full)
		}
	}
}

// FuzzContentRange checks that the Content-Range parser never panics and
// that what it accepts is consistent and prints back the same.
func FuzzContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-99/1234", "bytes 5-9/*", "bytes */100", "bytes 1-0/2", "bytes 0-0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, last, total, err := parseContentRange(s)
		_ = parseTotal(s)
		if err != nil {
			return
		}
		if first < 0 || last < first || (total >= 0 && last >= total) || total < -1 {
			t.Fatalf("%q: %d-%d/%d", s, first, last, total)
		}
		tot := "*"
		if total >= 0 {
			tot = strconv.FormatInt(total, 10)
		}
		back := "bytes " + strconv.FormatInt(first, 10) + "-" + strconv.FormatInt(last, 10) + "/" + tot
		if !sameNumbers(s, back) {
			t.Fatalf("%q parsed as %q", s, back)
		}
	})
}

// sameNumbers compares two Content-Range values ignoring leading zeros.
func sameNumbers(a, b string) bool {
	norm := func(s string) string {
		var out strings.Builder
		zero := true
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= '0' && c <= '9' {
				if c == '0' && zero && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
					continue
				}
				zero = false
			} else {
				zero = true
			}
			out.WriteByte(c)
		}
		return out.String()
	}
	return norm(a) == norm(b)
}

// FuzzRetryAfter checks that the Retry-After parser never panics nor gives
// a negative delay.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "x"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("%q: %v %v", s, d, ok)
		}
	})
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{
		"/data/cc/x.warc.gz": "x.warc.gz",
		"x.warc.gz":          "x.warc.gz",
		"https://data.commoncrawl.org/crawl-data/a/b/x.warc.gz":    "x.warc.gz",
		"https://h/x.warc.gz?X-Amz-Signature=abc#frag":             "x.warc.gz",
		"object://shards/CC-MAIN-2024-22/segments/1/x.warc.wet.gz": "x.warc.wet.gz",
		"object://shards/a%zz/x.jsonl":                             "x.jsonl",
		"dir:with/colon://x.warc":                                  "x.warc",
	} {
		if got := baseName(in); got != want {
			t.Errorf("baseName(%q) = %q, want %q", in, got, want)
		}
	}
}
