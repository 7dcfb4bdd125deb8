package browser

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeouts are generous: Chromium starts slowly under -race on 2 cores.
const (
	startTimeout = 30 * time.Second
	testTimeout  = 30 * time.Second
)

// shared is the browser that the tests share, started by the first test that
// needs it and closed by TestMain.
var shared struct {
	once sync.Once
	b    *Browser
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.b != nil {
		shared.b.Close()
	}
	os.Exit(code)
}

// sharedBrowser returns the shared browser, or ends the test as ForTest says
// when there is no Chromium.
func sharedBrowser(t *testing.T) *Browser {
	t.Helper()
	exe := ForTest(t)
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		start := time.Now()
		shared.b, shared.err = Start(ctx, exe)
		t.Logf("Start took %v", time.Since(start))
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.b
}

// pages are the documents of the test server.
var pages = map[string]string{
	"/clean.html": `<!doctype html><html><head><title>clean</title>
<link rel="stylesheet" href="/style.css"></head>
<body><button id="b">press</button><p id="out">waiting</p>
<script src="/app.js"></script></body></html>`,
	"/style.css": `body { font-family: sans-serif; } #out { color: green; }`,
	"/app.js": `window.appLoaded = true;
document.getElementById("b").addEventListener("click", () => {
  setTimeout(() => { document.getElementById("out").textContent = "clicked"; }, 20);
});`,
	"/console.html": `<!doctype html><html><head></head><body>
<script>console.log("not an error"); console.warn("not an error either");
console.error("bad thing", 42);</script></body></html>`,
	"/throw.html": `<!doctype html><html><head></head><body>
<script>function f() { throw new Error("boom from the page"); } f();</script>
<script>window.afterThrow = true;</script></body></html>`,
	"/reject.html": `<!doctype html><html><head></head><body>
<script>Promise.reject(new TypeError("rejected promise"));</script></body></html>`,
	"/missing.html": `<!doctype html><html><head></head><body>
<img src="/nope.png" alt=""></body></html>`,
	"/badicon.html": `<!doctype html><html><head><link rel="icon" href="/missing-icon.png"></head><body>
<p>the icon is missing</p></body></html>`,
	"/late.html": `<!doctype html><html><body>
<script>setTimeout(() => console.error("late error"), 50);</script></body></html>`,
	"/tall.html": `<!doctype html><html><head></head>
<body style="margin:0"><div style="height:2000px;background:linear-gradient(red,blue)"></div></body></html>`,
}

