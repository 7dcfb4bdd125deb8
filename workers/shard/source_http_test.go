package shard

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fault is what a faultServer does to some of its requests.
type fault int

const (
	faultNone      fault = iota
	fault429             // 429 with Retry-After: 0
	fault503             // 503
	faultCut             // the body is cut after cutAfter bytes
	faultNoRanges        // every GET is answered 200 with the whole file
	faultAlways503       // every request after the first (HEAD) is 503
	faultStall           // the body stops after cutAfter bytes until the client hangs up
)

const cutAfter = 3000

// faultServer serves one file with http.ServeContent (which does ranges,
// If-Match, If-Unmodified-Since), hurting every nth request with f.
type faultServer struct {
	data     []byte
	path     string
	mod      time.Time
	f        fault
	nth      int64
	etag     atomic.Value // string
	noHEAD   bool
	changeAt int64 // from this request on, the ETag is "v2" (0: never)
	requests atomic.Int64
	mu       sync.Mutex
	ranges   []string // Range headers seen
}

func (s *faultServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	s.mu.Lock()
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	s.mu.Unlock()
	if r.Header.Get("User-Agent") != DefaultUserAgent {
		http.Error(w, "bad user agent", http.StatusBadRequest)
		return
	}
	if s.noHEAD && r.Method == http.MethodHead {
		http.Error(w, "no HEAD", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path != s.path {
		http.NotFound(w, r)
		return
	}
	hit := s.nth > 0 && n%s.nth == 0
	switch {
	case s.f == faultAlways503 && n > 1, s.f == fault503 && hit:
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	case s.f == fault429 && hit:
		w.Header().Set("Retry-After", "0")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case s.f == faultNoRanges && r.Method == http.MethodGet:
		w.Header().Set("Content-Length", strconv.Itoa(len(s.data)))
		w.Write(s.data)
		return
	}
	etag := s.etag.Load().(string)
	if s.changeAt > 0 && n >= s.changeAt {
		etag = strings.Replace(etag, "v1", "v2", 1)
	}
	w.Header().Set("ETag", etag)
	if (s.f == faultCut || s.f == faultStall) && hit {
		w = &cutWriter{ResponseWriter: w, left: cutAfter, stall: s.f == faultStall, done: r.Context().Done()}
	}
	http.ServeContent(w, r, "", s.mod, bytes.NewReader(s.data))
}

// cutWriter aborts the response after left bytes of body.
type cutWriter struct {
	http.ResponseWriter
	left  int
	stall bool            // stall until done rather than cut
	done  <-chan struct{} // the request's end
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if len(p) >= c.left {
		c.ResponseWriter.Write(p[:c.left])
		c.ResponseWriter.(http.Flusher).Flush()
		if c.stall {
			<-c.done
		}
		panic(http.ErrAbortHandler)
	}
	c.left -= len(p)
	return c.ResponseWriter.Write(p)
}

// serveFile starts a loopback server for the file at path.
func serveFile(t testing.TB, path string, f fault, nth int64) (*faultServer, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &faultServer{data: data, mod: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), f: f, nth: nth}
	s.etag.Store(`"v1"`)
	s.path = "/crawl-data/segments/" + filepath.Base(path)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL + s.path
}

// fastHTTP is Options reading URLs with tiny backoffs.
func fastHTTP() Options {
	return Options{Opener: DefaultOpener{HTTP: HTTPOptions{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}}}
}

// sameAsLocal checks that reading rng over the URL gives exactly what
// reading it from the local file gives.
func sameAsLocal(t *testing.T, local Range, url string) {
	t.Helper()
	want := mustReadAll(t, local, Options{})
	got := mustReadAll(t, Range{Path: url, Start: local.Start, End: local.End}, fastHTTP())
	if len(got.recs) != len(want.recs) {
		t.Fatalf("%s %d-%d: %d records over HTTP, %d from the file", url, local.Start, local.End, len(got.recs), len(want.recs))
	}
	for i := range want.recs {
		if !reflect.DeepEqual(got.recs[i], want.recs[i]) {
			t.Fatalf("%s record %d: over HTTP %s@%d, from the file %s@%d", url, i,
				got.recs[i].ID, got.recs[i].Offset, want.recs[i].ID, want.recs[i].Offset)
		}
	}
	if !reflect.DeepEqual(got.counts, want.counts) {
		t.Errorf("%s: counts %+v over HTTP, %+v from the file", url, got.counts, want.counts)
	}
}

func TestHTTPMatchesLocal(t *testing.T) {
	files := []string{
		td + "whirlwind_CC-MAIN-2024-22.warc.gz",
		td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst",
		td + "iawebcommons_link-extraction-test.warc",
		td + "real_web_docs_mixed_head40.jsonl.zst",
	}
	faults := []struct {
		name string
		f    fault
		nth  int64
	}{{"clean", faultNone, 0}, {"429", fault429, 2}, {"503", fault503, 3}, {"cut", faultCut, 2}}
	for _, file := range files {
		for _, fl := range faults {
			t.Run(filepath.Base(file)+"/"+fl.name, func(t *testing.T) {
				s, url := serveFile(t, file, fl.f, fl.nth)
				if len(mustReadAll(t, Whole(file), Options{}).recs) == 0 {
					t.Fatal("no records")
				}
				sameAsLocal(t, Whole(file), url)
				local, err := Split(file, 5000, Options{})
				if err != nil {
					t.Fatal(err)
				}
				remote, err := Split(url, 5000, fastHTTP())
				if err != nil {
					t.Fatal(err)
				}
				if len(local) != len(remote) {
					t.Fatalf("split: %d ranges over HTTP, %d from the file", len(remote), len(local))
				}
				for i := range local {
					if remote[i] != (Range{Path: url, Start: local[i].Start, End: local[i].End}) {
						t.Fatalf("split range %d: %+v over HTTP, %+v from the file", i, remote[i], local[i])
					}
					sameAsLocal(t, local[i], url)
				}
				if fl.f != faultNone && s.requests.Load() < 2 {
					t.Errorf("only %d requests", s.requests.Load())
				}
			})
		}
	}
}

// TestHTTPRequests checks that reading a range costs few requests: a HEAD,
// one ranged read of the head, one stream.
func TestHTTPRequests(t *testing.T) {
	file := td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst"
	ranges, err := Split(file, 20000, Options{})
	if err != nil || len(ranges) < 2 {
		t.Fatalf("split: %v %v", ranges, err)
	}
	s, url := serveFile(t, file, faultNone, 0)
	rng := ranges[1]
	sameAsLocal(t, rng, url)
	s.mu.Lock()
	defer s.mu.Unlock()
	head := "bytes=0-" + strconv.Itoa(min(readAtMin, len(s.data))-1)
	want := []string{"", head, "bytes=" + strconv.FormatInt(rng.Start, 10) + "-"}
	if !reflect.DeepEqual(s.ranges, want) {
		t.Errorf("requests with Range %q, want %q", s.ranges, want)
	}
}

func TestHTTPNoHEAD(t *testing.T) {
	file := td + "whirlwind_CC-MAIN-2024-22.warc.gz"
	s, url := serveFile(t, file, faultNone, 0)
	s.noHEAD = true
	size, err := Stat(context.Background(), url, fastHTTP())
	if err != nil || size != int64(len(s.data)) {
		t.Fatalf("Stat: %d, %v; want %d", size, err, len(s.data))
	}
	sameAsLocal(t, Whole(file), url)
}

func TestHTTPNotFound(t *testing.T) {
	_, url := serveFile(t, td+"whirlwind_CC-MAIN-2024-22.warc.gz", faultNone, 0)
	url += ".missing"
	_, err := Open(context.Background(), Whole(url), fastHTTP())
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.Status != 404 || herr.Attempts != 1 {
		t.Fatalf("got %v, want a 404 HTTPError after 1 attempt", err)
	}
	if !strings.Contains(err.Error(), url) || !strings.Contains(err.Error(), "404") {
		t.Errorf("error %q does not name the URL and the status", err)
	}
	if _, err := Split(url, 1000, fastHTTP()); err == nil || !strings.Contains(err.Error(), url) {
		t.Errorf("Split: %v", err)
	}
}

func TestHTTPChanged(t *testing.T) {
	file := td + "whirlwind_CC-MAIN-2024-22.warc.gz"
	for _, weak := range []bool{false, true} {
		s, url := serveFile(t, file, faultCut, 3)
		if weak { // If-Match does not apply: the ETag comparison must catch it
			s.etag.Store(`W/"v1"`)
		}
		s.changeAt = 4 // HEAD, head block, stream (cut), stream again
		r, err := Open(context.Background(), Whole(url), fastHTTP())
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = r.Next()
		}
		r.Close()
		if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), url) {
			t.Errorf("weak %v: got %v, want ErrChanged naming the URL", weak, err)
		}
	}
}

