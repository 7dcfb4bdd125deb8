package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// HealthPath is the path Auth lets through without a token (GET and HEAD
// only), for load balancers and orchestrators' probes.
const HealthPath = "/healthz"

// Auth returns next guarded by a bearer token: when token is not empty,
// every request except GET or HEAD of HealthPath must carry
// "Authorization: Bearer <token>", or it is answered 401 with a
// WWW-Authenticate header. The comparison takes the same time whatever
// the given token. When token is empty, Auth returns next.
func Auth(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == HealthPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		if !validBearer(r.Header.Get("Authorization"), &want) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="curator"`)
			http.Error(w, "unauthorized: give Authorization: Bearer <token>", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validBearer reports whether header is "Bearer <token>" (scheme
// case-insensitive, token not empty) with the token whose SHA-256 is want. Comparing the
// hashes in constant time hides the token's length too.
func validBearer(header string, want *[sha256.Size]byte) bool {
	scheme, given, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	given = strings.TrimLeft(given, " ")
	if given == "" {
		return false
	}
	got := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// HealthTimeout bounds one run of a Health check.
const HealthTimeout = 5 * time.Second

// Health returns the handler of HealthPath: it runs check (NATS
// connected, JetStream reachable) with the request's context, bounded by
// HealthTimeout, and answers 200 "ok" or 503 with the check's error. A nil
// check always answers 200. The error text is shown to unauthenticated
// callers: it must hold no secret.
func Health(check func(context.Context) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if check != nil {
			ctx, cancel := context.WithTimeout(r.Context(), HealthTimeout)
			err := check(ctx)
			cancel()
			if err != nil {
				http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
}
