package shard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// HTTPOptions configures reading shards from HTTP(S) URLs. The zero value
// gives the defaults.
type HTTPOptions struct {
	// Client sends the requests; nil is a client with connection and
	// response-header timeouts but no overall timeout (a shard is streamed).
	Client *http.Client
	// MaxAttempts bounds the requests made for one read (and the
	// reconnections of a stream that makes no progress); 0 means 8.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt, doubled for each
	// further one; 0 means 500ms.
	BaseDelay time.Duration
	// MaxDelay caps a backoff and a server's Retry-After; 0 means 30s.
	MaxDelay time.Duration
	// UserAgent is sent with every request; "" means DefaultUserAgent.
	UserAgent string
	// StallTimeout is how long a response body may deliver nothing before
	// the stream is dropped and re-requested; 0 means 2 minutes.
	StallTimeout time.Duration
}

// DefaultUserAgent is the User-Agent of shard requests.
const DefaultUserAgent = "curator-shard-reader (+https://github.com/curator-dev/curator)"

var defaultClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	ForceAttemptHTTP2:     true,
	MaxIdleConnsPerHost:   16,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   15 * time.Second,
	ResponseHeaderTimeout: 60 * time.Second,
	ExpectContinueTimeout: time.Second,
}}

func (o HTTPOptions) withDefaults() HTTPOptions {
	if o.Client == nil {
		o.Client = defaultClient
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 500 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = 2 * time.Minute
	}
	return o
}

// readAtMin is the least a ReadAt fetches; the block is kept, so that the
// small reads at the head of a shard (dictionary frame, magic bytes) cost
// one request.
const readAtMin = 64 << 10

// httpFile reads a URL with range requests. Sequential reads stream one GET
// from the current offset, re-issued from where it broke; ReadAt issues a
// bounded range GET. Every request carries the validators (ETag or
// Last-Modified) seen when the file was opened, so that a changed object is
// an error (ErrChanged) rather than mixed bytes. A server that answers a
// range request at an offset > 0 with the whole object (200) is an error:
// the bytes are not discarded, since for a large shard that would mean
// downloading everything before the range.
type httpFile struct {
	ctx     context.Context
	url     string
	o       HTTPOptions
	size    int64
	etag    string
	lastMod string

	pos    int64
	body   io.ReadCloser
	cancel context.CancelFunc
	stall  *time.Timer
	breaks int // consecutive broken streams without progress
	closed bool

	mu       sync.Mutex // guards the ReadAt block
	cache    []byte
	cacheOff int64
}

// OpenHTTP opens an http:// or https:// URL as a File. Its size comes from a
// HEAD request, or from a one-byte range GET when HEAD is refused or gives
// no length. ctx bounds every request the File makes.
func OpenHTTP(ctx context.Context, url string, o HTTPOptions) (File, error) {
	f := &httpFile{ctx: ctx, url: url, o: o.withDefaults(), size: -1}
	resp, err := f.do(ctx, http.MethodHead, -1, -1)
	var herr *HTTPError
	switch {
	case err == nil && resp.ContentLength >= 0:
		resp.Body.Close()
		f.size = resp.ContentLength
		f.etag, f.lastMod = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		return f, nil
	case err == nil:
		resp.Body.Close()
	case errors.As(err, &herr) && (herr.Status == http.StatusMethodNotAllowed ||
		herr.Status == http.StatusNotImplemented || herr.Status == http.StatusForbidden):
	default:
		return nil, err
	}
	resp, err = f.do(ctx, http.MethodGet, 0, 0)
	if err != nil {
		return nil, err
	}
	defer discardBody(resp)
	f.etag, f.lastMod = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode == http.StatusOK {
		f.size = resp.ContentLength
	} else {
		f.size = parseTotal(resp.Header.Get("Content-Range"))
	}
	if f.size < 0 {
		return nil, &HTTPError{Method: http.MethodGet, URL: url, Status: resp.StatusCode, Attempts: 1,
			Err: errors.New("the server does not tell the size")}
	}
	return f, nil
}

func (f *httpFile) Size() int64 { return f.size }

var errClosed = errors.New("read after Close")