func TestHTTPAttemptsExhausted(t *testing.T) {
	file := td + "whirlwind_CC-MAIN-2024-22.warc.gz"
	s, url := serveFile(t, file, faultAlways503, 0)
	opts := Options{Opener: DefaultOpener{HTTP: HTTPOptions{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}}}
	_, err := Open(context.Background(), Range{Path: url, Start: 1000, End: -1}, opts)
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.Status != 503 || herr.Attempts != 3 {
		t.Fatalf("got %v, want a 503 HTTPError after 3 attempts", err)
	}
	for _, w := range []string{url, " at 0", "3 attempts", "503"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if got := s.requests.Load(); got != 4 {
		t.Errorf("%d requests, want 4 (HEAD and 3 attempts)", got)
	}
}

func TestHTTPRangeIgnored(t *testing.T) {
	file := td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz"
	_, url := serveFile(t, file, faultNoRanges, 0)
	sameAsLocal(t, Whole(file), url) // from offset 0 a 200 is the stream
	ranges, err := Split(file, 20000, Options{})
	if err != nil || len(ranges) < 2 {
		t.Fatalf("split: %v %v", ranges, err)
	}
	res := readAll(t, Range{Path: url, Start: ranges[1].Start, End: ranges[1].End}, fastHTTP())
	if !errors.Is(res.fatal, errRangeIgnored) || !strings.Contains(res.fatal.Error(), url) {
		t.Errorf("got %v, want errRangeIgnored naming the URL", res.fatal)
	}
}

func TestHTTPCanceled(t *testing.T) {
	_, url := serveFile(t, td+"whirlwind_CC-MAIN-2024-22.warc.gz", faultAlways503, 0)
	ctx, cancel := context.WithCancel(context.Background())
	opts := Options{Opener: DefaultOpener{HTTP: HTTPOptions{BaseDelay: time.Hour, MaxDelay: time.Hour}}}
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := Open(ctx, Range{Path: url, Start: 10, End: -1}, opts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestHTTPStall checks that a body that stops delivering is re-requested.
func TestHTTPStall(t *testing.T) {
	file := td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz"
	s, url := serveFile(t, file, faultStall, 3) // the first stream stalls
	opts := Options{Opener: DefaultOpener{HTTP: HTTPOptions{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
		StallTimeout: 100 * time.Millisecond}}}
	want := mustReadAll(t, Whole(file), Options{})
	got := mustReadAll(t, Whole(url), opts)
	if !reflect.DeepEqual(got.recs, want.recs) {
		t.Errorf("%d records over HTTP, %d from the file", len(got.recs), len(want.recs))
	}
	if n := s.requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (HEAD, head block, stalled stream, resumed stream)", n)
	}
}

// TestHTTPWrongRange checks that a 206 for other bytes than asked is an
// error, not data.
func TestHTTPWrongRange(t *testing.T) {
	file := td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		if r.Method == http.MethodHead {
			return
		}
		w.Header().Set("Content-Range", "bytes 0-"+strconv.Itoa(len(data)-1)+"/"+strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write(data)
	}))
	defer srv.Close()
	ranges, err := Split(file, 20000, Options{})
	if err != nil || len(ranges) < 2 {
		t.Fatalf("split: %v %v", ranges, err)
	}
	url := srv.URL + "/x.warc.gz"
	res := readAll(t, Range{Path: url, Start: ranges[1].Start, End: -1}, fastHTTP())
	if res.fatal == nil || !strings.Contains(res.fatal.Error(), "asked for bytes") || !strings.Contains(res.fatal.Error(), url) {
		t.Errorf("got %v, want an error about the range naming the URL", res.fatal)
	}
}
