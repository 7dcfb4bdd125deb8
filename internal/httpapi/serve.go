package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Timeouts of the servers Serve runs.
const (
	// ReadHeaderTimeout bounds reading a request's headers (slow clients
	// cannot hold connections open forever).
	ReadHeaderTimeout = 10 * time.Second
	// IdleTimeout closes keep-alive connections idle this long.
	IdleTimeout = 2 * time.Minute
	// ShutdownTimeout is how long in-flight requests get to finish once
	// Serve's context is done.
	ShutdownTimeout = 5 * time.Second
)

// Serve serves h on ln until ctx is done, then shuts down gracefully:
// it stops accepting, lets in-flight requests finish for up to
// ShutdownTimeout, then closes what is left. It returns nil after a clean
// shutdown, and an error if serving failed or requests were cut off. It
// closes ln. log receives the server's own errors (bad TLS handshakes,
// handler panics) and a line when serving starts and stops.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	addr := ln.Addr().String()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		IdleTimeout:       IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("http: serving", "addr", addr)

	select {
	case err := <-served: // failed before ctx ended
		return fmt.Errorf("http server on %s: %w", addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		_ = srv.Close() // cut off what did not finish
		err = fmt.Errorf("http server on %s: shutdown: requests still running after %v: %w", addr, ShutdownTimeout, err)
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("http server on %s: %w", addr, serr)
	}
	log.Info("http: stopped", "addr", addr, "clean", err == nil)
	return err
}

// Mux returns a ServeMux with HealthPath answered by Health(check) and,
// when metrics is not nil, GET /metrics by metrics. The caller adds its
// own routes and wraps the result in Auth.
func Mux(check func(context.Context) error, metrics http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET "+HealthPath, Health(check))
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	return mux
}
