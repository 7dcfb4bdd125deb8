package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/internal/httpapi"
)

// dashboardPage is the live dashboard: one self-contained page (inline CSS
// and JS, no external resource) that polls /live.json.
//
//go:embed dashboard/index.html
var dashboardPage []byte

// defaultDashboardHTTP is where `curator run` serves its dashboard unless
// told otherwise: a free port of this machine only.
const defaultDashboardHTTP = "127.0.0.1:0"

// dashboardFlags are the dashboard flags of `curator run`.
type dashboardFlags struct {
	http   httpFlags
	linger time.Duration
}

// registerDashboard registers --http, --http-token and --linger.
func registerDashboard(fs *flag.FlagSet) *dashboardFlags {
	f := &dashboardFlags{}
	fs.StringVar(&f.http.addr, "http", defaultDashboardHTTP,
		"serve the live dashboard (/ and /live.json) on `addr`ess (empty: off; port 0: a free one); an address beyond loopback needs --http-token")
	fs.StringVar(&f.http.token, "http-token", "", "bearer token /live.json requires (better: $"+httpapi.EnvToken+"); the browser gives it as …/#token=TOKEN")
	fs.DurationVar(&f.linger, "linger", 0, "keep serving the dashboard this long after the run ended (an interrupt cuts it short)")
	return f
}

// dashboard serves a run's live view while it goes.
type dashboard struct {
	c      atomic.Pointer[coordinator.Coordinator]
	srv    *httpServer
	url    string
	linger time.Duration
	// stop (the run's context ending) and drain (a first interrupt) cut
	// the linger short.
	stop, drain <-chan struct{}
	cancel      context.CancelFunc
	say         func(msg string)
}

// startDashboard starts serving the dashboard of the run cfg describes,
// as f says, and says its address: on a terminal as a line above the
// progress bar, else as a log line (text or JSON, whatever the log level).
// It sets cfg.Planned to learn the run's coordinator. It returns a nil
// dashboard, ready to close, when the flags turn it off.
func startDashboard(ctx context.Context, f *dashboardFlags, drain <-chan struct{}, cfg *coordinator.LocalConfig,
	log *slog.Logger, bar *progressBar) (*dashboard, error) {
	if f == nil || f.http.addr == "" {
		return nil, nil
	}
	d := &dashboard{linger: f.linger, stop: ctx.Done(), drain: drain}
	d.say = func(msg string) {
		if bar != nil {
			fmt.Fprintln(bar, msg)
			return
		}
		// Through the handler, which serializes the writes to stderr.
		r := slog.NewRecord(time.Now(), slog.LevelInfo, msg, 0)
		r.AddAttrs(slog.String("url", d.url))
		_ = log.Handler().Handle(context.Background(), r)
	}
	sctx, cancel := context.WithCancel(context.Background())
	srv, err := serveWith(sctx, &f.http, log, d.handler)
	if err != nil {
		cancel()
		return nil, err
	}
	d.srv, d.cancel = srv, cancel
	d.url = "http://" + srv.addr() + "/"
	cfg.Planned = func(c *coordinator.Coordinator) { d.c.Store(c) }
	msg := "dashboard: " + d.url
	if httpToken(&f.http) != "" {
		msg += " (give the token in the address: " + d.url + "#token=TOKEN)"
	}
	d.say(msg)
	return d, nil
}

// handler routes GET / to the page and the rest, behind the token, to
// /healthz and /live.json.
func (d *dashboard) handler(token string) http.Handler {
	api := httpapi.Mux(nil, nil)
	api.HandleFunc("GET /live.json", d.serveLive)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", serveDashboardPage)
	mux.Handle("/", httpapi.Auth(token, api))
	return mux
}

// serveDashboardPage serves the page, forbidding it any resource but its
// own inline style and script and /live.json.
func serveDashboardPage(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:")
	_, _ = w.Write(dashboardPage)
}

// serveLive serves the run's Live snapshot as JSON; before the run's tasks
// are planned, a snapshot saying "starting".
func (d *dashboard) serveLive(w http.ResponseWriter, _ *http.Request) {
	l := coordinator.Live{Status: coordinator.LiveStarting, Workers: []coordinator.LiveWorker{},
		Failed: []coordinator.LiveFailure{}, Recipes: []coordinator.LiveRecipe{}, Now: float64(time.Now().UnixNano()) / 1e9}
	if c := d.c.Load(); c != nil {
		l = c.Live()
	}
	writeLive(w, l)
}

// writeLive answers with a run's live view as JSON.
func writeLive(w http.ResponseWriter, l coordinator.Live) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(l)
}

// close keeps serving for the linger time (cut short by an interrupt),
// then stops the server. The run must have ended.
func (d *dashboard) close() {
	if d == nil {
		return
	}
	if d.linger > 0 {
		d.say(fmt.Sprintf("dashboard: still serving %s for %s", d.url, d.linger))
		drain := d.drain
		select {
		case <-drain:
			drain = nil // drained during the run: only a second interrupt ends the wait
		default:
		}
		select {
		case <-time.After(d.linger):
		case <-d.stop:
		case <-drain:
		}
	}
	d.cancel()
	d.srv.wait()
}
