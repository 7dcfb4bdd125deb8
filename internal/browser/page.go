package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// pollInterval is how often [Page.WaitFor] evaluates its expression.
const pollInterval = 50 * time.Millisecond

// Page is a browser tab that [Browser.Open] made. From the tab's creation on,
// it records the page's errors (see [Page.Errors]). Its methods are safe for
// concurrent use, but actions on one page run in one tab and can interfere
// with each other.
type Page struct {
	b      *Browser
	url    string
	ctx    context.Context // chromedp context of the tab
	cancel context.CancelFunc
	log    errorLog
}

// Open opens url in a new tab and waits for the page's load event. url must
// be a file:// URL or an http(s) URL of a loopback host. The page records
// errors from the start, so the errors of the load are in [Page.Errors]. Open
// fails when the document does not load or its HTTP status is 400 or more.
func (b *Browser) Open(ctx context.Context, url string) (*Page, error) {
	if err := checkURL(url); err != nil {
		return nil, err
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, fmt.Errorf("browser: open %s: browser is closed", url)
	}
	p := &Page{b: b, url: url}
	p.log.requests = map[string]string{}
	p.ctx, p.cancel = chromedp.NewContext(b.ctx, chromedp.WithListener(p.log.event))
	b.pages[p] = struct{}{}
	b.mu.Unlock()

	// The first Run creates the tab and binds it to p.ctx, so it must run on
	// p.ctx itself; ctx bounds the wait from outside.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(p.ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		p.cancel()
		<-done
		err = ctx.Err()
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("browser: open %s: new tab: %w", url, err)
	}

	c, stop := p.bound(ctx)
	resp, err := chromedp.Run(c, chromedp.NavigateResponse(url))
	stop()
	if err != nil {
		p.Close()
		return nil, p.fail(ctx, "open "+url, err)
	}
	if resp != nil && resp.Status >= 400 {
		p.Close()
		return nil, fmt.Errorf("browser: open %s: HTTP status %d %s", url, resp.Status, resp.StatusText)
	}
	return p, nil
}

// Close closes the tab. It is safe to call more than once; [Browser.Close]
// closes the pages that are still open.
func (p *Page) Close() {
	p.cancel()
	p.b.mu.Lock()
	delete(p.b.pages, p)
	p.b.mu.Unlock()
}

// Errors returns the errors the page has had so far, oldest first: console
// messages of level error (console.error, failed console.assert), uncaught
// exceptions and unhandled promise rejections, browser log entries of level
// error, and failed network requests (HTTP status 400 or more, or a request
// that did not complete, e.g. a missing file). The browser's own request for
// /favicon.ico, made for a page that names no icon, does not count. It
// returns nil when there are none.
func (p *Page) Errors() []string {
	return p.log.list()
}

// Eval evaluates the JavaScript expression js in the page, waits for it when
// it is a promise, and decodes its JSON value into out, as json.Unmarshal
// does. out may be nil to ignore the value. A thrown exception is an error.
func (p *Page) Eval(ctx context.Context, js string, out any) error {
	c, stop := p.bound(ctx)
	defer stop()
	raw, err := chromedp.Run(c, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return p.fail(ctx, fmt.Sprintf("eval %q", js), err)
	}
	if out == nil {
		return nil
	}
	if raw == nil {
		return fmt.Errorf("browser: eval %q: the value is undefined or not serializable", js)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("browser: eval %q: decoding %.200s: %w", js, raw, err)
	}
	return nil
}

// WaitFor evaluates the JavaScript expression js every 50ms until its value
// is truthy, or until ctx is done. The error names the expression, and the
// last evaluation error if there was one (an exception does not stop the
// wait: the page may still be loading).
func (p *Page) WaitFor(ctx context.Context, js string) error {
	expr := "!!(" + js + "\n)"
	var last error
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		var ok bool
		err := p.Eval(ctx, expr, &ok)
		switch {
		case err == nil && ok:
			return nil
		case err != nil && ctx.Err() == nil: // not the cut-off evaluation
			last = err
		case err == nil:
			last = nil
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("browser: wait for `%s` on %s: %w (last evaluation: %v)", js, p.url, ctx.Err(), last)
			}
			return fmt.Errorf("browser: wait for `%s` on %s: %w (still false)", js, p.url, ctx.Err())
		case <-t.C:
		}
	}
}

// Click waits until the first element that matches the CSS selector is
// visible, and clicks its center with the mouse.
func (p *Page) Click(ctx context.Context, selector string) error {
	c, stop := p.bound(ctx)
	defer stop()
	if err := chromedp.Do(c, chromedp.Click(chromedp.CSS(selector))); err != nil {
		return p.fail(ctx, fmt.Sprintf("click %q", selector), err)
	}
	return nil
}

// Screenshot writes a PNG screenshot of the page to path: the whole page
// when fullPage is true, else the viewport, which is the 1280x900 window less
// its frame (1280x813 with Chromium 156).
func (p *Page) Screenshot(ctx context.Context, path string, fullPage bool) error {
	c, stop := p.bound(ctx)
	defer stop()
	shot := chromedp.CaptureScreenshot()
	if fullPage {
		shot = chromedp.FullScreenshot(100) // quality 100 means PNG
	}
	data, err := chromedp.Run(c, shot)
	if err != nil {
		return p.fail(ctx, "screenshot", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("browser: screenshot %s: %w", p.url, err)
	}
	return nil
}

// bound returns a context for one action on the tab: a child of the tab's
// chromedp context that also ends when ctx ends. A child context that ends
// stops the action only, not the tab.
func (p *Page) bound(ctx context.Context) (context.Context, func()) {
	c, cancel := context.WithCancel(p.ctx)
	if d, ok := ctx.Deadline(); ok {
		var cancelD context.CancelFunc
		c, cancelD = context.WithDeadline(c, d)
		prev := cancel
		cancel = func() { cancelD(); prev() }
	}
	stopAfter := context.AfterFunc(ctx, cancel)
	return c, func() { stopAfter(); cancel() }
}

// fail wraps err of the action what, adding ctx's error when ctx is done so
// that errors.Is finds context.DeadlineExceeded or context.Canceled.
func (p *Page) fail(ctx context.Context, what string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("browser: %s on %s: %w (%v)", what, p.url, cerr, err)
	}
	return fmt.Errorf("browser: %s on %s: %w", what, p.url, err)
}

// errorLog collects a page's errors from the events of its tab.
type errorLog struct {
	mu       sync.Mutex
	errs     []string
	requests map[string]string // network request id -> URL, while in flight
}

// add records one error.
func (l *errorLog) add(format string, args ...any) {
	l.mu.Lock()
	l.errs = append(l.errs, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

// list returns a copy of the errors.
func (l *errorLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) == 0 {
		return nil
	}
	return append([]string(nil), l.errs...)
}

// trimStack cuts the stack trace off an exception's description.
func trimStack(s string) string {
	s, _, _ = strings.Cut(s, "\n    at ")
	return strings.TrimSpace(s)
}