// server serves pages on 127.0.0.1; other paths are 404.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch filepath.Ext(r.URL.Path) {
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// open opens a page of the shared browser, closed at the end of the test.
func open(ctx context.Context, t *testing.T, url string) *Page {
	t.Helper()
	p, err := sharedBrowser(t).Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// hasError reports whether one of errs contains all of the parts.
func hasError(errs []string, parts ...string) bool {
	for _, e := range errs {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(e, p)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestErrors(t *testing.T) {
	srv := server(t)
	cases := []struct {
		path  string
		wants [][]string // each: parts of one expected error
	}{
		{"/clean.html", nil},
		{"/console.html", [][]string{{"console.error", "bad thing 42", "/console.html"}}},
		{"/throw.html", [][]string{{"exception", "Uncaught Error: boom from the page", "/throw.html"}}},
		{"/reject.html", [][]string{{"exception", "rejected promise"}}},
		{"/missing.html", [][]string{{"network", "/nope.png", "404"}}},
		{"/badicon.html", [][]string{{"network", "/missing-icon.png", "404"}}},
		{"/late.html", [][]string{{"console.error", "late error"}}},
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(c.path[1:], ".html"), func(t *testing.T) {
			t.Parallel() // each page is a tab of its own
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			p := open(ctx, t, srv.URL+c.path)
			// Let late events (e.g. the image's 404) arrive.
			if err := p.WaitFor(ctx, `document.readyState === "complete"`); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			errs := p.Errors()
			t.Logf("Errors() = %q", errs)
			if len(errs) != len(c.wants) {
				t.Errorf("got %d errors %q, want %d", len(errs), errs, len(c.wants))
			}
			for _, w := range c.wants {
				if !hasError(errs, w...) {
					t.Errorf("no error with %q in %q", w, errs)
				}
			}
		})
	}
}

func TestClickWaitFor(t *testing.T) {
	srv := server(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p := open(ctx, t, srv.URL+"/clean.html")
	var before string
	if err := p.Eval(ctx, `document.getElementById("out").textContent`, &before); err != nil {
		t.Fatal(err)
	}
	if before != "waiting" {
		t.Fatalf("text before the click = %q", before)
	}
	if err := p.Click(ctx, "#b"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.getElementById("out").textContent === "clicked"`); err != nil {
		t.Fatal(err)
	}
	if errs := p.Errors(); errs != nil {
		t.Errorf("Errors() = %q, want none", errs)
	}
}

func TestWaitForTimeout(t *testing.T) {
	srv := server(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p := open(ctx, t, srv.URL+"/clean.html")

	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort()
	expr := `document.getElementById("out").textContent === "never"`
	err := p.WaitFor(short, expr)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), expr) {
		t.Errorf("WaitFor = %v, want a deadline error that names the expression", err)
	}

	short2, cancelShort2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort2()
	err = p.WaitFor(short2, `noSuchVariable > 1`)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "noSuchVariable") {
		t.Errorf("WaitFor = %v, want a deadline error that names the expression", err)
	}

	short3, cancelShort3 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort3()
	if err := p.Click(short3, "#no-such-element"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Click on a missing element = %v, want a deadline error", err)
	}

	// The page still works after the timeouts.
	var ok bool
	if err := p.Eval(ctx, `window.appLoaded === true`, &ok); err != nil || !ok {
		t.Errorf("Eval after the timeouts = %v, %v", ok, err)
	}
}

func TestEval(t *testing.T) {
	srv := server(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p := open(ctx, t, srv.URL+"/clean.html")

	var n int
	if err := p.Eval(ctx, `6 * 7`, &n); err != nil || n != 42 {
		t.Errorf("Eval int = %d, %v", n, err)
	}
	var f float64
	if err := p.Eval(ctx, `1 / 8`, &f); err != nil || f != 0.125 {
		t.Errorf("Eval float = %v, %v", f, err)
	}
	var s string
	if err := p.Eval(ctx, `document.title + "-" + "é"`, &s); err != nil || s != "clean-é" {
		t.Errorf("Eval string = %q, %v", s, err)
	}
	var obj struct {
		Name  string   `json:"name"`
		Count int      `json:"count"`
		Tags  []string `json:"tags"`
		Inner struct {
			OK bool `json:"ok"`
		} `json:"inner"`
	}
	if err := p.Eval(ctx, `({name: "x", count: document.querySelectorAll("button").length, tags: ["a", "b"], inner: {ok: true}})`, &obj); err != nil {
		t.Fatal(err)
	}
	if obj.Name != "x" || obj.Count != 1 || len(obj.Tags) != 2 || obj.Tags[1] != "b" || !obj.Inner.OK {
		t.Errorf("Eval object = %+v", obj)
	}
	var m map[string]any
	if err := p.Eval(ctx, `({a: 1, b: "two", c: null})`, &m); err != nil || m["a"] != 1.0 || m["b"] != "two" || m["c"] != nil {
		t.Errorf("Eval map = %v, %v", m, err)
	}
	var fromPromise int
	if err := p.Eval(ctx, `new Promise(r => setTimeout(() => r(5), 10))`, &fromPromise); err != nil || fromPromise != 5 {
		t.Errorf("Eval promise = %d, %v", fromPromise, err)
	}
	if err := p.Eval(ctx, `window.sideEffect = 1`, nil); err != nil {
		t.Errorf("Eval with nil out: %v", err)
	}
	if err := p.Eval(ctx, `(() => { throw new Error("thrown in eval") })()`, &n); err == nil || !strings.Contains(err.Error(), "thrown in eval") {
		t.Errorf("Eval of a throw = %v, want the exception", err)
	}
	if err := p.Eval(ctx, `undefined`, &n); err == nil {
		t.Error("Eval of undefined into an int: no error")
	}
	if err := p.Eval(ctx, `"text"`, &n); err == nil {
		t.Error("Eval of a string into an int: no error")
	}
}

func TestFilePage(t *testing.T) {
	dir := t.TempDir()
	html := `<!doctype html><html><head><title>offline</title></head><body>
<table id="t"><tr><td>1</td></tr><tr><td>2</td></tr></table>
<script>window.rows = document.querySelectorAll("#t tr").length;</script></body></html>`
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.html")
	if err := os.WriteFile(bad, []byte(`<!doctype html><img src="missing.png"><script>console.error("from file")</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	p := open(ctx, t, "file://"+path)
	var rows int
	if err := p.Eval(ctx, `window.rows`, &rows); err != nil || rows != 2 {
		t.Errorf("rows = %d, %v", rows, err)
	}
	if errs := p.Errors(); errs != nil {
		t.Errorf("Errors() = %q, want none", errs)
	}

	q := open(ctx, t, "file://"+bad)
	if err := q.WaitFor(ctx, `document.readyState === "complete"`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	errs := q.Errors()
	t.Logf("Errors() = %q", errs)
	if !hasError(errs, "console.error", "from file") || !hasError(errs, "network", "missing.png") || len(errs) != 2 {
		t.Errorf("Errors() = %q, want the console error and the missing image", errs)
	}
}

func TestScreenshot(t *testing.T) {
	srv := server(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p := open(ctx, t, srv.URL+"/tall.html")
	dir := t.TempDir()
	for _, c := range []struct {
		full          bool
		width, height int // minimum height for the full page
	}{
		{false, windowWidth, windowHeight},
		{true, windowWidth, 2000},
	} {
		path := filepath.Join(dir, fmt.Sprintf("shot-%v.png", c.full))
		if err := p.Screenshot(ctx, path, c.full); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("full=%v: %v", c.full, err)
		}
		b := img.Bounds()
		t.Logf("full=%v: %dx%d", c.full, b.Dx(), b.Dy())
		if c.full && (b.Dx() < c.width-20 || b.Dx() > c.width || b.Dy() != c.height) {
			t.Errorf("full page screenshot is %dx%d, want about %dx%d", b.Dx(), b.Dy(), c.width, c.height)
		}
		if !c.full && (b.Dx() < c.width-20 || b.Dx() > c.width || b.Dy() > c.height || b.Dy() < c.height-200) {
			t.Errorf("viewport screenshot is %dx%d, want about %dx%d", b.Dx(), b.Dy(), c.width, c.height)
		}
		// The page is a red-to-blue gradient: the top is red.
		r, g, bl, _ := img.At(10, 2).RGBA()
		if r>>8 < 200 || g>>8 > 60 || bl>>8 > 60 {
			t.Errorf("full=%v: pixel (10,2) = %d,%d,%d, want red", c.full, r>>8, g>>8, bl>>8)
		}
	}
}

func TestOpenRejects(t *testing.T) {
	srv := server(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	b := sharedBrowser(t)
	for _, u := range []string{"http://example.com/", "https://10.0.0.1/x", "ftp://127.0.0.1/", "javascript:alert(1)"} {
		if _, err := b.Open(ctx, u); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Open(%q) = %v, want a loopback error", u, err)
		}
	}
	if _, err := b.Open(ctx, srv.URL+"/no-such-page.html"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Open of a 404 page = %v, want an error with the status", err)
	}
	if _, err := b.Open(ctx, "file:///no/such/file.html"); err == nil {
		t.Error("Open of a missing file: no error")
	}
	b.mu.Lock()
	n := len(b.pages)
	b.mu.Unlock()
	if n != 0 {
		// The other tests close their pages when they end, and they do not
		// run in parallel with this one.
		t.Errorf("%d pages open after failed Opens, want 0", n)
	}
}