// Read streams from the current offset.
func (f *httpFile) Read(p []byte) (int, error) {
	if f.closed {
		return 0, errClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if f.pos >= f.size {
			f.closeBody()
			return 0, io.EOF
		}
		if f.body == nil {
			if err := f.openStream(); err != nil {
				return 0, err
			}
		}
		// The stall timer runs only while a Read waits: a caller busy
		// between Reads is no stall.
		f.stall.Reset(f.o.StallTimeout)
		n, err := f.body.Read(p)
		f.stall.Stop()
		f.pos += int64(n)
		if n > 0 {
			f.breaks = 0
		}
		if err == nil {
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err == io.EOF && f.pos >= f.size {
			f.closeBody()
			if n > 0 {
				return n, nil
			}
			return 0, io.EOF
		}
		// The stream broke (an error, or an end before the size): drop it
		// and resume from f.pos.
		f.closeBody()
		if cerr := f.ctx.Err(); cerr != nil {
			return n, cerr
		}
		if n > 0 {
			return n, nil
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		f.breaks++
		if f.breaks >= f.o.MaxAttempts {
			return 0, &HTTPError{Method: http.MethodGet, URL: f.url, Offset: f.pos, Attempts: f.breaks,
				Err: fmt.Errorf("response body: %w", err)}
		}
		if err := sleep(f.ctx, f.o.backoff(f.breaks)); err != nil {
			return 0, err
		}
	}
}

// openStream starts a GET from f.pos to the end.
func (f *httpFile) openStream() error {
	ctx, cancel := context.WithCancel(f.ctx)
	resp, err := f.do(ctx, http.MethodGet, f.pos, -1)
	if err != nil {
		cancel()
		return err
	}
	f.body, f.cancel = resp.Body, cancel
	f.stall = time.AfterFunc(time.Hour, cancel)
	f.stall.Stop()
	return nil
}

func (f *httpFile) closeBody() {
	if f.body == nil {
		return
	}
	f.stall.Stop()
	f.body.Close()
	f.cancel()
	f.body, f.cancel, f.stall = nil, nil, nil
}

// Seek moves the sequential offset; the stream is re-requested from there
// at the next Read.
func (f *httpFile) Seek(offset int64, whence int) (int64, error) {
	abs, err := SeekOffset(f.url, f.pos, f.size, offset, whence)
	if err != nil {
		return 0, err
	}
	if abs != f.pos {
		f.closeBody()
		f.pos = abs
	}
	return abs, nil
}

// ReadAt reads len(p) bytes at off with a range GET (at least readAtMin
// bytes, kept for the next small ReadAt).
func (f *httpFile) ReadAt(p []byte, off int64) (int, error) {
	if f.closed {
		return 0, errClosed
	}
	if off < 0 {
		return 0, fmt.Errorf("%s: ReadAt at negative offset %d", f.url, off)
	}
	if off >= f.size {
		return 0, io.EOF
	}
	var eof error
	if rest := f.size - off; int64(len(p)) > rest {
		p, eof = p[:rest], io.EOF
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if off >= f.cacheOff && off+int64(len(p)) <= f.cacheOff+int64(len(f.cache)) {
		return copy(p, f.cache[off-f.cacheOff:]), eof
	}
	if len(p) >= readAtMin {
		if err := f.fetch(p, off); err != nil {
			return 0, err
		}
		return len(p), eof
	}
	buf := make([]byte, min(readAtMin, f.size-off))
	if err := f.fetch(buf, off); err != nil {
		return 0, err
	}
	f.cache, f.cacheOff = buf, off
	return copy(p, buf), eof
}

// fetch fills buf with the bytes at off, resuming a broken response.
func (f *httpFile) fetch(buf []byte, off int64) error {
	got, breaks := 0, 0
	for got < len(buf) {
		at := off + int64(got)
		resp, err := f.do(f.ctx, http.MethodGet, at, off+int64(len(buf))-1)
		if err != nil {
			return err
		}
		n, err := io.ReadFull(resp.Body, buf[got:])
		resp.Body.Close()
		got += n
		if err == nil {
			break
		}
		if cerr := f.ctx.Err(); cerr != nil {
			return cerr
		}
		if n > 0 {
			breaks = 0
			continue
		}
		breaks++
		if breaks >= f.o.MaxAttempts {
			return &HTTPError{Method: http.MethodGet, URL: f.url, Offset: at, Attempts: breaks,
				Err: fmt.Errorf("response body: %w", err)}
		}
		if err := sleep(f.ctx, f.o.backoff(breaks)); err != nil {
			return err
		}
	}
	return nil
}

// Close drops the stream.
func (f *httpFile) Close() error {
	f.closeBody()
	f.closed = true
	return nil
}
