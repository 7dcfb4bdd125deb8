// Package browser drives Debian's headless Chromium for the end-to-end tests
// of curator's web pages: the static report.html and the live dashboard that
// the coordinator serves on 127.0.0.1.
//
// It is a thin layer over github.com/chromedp/chromedp. The browser talks to
// the program through a pipe (--remote-debugging-pipe), so it opens no
// debugging port, and [Browser.Open] accepts only file:// URLs and http(s)
// URLs of a loopback host. Every call is bounded by its context.
//
// A typical test:
//
//	exe := browser.ForTest(t)
//	b, err := browser.Start(ctx, exe)
//	...
//	defer b.Close()
//	p, err := b.Open(ctx, srv.URL+"/dashboard")
//	...
//	if err := p.WaitFor(ctx, `document.querySelectorAll("tr").length > 1`); err != nil { ... }
//	if errs := p.Errors(); len(errs) > 0 { t.Errorf("page errors: %q", errs) }
package browser

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvChromium names the environment variable that, when set, gives the
// Chromium binary (a path or a name on PATH) that [Find] returns.
const EnvChromium = "CURATOR_CHROMIUM"

// candidates are the names [Find] looks for on PATH, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome"}

// Window size of the browser, in CSS pixels.
const (
	windowWidth  = 1280
	windowHeight = 900
)

// closeTimeout bounds the graceful shutdown of the browser in [Browser.Close].
const closeTimeout = 10 * time.Second

// Find returns the path of the Chromium binary: the value of the environment
// variable CURATOR_CHROMIUM when it is set, else the first of chromium,
// chromium-browser and google-chrome found on PATH. The error says what to
// install when there is none.
func Find() (string, error) {
	if v := os.Getenv(EnvChromium); v != "" {
		p, err := exec.LookPath(v)
		if err != nil {
			return "", fmt.Errorf("browser: %s=%q is not an executable: %w", EnvChromium, v, err)
		}
		return p, nil
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("browser: no Chromium found (looked for %s on PATH, and %s is not set): "+
		"install Debian's chromium package (apt-get install chromium) or set %s to the browser binary",
		strings.Join(candidates, ", "), EnvChromium, EnvChromium)
}

// Browser is a running headless Chromium with a temporary profile. Make one
// with [Start] and stop it with [Browser.Close]. Its methods are safe for
// concurrent use; each [Page] is a tab of its own.
type Browser struct {
	dataDir string // the temporary --user-data-dir, removed by Close

	rootCancel  context.CancelFunc // cancels every context below; does not wait
	allocCancel context.CancelFunc // stops the process and waits for it
	ctx         context.Context    // chromedp context of the browser's first tab
	cancel      context.CancelFunc // chromedp's: call once, it waits for the process

	mu     sync.Mutex
	pages  map[*Page]struct{}
	closed bool
}

// Start launches the headless Chromium exe (see [Find]) with a fresh
// temporary profile directory and a 1280x900 window, and waits until it
// answers. ctx bounds the start only: the browser runs until Close. The flags
// are the ones this project needs when it runs as root on a machine without
// network: --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
// --disable-background-networking --disable-component-update --disable-sync.
func Start(ctx context.Context, exe string) (*Browser, error) {
	if exe == "" {
		return nil, errors.New("browser: start: empty executable path")
	}
	dir, err := os.MkdirTemp("", "curator-chromium-")
	if err != nil {
		return nil, fmt.Errorf("browser: start: profile directory: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(windowWidth, windowHeight),
		chromedp.UserDataDir(dir),
	}
	// The browser must outlive ctx, which bounds the start only, so its
	// contexts hang from a background context; Close cancels them.
	root, rootCancel := context.WithCancel(context.Background())
	actx, acancel := chromedp.NewExecAllocator(root, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &Browser{dataDir: dir, rootCancel: rootCancel, allocCancel: acancel, ctx: bctx, cancel: bcancel,
		pages: map[*Page]struct{}{}}

	// The first Run starts the process and binds it to bctx, so it must run
	// on bctx itself; ctx bounds the wait from outside.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(bctx) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		// Not bcancel: it waits for a process, and stop calls it.
		rootCancel()
		<-done
		err = ctx.Err()
	}
	if err != nil {
		b.stop()
		return nil, fmt.Errorf("browser: start %s: %w", exe, err)
	}
	return b, nil
}

// Close closes every open page, stops the browser and removes its temporary
// profile directory. It is safe to call more than once.
func (b *Browser) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	pages := make([]*Page, 0, len(b.pages))
	for p := range b.pages {
		pages = append(pages, p)
	}
	b.mu.Unlock()
	for _, p := range pages {
		p.Close()
	}
	// A graceful close lets Chromium stop its helper processes; the
	// cancellations below kill whatever is left and wait for the process.
	ctx, cancel := context.WithTimeout(b.ctx, closeTimeout)
	_ = chromedp.Cancel(ctx)
	cancel()
	b.stop()
}

// stop cancels the browser's contexts, which kills the process and waits for
// it, then removes the profile directory. It must run once: chromedp's cancel
// funcs of a browser context are not idempotent.
func (b *Browser) stop() {
	b.cancel()
	b.allocCancel()
	b.rootCancel()
	// Chromium's helpers can write into the profile for a moment after the
	// main process exits: retry for a short while.
	for i := 0; i < 20; i++ {
		if err := os.RemoveAll(b.dataDir); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkURL reports an error unless u is a file:// URL, about:blank, or an
// http(s) URL whose host is a loopback address or localhost.
func checkURL(u string) error {
	pu, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("browser: bad URL %q: %w", u, err)
	}
	switch pu.Scheme {
	case "file":
		return nil
	case "about":
		if pu.Opaque == "blank" {
			return nil
		}
	case "http", "https":
		host := pu.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("browser: URL %q is not a file:// or loopback http(s) URL", u)
}
