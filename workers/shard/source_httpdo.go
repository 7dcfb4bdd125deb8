package shard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrChanged reports a shard that changed while it was being read (its
// ETag, Last-Modified or size differ from when it was opened, or the server
// answered 412 Precondition Failed): reading it on would mix the bytes of
// two versions.
var ErrChanged = errors.New("shard changed while being read")

// errRangeIgnored is a 200 answer to a range request at an offset > 0.
var errRangeIgnored = errors.New("server ignored the Range request (200 instead of 206); it cannot serve a shard from an offset")

// HTTPError is a failed HTTP(S) request for a shard's bytes.
type HTTPError struct {
	Method string
	URL    string
	// Offset is the byte offset the request was for (0 for HEAD).
	Offset int64
	// Status is the last HTTP status code, 0 when there was no response.
	Status int
	// Attempts is the number of requests made; more than one means the
	// failures were retryable and the attempts ran out.
	Attempts int
	// Err is the last error (nil when the status says it all).
	Err error
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s at %d: ", e.Method, e.URL, e.Offset)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "giving up after %d attempts, last: ", e.Attempts)
	}
	switch {
	case e.Status != 0 && e.Err != nil:
		fmt.Fprintf(&b, "status %d %s: %v", e.Status, http.StatusText(e.Status), e.Err)
	case e.Status != 0:
		fmt.Fprintf(&b, "status %d %s", e.Status, http.StatusText(e.Status))
	default:
		fmt.Fprintf(&b, "%v", e.Err)
	}
	return b.String()
}

// Unwrap returns the last error.
func (e *HTTPError) Unwrap() error { return e.Err }

