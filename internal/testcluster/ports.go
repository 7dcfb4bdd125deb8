package testcluster

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Host is the only address the harness listens on.
const Host = "127.0.0.1"

// FreePort returns a TCP port that is free on 127.0.0.1.
func FreePort(t testing.TB) int {
	t.Helper()
	return FreePorts(t, 1)[0]
}

// FreePorts returns n distinct TCP ports that are free on 127.0.0.1 at the
// time of the call: each is checked by listening on it, and no port is
// returned twice in a test process.
//
// Where the system says which ports are ephemeral (Linux), the ports are
// taken below that range: a server restarted on its old port then cannot
// find it taken by the local end of some outgoing connection (nats-server
// routes and clients make many). Elsewhere they come from listening on
// port 0.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	ports, err := freePorts(n)
	if err != nil {
		t.Fatalf("testcluster: free ports: %v", err)
	}
	return ports
}

// handedOut registers the ports this test process has returned, so that
// parallel tests never get the same port (a port is free again as soon as
// its probe listener closes, before the server meant for it listens).
var handedOut = struct {
	mu    sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// takePort registers port; it reports false when it was handed out before.
func takePort(port int) bool {
	handedOut.mu.Lock()
	defer handedOut.mu.Unlock()
	if handedOut.ports[port] {
		return false
	}
	handedOut.ports[port] = true
	return true
}

// Ports below the ephemeral range are drawn from [lowPort, ephemeral start).
const lowPort = 20000

func freePorts(n int) ([]int, error) {
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	hi := ephemeralStart()
	ports := make([]int, 0, n)
	for attempts := 0; len(ports) < n; attempts++ {
		if attempts > 100*n {
			return nil, fmt.Errorf("no %d free ports found in %d attempts", n, attempts)
		}
		l, err := listenLow(hi)
		if err != nil {
			if l, err = net.Listen("tcp", net.JoinHostPort(Host, "0")); err != nil {
				return nil, err
			}
		}
		listeners = append(listeners, l)
		if p := l.Addr().(*net.TCPAddr).Port; takePort(p) {
			ports = append(ports, p)
		}
	}
	return ports, nil
}

// listenLow listens on a random free port in [lowPort, hi).
func listenLow(hi int) (net.Listener, error) {
	if hi-lowPort < 1000 {
		return nil, errors.New("no port range below the ephemeral ports")
	}
	var err error
	for range 100 {
		p := lowPort + rand.IntN(hi-lowPort)
		var l net.Listener
		if l, err = net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(p))); err == nil {
			return l, nil
		}
	}
	return nil, fmt.Errorf("no free port in [%d, %d): %w", lowPort, hi, err)
}

// ephemeralStart is the first port of the system's ephemeral range, or 0
// when it is not known.
func ephemeralStart() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0
	}
	lo, err := strconv.Atoi(f[0])
	if err != nil {
		return 0
	}
	return lo
}
