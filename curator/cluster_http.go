package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/internal/httpapi"
	"github.com/curator-dev/curator/internal/metrics"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/encoding/protojson"
)

// defaultCoordinatorHTTP is where the coordinator serves its API and
// metrics unless told otherwise: this machine only.
const defaultCoordinatorHTTP = "127.0.0.1:7780"

// httpFlags are --http and --http-token.
type httpFlags struct {
	addr, token string
}

func registerHTTP(fs *flag.FlagSet, def string) *httpFlags {
	h := &httpFlags{}
	what := "serve /metrics and /healthz on `addr`ess (empty: off)"
	if def != "" {
		what = "serve the JSON API (/runs), /metrics and /healthz on `addr`ess (empty: off)"
	}
	fs.StringVar(&h.addr, "http", def, what+"; an address beyond loopback needs --http-token")
	fs.StringVar(&h.token, "http-token", "", "bearer token the HTTP endpoints require (better: $"+httpapi.EnvToken+")")
	return h
}

// httpServer is a started HTTP server (or none).
type httpServer struct {
	ln   string
	done chan error
}

func (s *httpServer) addr() string {
	if s == nil || s.ln == "" {
		return "off"
	}
	return s.ln
}

// wait waits for the server to stop (its context must be done).
func (s *httpServer) wait() {
	if s != nil && s.done != nil {
		<-s.done
	}
}

// startHTTP serves h, behind the token, until ctx is done, if an address
// was given.
func startHTTP(ctx context.Context, f *httpFlags, log *slog.Logger, h http.Handler) (*httpServer, error) {
	return serveWith(ctx, f, log, func(token string) http.Handler { return httpapi.Auth(token, h) })
}

// serveWith serves the handler h makes for the token (see httpToken) until
// ctx is done, if an address was given; h decides what needs the token.
func serveWith(ctx context.Context, f *httpFlags, log *slog.Logger, h func(token string) http.Handler) (*httpServer, error) {
	if f.addr == "" {
		return &httpServer{}, nil
	}
	token := httpToken(f)
	ln, err := httpapi.Listen(f.addr, token)
	if err != nil {
		return nil, err
	}
	s := &httpServer{ln: ln.Addr().String(), done: make(chan error, 1)}
	go func() { s.done <- httpapi.Serve(ctx, ln, h(token), log) }()
	return s, nil
}

// httpToken is the bearer token the endpoints require: --http-token, else
// $CURATOR_HTTP_TOKEN ("" for none).
func httpToken(f *httpFlags) string {
	if f.token != "" {
		return f.token
	}
	return os.Getenv(httpapi.EnvToken)
}

// natsHealth fails while the NATS connection is down.
func natsHealth(nc *nats.Conn) func(context.Context) error {
	return func(context.Context) error {
		if !nc.IsConnected() {
			return fmt.Errorf("NATS connection %s", nc.Status())
		}
		return nil
	}
}

// workerAPI is a worker's HTTP endpoints; it returns the metrics to feed.
func workerAPI(nc *nats.Conn) (http.Handler, *workers.Metrics) {
	reg := metrics.NewRegistry()
	m := workers.NewMetrics(reg)
	return httpapi.Mux(natsHealth(nc), reg.Handler()), m
}

// coordinatorMetrics turn the runs' progress into counters.
type coordinatorMetrics struct {
	mu   sync.Mutex
	last map[string]coordinator.Progress

	done, failed, docs, bytes *metrics.Counter
}

func (m *coordinatorMetrics) progress(run string, p coordinator.Progress) {
	m.mu.Lock()
	prev := m.last[run]
	m.last[run] = p
	m.mu.Unlock()
	m.done.Add(float64(max(p.TasksDone-prev.TasksDone, 0)))
	m.failed.Add(float64(max(p.TasksFailed-prev.TasksFailed, 0)))
	m.docs.Add(float64(max(p.Records-prev.Records, 0)))
	m.bytes.Add(float64(max(p.BytesDone-prev.BytesDone, 0)))
}

