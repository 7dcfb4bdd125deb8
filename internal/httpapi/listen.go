// Package httpapi holds the rules of curator's HTTP listeners (the
// coordinator's API, and metrics on coordinator and workers): where they
// may bind without a token, bearer-token authentication, a health check,
// and serving until a context ends with a graceful shutdown.
//
// The token is a secret: nothing in this package writes it to a response,
// a log or an error.
package httpapi

import (
	"fmt"
	"net"
	"net/netip"
)

// EnvToken is the environment variable that may hold the HTTP bearer
// token instead of --http-token (where other users of the machine could
// read it).
const EnvToken = "CURATOR_HTTP_TOKEN"

// Listen opens a TCP listener on addr ("127.0.0.1:7780", ":7780",
// "[::1]:0"). An address that is not loopback needs a token: without one
// Listen refuses before binding anything. Loopback is 127.0.0.0/8, ::1 or
// the literal host name "localhost"; an empty host, 0.0.0.0, :: and any
// other name are not loopback.
func Listen(addr, token string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("http listen address %q: %w", addr, err)
	}
	if token == "" && !IsLoopback(host) {
		return nil, fmt.Errorf("binding to %s exposes the API beyond this machine; give --http-token (or $%s), or bind to 127.0.0.1", addr, EnvToken)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http listen on %s: %w", addr, err)
	}
	return ln, nil
}

// IsLoopback reports whether host (the host part of a listen address,
// without brackets) names only this machine: a loopback IP address (with
// or without an IPv6 zone) or exactly "localhost". Other names are not
// resolved and count as not loopback.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
