package httpapi

import (
	"net"
	"strings"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "::1%lo": true, "::ffff:127.0.0.1": true,
		"localhost": true,
		"":          false, "0.0.0.0": false, "::": false, "LOCALHOST": false, "localhost.": false,
		"localhost.example.com": false, "10.0.0.1": false, "192.0.2.1": false, "fe80::1%lo": false,
		"example.com": false, "[::1]": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestListenRefusesWithoutToken checks that a non-loopback address without
// a token is refused before anything is bound: 192.0.2.1 (TEST-NET-1) is
// on no interface, so an attempt to bind it would fail with a different
// error ("cannot assign requested address"), and ":0" would succeed.
func TestListenRefusesWithoutToken(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "192.0.2.1:7780", "example.com:7780", "LOCALHOST:0"} {
		ln, err := Listen(addr, "")
		if err == nil {
			ln.Close()
			t.Errorf("Listen(%q, \"\") bound %s, want a refusal", addr, ln.Addr())
			continue
		}
		msg := err.Error()
		for _, part := range []string{"binding to " + addr + " exposes the API beyond this machine", "--http-token", "$CURATOR_HTTP_TOKEN"} {
			if !strings.Contains(msg, part) {
				t.Errorf("Listen(%q): error %q lacks %q", addr, msg, part)
			}
		}
	}
	if _, err := Listen("no-port", ""); err == nil || !strings.Contains(err.Error(), `"no-port"`) {
		t.Errorf("Listen(no-port): %v, want an address error naming it", err)
	}
}

func TestListenLoopback(t *testing.T) {
	for _, c := range []struct{ addr, token string }{
		{"127.0.0.1:0", ""}, {"127.0.0.1:0", "s3cret"}, {"localhost:0", ""}, {"[::1]:0", ""},
	} {
		if strings.HasPrefix(c.addr, "[::1]") {
			probe, err := net.Listen("tcp", "[::1]:0")
			if err != nil {
				t.Logf("skipping %s: this machine has no IPv6 loopback (%v)", c.addr, err)
				continue
			}
			probe.Close()
		}
		ln, err := Listen(c.addr, c.token)
		if err != nil {
			t.Errorf("Listen(%q): %v", c.addr, err)
			continue
		}
		ip := ln.Addr().(*net.TCPAddr).IP
		if !ip.IsLoopback() {
			t.Errorf("Listen(%q) bound %s, not loopback", c.addr, ln.Addr())
		}
		ln.Close()
	}
}