// retryable reports whether an HTTP status is worth retrying.
func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// do sends one request for the bytes [off, end] (end < 0: to the end; off
// < 0: no Range, for HEAD), retrying network errors and retryable statuses
// with backoff. It returns a 2xx response whose validators match the ones
// the file was opened with and, for a range, a 206 with the asked-for
// Content-Range (or a 200 when off is 0).
func (f *httpFile) do(ctx context.Context, method string, off, end int64) (*http.Response, error) {
	herr := &HTTPError{Method: method, URL: f.url, Offset: max(off, 0)}
	for attempt := 1; ; attempt++ {
		herr.Attempts = attempt
		req, err := http.NewRequestWithContext(ctx, method, f.url, nil)
		if err != nil {
			herr.Err = err
			return nil, herr
		}
		req.Header.Set("User-Agent", f.o.UserAgent)
		req.Header.Set("Accept-Encoding", "identity")
		if off >= 0 {
			if end >= 0 {
				req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, end))
			} else {
				req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
			}
		}
		if f.etag != "" && !strings.HasPrefix(f.etag, "W/") {
			req.Header.Set("If-Match", f.etag)
		} else if f.lastMod != "" {
			req.Header.Set("If-Unmodified-Since", f.lastMod)
		}
		var wait time.Duration
		resp, err := f.o.Client.Do(req)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			herr.Status, herr.Err = 0, err
			wait = f.o.backoff(attempt)
		case resp.StatusCode == http.StatusPreconditionFailed:
			discardBody(resp)
			herr.Status, herr.Err = resp.StatusCode, ErrChanged
			return nil, herr
		case retryable(resp.StatusCode):
			discardBody(resp)
			herr.Status, herr.Err = resp.StatusCode, nil
			wait = f.o.backoff(attempt)
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait = min(ra, f.o.MaxDelay)
			}
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			discardBody(resp)
			herr.Status, herr.Err = resp.StatusCode, nil
			return nil, herr
		default:
			if err := f.check(resp, off, end); err != nil {
				discardBody(resp)
				herr.Status, herr.Err = resp.StatusCode, err
				return nil, herr
			}
			return resp, nil
		}
		if attempt >= f.o.MaxAttempts {
			return nil, herr
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// check verifies a 2xx response: same validators as when the file was
// opened, and the range asked for.
func (f *httpFile) check(resp *http.Response, off, end int64) error {
	if et := resp.Header.Get("ETag"); f.etag != "" && et != "" && et != f.etag {
		return fmt.Errorf("%w: ETag %s, was %s", ErrChanged, et, f.etag)
	}
	if lm := resp.Header.Get("Last-Modified"); f.lastMod != "" && lm != "" && lm != f.lastMod {
		return fmt.Errorf("%w: Last-Modified %s, was %s", ErrChanged, lm, f.lastMod)
	}
	if off < 0 {
		return nil
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, last, total, err := parseContentRange(resp.Header.Get("Content-Range"))
		if err != nil {
			return err
		}
		if total >= 0 && f.size >= 0 && total != f.size {
			return fmt.Errorf("%w: size %d, was %d", ErrChanged, total, f.size)
		}
		want := end
		if want < 0 || (f.size >= 0 && want > f.size-1) {
			want = f.size - 1
		}
		if start != off || (want >= 0 && last != want) {
			return fmt.Errorf("asked for bytes %d-%d, got Content-Range %q", off, want, resp.Header.Get("Content-Range"))
		}
	case http.StatusOK:
		if off > 0 {
			return errRangeIgnored
		}
		if f.size >= 0 && resp.ContentLength >= 0 && resp.ContentLength != f.size {
			return fmt.Errorf("%w: size %d, was %d", ErrChanged, resp.ContentLength, f.size)
		}
	default:
		return fmt.Errorf("unexpected status %d to a range request", resp.StatusCode)
	}
	return nil
}

// discardBody drains a little of a response body (so that the connection
// can be reused) and closes it.
func discardBody(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}

// backoff is the delay before attempt+1: BaseDelay doubled per attempt,
// capped at MaxDelay, with equal jitter (half fixed, half random).
func (o HTTPOptions) backoff(attempt int) time.Duration {
	d := o.MaxDelay
	if attempt-1 < 32 {
		if e := o.BaseDelay << (attempt - 1); e > 0 && e < d {
			d = e
		}
	}
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP
// date (RFC 9110 10.2.3). A date in the past is no delay.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > 1<<31 {
			secs = 1 << 31 // absurd: the caller caps it
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// parseContentRange reads a Content-Range header: "bytes FIRST-LAST/TOTAL"
// or "bytes FIRST-LAST/*" (total -1). The unsatisfied form "bytes */TOTAL"
// is an error.
func parseContentRange(v string) (first, last, total int64, err error) {
	bad := func() (int64, int64, int64, error) {
		return 0, 0, 0, fmt.Errorf("bad Content-Range %q", v)
	}
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return bad()
	}
	rng, tot, ok := strings.Cut(rest, "/")
	if !ok {
		return bad()
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok || !isDigits(a) || !isDigits(b) {
		return bad()
	}
	if first, err = strconv.ParseInt(a, 10, 64); err != nil {
		return bad()
	}
	if last, err = strconv.ParseInt(b, 10, 64); err != nil || last < first {
		return bad()
	}
	total = -1
	if tot != "*" {
		if !isDigits(tot) {
			return bad()
		}
		if total, err = strconv.ParseInt(tot, 10, 64); err != nil || last >= total {
			return bad()
		}
	}
	return first, last, total, nil
}

// parseTotal reads the complete length from a Content-Range header of either
// form ("bytes F-L/TOTAL" or "bytes */TOTAL"); -1 when unknown.
func parseTotal(v string) int64 {
	if rest, ok := strings.CutPrefix(v, "bytes */"); ok {
		if isDigits(rest) {
			if n, err := strconv.ParseInt(rest, 10, 64); err == nil {
				return n
			}
		}
		return -1
	}
	_, _, total, err := parseContentRange(v)
	if err != nil {
		return -1
	}
	return total
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