// newCoordinatorMetrics registers the coordinator's metrics. svc is read
// at scrape time (it may be set after).
func newCoordinatorMetrics(reg *metrics.Registry, svc **coordinator.Service, js jetstream.JetStream) *coordinatorMetrics {
	m := &coordinatorMetrics{last: map[string]coordinator.Progress{},
		done:   reg.NewCounter("curator_tasks_done_total", "Tasks with an outcome, over every run."),
		failed: reg.NewCounter("curator_tasks_failed_total", "Tasks failed (corrupt input, deliveries exhausted, timeouts), over every run."),
		docs:   reg.NewCounter("curator_documents_total", "Documents read by the tasks done."),
		bytes:  reg.NewCounter("curator_input_bytes_total", "Input bytes of the tasks done."),
	}
	runs := func() map[string]*coordinator.Coordinator {
		if *svc == nil {
			return nil
		}
		return (*svc).Runs()
	}
	reg.NewGaugeFunc("curator_runs_in_flight", "Runs this coordinator coordinates now.", func() float64 {
		return float64(len(runs()))
	})
	reg.NewGaugeFunc("curator_queue_depth", "Tasks of the runs in flight without an outcome yet.", func() float64 {
		n := 0
		for _, c := range runs() {
			p := c.Progress()
			n += p.TasksTotal - p.TasksDone
		}
		return float64(n)
	})
	reg.NewGaugeFunc("curator_redeliveries", "Task messages delivered more than once, over the runs in flight.", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var n int
		for id := range runs() {
			cons, err := js.Consumer(ctx, pb.TaskStream(id), pb.WorkersConsumer)
			if err != nil {
				continue
			}
			if info, err := cons.Info(ctx); err == nil {
				n += info.NumRedelivered
			}
		}
		return float64(n)
	})
	return m
}

// coordinatorAPI is the coordinator's HTTP endpoints: /healthz, /metrics,
// GET /runs and GET /runs/{run} (run states as JSON), and GET
// /runs/{run}/live.json, the live view of a run this coordinator
// coordinates (runs gives them; nil: none).
func coordinatorAPI(reg *metrics.Registry, js jetstream.JetStream, nc *nats.Conn, runs func() map[string]*coordinator.Coordinator) http.Handler {
	mux := httpapi.Mux(natsHealth(nc), reg.Handler())
	mux.HandleFunc("GET /runs/{run}/live.json", func(w http.ResponseWriter, r *http.Request) {
		var c *coordinator.Coordinator
		if runs != nil {
			c = runs()[r.PathValue("run")]
		}
		if c == nil {
			http.Error(w, fmt.Sprintf("run %q is not coordinated here now", r.PathValue("run")), http.StatusNotFound)
			return
		}
		writeLive(w, c.Live())
	})
	enc := protojson.MarshalOptions{EmitUnpopulated: true}
	write := func(w http.ResponseWriter, states []*pb.RunState) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "[")
		for i, st := range states {
			b, _ := enc.Marshal(st)
			if i > 0 {
				fmt.Fprint(w, ",")
			}
			_, _ = w.Write(b)
		}
		fmt.Fprintln(w, "]")
	}
	mux.HandleFunc("GET /runs", func(w http.ResponseWriter, r *http.Request) {
		states, err := coordinator.ListRuns(r.Context(), js)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		write(w, states)
	})
	mux.HandleFunc("GET /runs/{run}", func(w http.ResponseWriter, r *http.Request) {
		st, err := coordinator.GetState(r.Context(), js, r.PathValue("run"))
		if errors.Is(err, coordinator.ErrNoRun) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		write(w, []*pb.RunState{st})
	})
	return mux
}

// coordinatorHandler is the coordinator's HTTP server: every run's
// dashboard page at /runs/{run}/ (static, no data: served without the
// token, which the page sends with its requests), the API behind it.
func coordinatorHandler(api http.Handler) func(token string) http.Handler {
	return func(token string) http.Handler {
		authed := httpapi.Auth(token, api)
		mux := http.NewServeMux()
		mux.HandleFunc("GET /runs/{run}/{$}", serveDashboardPage)
		// Without this, the mux would redirect /runs/{run} to the page.
		mux.Handle("/runs/{run}", authed)
		mux.Handle("/", authed)
		return mux
	}
}
