package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// api is a mux with health, metrics and one API route.
func api(check func(context.Context) error) http.Handler {
	mux := Mux(check, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("metrics"))
	}))
	mux.HandleFunc("/api/runs", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("runs"))
	})
	return mux
}

func TestAuth(t *testing.T) {
	s := start(t, secret, Auth(secret, api(nil)))
	for _, c := range []struct {
		name, method, path, auth string
		status                   int
		body                     string
	}{
		{"no token", "GET", "/api/runs", "", 401, "unauthorized"},
		{"wrong token", "GET", "/api/runs", "Bearer wrong", 401, "unauthorized"},
		{"token prefix", "GET", "/api/runs", "Bearer " + secret[:len(secret)-1], 401, "unauthorized"},
		{"token plus", "GET", "/api/runs", "Bearer " + secret + "x", 401, "unauthorized"},
		{"basic scheme", "GET", "/api/runs", "Basic " + secret, 401, "unauthorized"},
		{"bare token", "GET", "/api/runs", secret, 401, "unauthorized"},
		{"metrics without token", "GET", "/metrics", "", 401, "unauthorized"},
		{"POST healthz without token", "POST", "/healthz", "", 401, "unauthorized"},
		{"right token", "GET", "/api/runs", "Bearer " + secret, 200, "runs"},
		{"scheme case", "GET", "/api/runs", "bearer " + secret, 200, "runs"},
		{"metrics with token", "GET", "/metrics", "Bearer " + secret, 200, "metrics"},
		{"healthz without token", "GET", "/healthz", "", 200, "ok\n"},
		{"healthz with token", "GET", "/healthz", "Bearer " + secret, 200, "ok\n"},
	} {
		status, body, resp := do(t, c.method, s.url+c.path, c.auth)
		if status != c.status || !strings.HasPrefix(body, c.body) {
			t.Errorf("%s: %d %q, want %d %q", c.name, status, body, c.status, c.body)
		}
		if challenge := resp.Header.Get("WWW-Authenticate"); (status == 401) != (challenge != "") {
			t.Errorf("%s: status %d with WWW-Authenticate %q", c.name, status, challenge)
		}
	}
	if status, _, _ := do(t, "HEAD", s.url+"/healthz", ""); status != 200 {
		t.Errorf("HEAD /healthz without token: %d, want 200", status)
	}
}

func TestAuthEmptyTokenPassesThrough(t *testing.T) {
	s := start(t, "", Auth("", api(nil)))
	if status, body, _ := do(t, "GET", s.url+"/api/runs", ""); status != 200 || body != "runs" {
		t.Errorf("no token configured: %d %q, want 200 runs", status, body)
	}
}

func TestHealth(t *testing.T) {
	var (
		mu   sync.Mutex
		fail error
	)
	s := start(t, secret, Auth(secret, api(func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			return errors.New("check run without a deadline")
		}
		mu.Lock()
		defer mu.Unlock()
		return fail
	})))
	if status, body, _ := do(t, "GET", s.url+"/healthz", ""); status != 200 || body != "ok\n" {
		t.Errorf("healthy: %d %q", status, body)
	}
	mu.Lock()
	fail = errors.New("nats: not connected")
	mu.Unlock()
	status, body, resp := do(t, "GET", s.url+"/healthz", "")
	if status != 503 || body != "unhealthy: nats: not connected\n" {
		t.Errorf("failing check: %d %q, want 503 with the error", status, body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}
