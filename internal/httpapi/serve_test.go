package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const secret = "tok-3f9a-SECRET-never-shown"

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is a Listen+Serve instance on a loopback port.
type server struct {
	url    string
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, token string, h http.Handler) *server {
	t.Helper()
	ln, err := Listen("127.0.0.1:0", token)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{url: "http://" + ln.Addr().String(), logs: &syncBuffer{}, done: make(chan error, 1)}
	log := slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(t.Context())
	s.cancel = cancel
	go func() { s.done <- Serve(ctx, ln, h, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-s.done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if strings.Contains(s.logs.String(), secret) {
			t.Errorf("the token appears in the logs:\n%s", s.logs)
		}
	})
	return s
}

var client = &http.Client{Timeout: 5 * time.Second}

// do sends a request and returns the status, the body and the response.
func do(t *testing.T, method, url, authorization string) (int, string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), secret) {
		t.Errorf("%s %s: the token appears in the response body %q", method, url, body)
	}
	return resp.StatusCode, string(body), resp
}

func TestServeGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		_, _ = w.Write([]byte("done"))
	})
	s := start(t, "", mux)
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before start's cleanup, which waits for Serve

	type result struct {
		status int
		body   string
	}
	got := make(chan result, 1)
	go func() {
		resp, err := client.Get(s.url + "/slow")
		if err != nil {
			got <- result{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- result{resp.StatusCode, string(b)}
	}()
	<-started
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err
		t.Fatalf("Serve returned %v while a request was in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := client.Get(s.url + "/slow"); err == nil {
		t.Error("a new request was accepted after the context ended")
	}
	unblock()
	if r := <-got; r.status != 200 || r.body != "done" {
		t.Errorf("in-flight request: %d %q, want 200 done", r.status, r.body)
	}
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup's check
	case <-time.After(ShutdownTimeout):
		t.Fatal("Serve did not return after the in-flight request finished")
	}
	if logs := s.logs.String(); !strings.Contains(logs, "http: stopped") || !strings.Contains(logs, "clean=true") {
		t.Errorf("logs lack the clean stop:\n%s", logs)
	}
}

func TestServeFailingListener(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", "")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	err = Serve(t.Context(), ln, http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	if err == nil || errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve on a closed listener: %v, want an accept error", err)
	}
}
