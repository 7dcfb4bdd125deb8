package httpapi

import (
	"crypto/sha256"
	"net"
	"strings"
	"testing"
)

// FuzzValidBearer checks the Authorization parser against its definition:
// accepted exactly when the header is a case-insensitive "Bearer", one or
// more spaces, and the token, which is not empty.
func FuzzValidBearer(f *testing.F) {
	f.Add("Bearer tok", "tok")
	f.Add("bearer  tok", "tok")
	f.Add("Bearer tok ", "tok")
	f.Add("Basic tok", "tok")
	f.Add("Bearer", "")
	f.Fuzz(func(t *testing.T, header, token string) {
		want := sha256.Sum256([]byte(token))
		got := validBearer(header, &want)
		ref := token != "" && len(header) > 7 && strings.EqualFold(header[:7], "Bearer ") &&
			strings.TrimLeft(header[7:], " ") == token
		if got != ref {
			t.Errorf("validBearer(%q) with token %q = %v, want %v", header, token, got, ref)
		}
	})
}

// FuzzIsLoopback checks that every host IsLoopback accepts is "localhost"
// or an address the net package also calls loopback.
func FuzzIsLoopback(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::1", "::1%eth0", "localhost", "0.0.0.0", "", "::ffff:127.0.0.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		if !IsLoopback(host) || host == "localhost" {
			return
		}
		ip, _, _ := strings.Cut(host, "%")
		if p := net.ParseIP(ip); p == nil || !p.IsLoopback() {
			t.Errorf("IsLoopback(%q) = true, net.ParseIP says %v", host, p)
		}
	})
}
