package testcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Server is one nats-server process with JetStream, started from a
// generated configuration file. Its methods that take no testing.TB fail
// the test it was started by, so call them from that test's goroutine.
type Server struct {
	t        testing.TB
	cfg      ServerConfig // defaults, ports and store directory filled in
	cluster  *clusterConf
	dir      string // configuration file and logs
	confPath string

	mu    sync.Mutex
	procs []*Proc // every run of the server; the last is the current one
}

// StartServer starts a nats-server as cfg says and waits until it serves
// JetStream (a client connects and gets the JetStream account info). The
// test's cleanup kills it.
func StartServer(t testing.TB, cfg ServerConfig) *Server {
	t.Helper()
	s, err := newServer(t, cfg, nil)
	if err != nil {
		t.Fatalf("testcluster: %v", err)
	}
	if err := s.start(); err != nil {
		t.Fatalf("testcluster: %v", err)
	}
	if err := s.waitReady(); err != nil {
		t.Fatalf("testcluster: %v", err)
	}
	return s
}

// newServer fills in cfg, picks its ports and writes its configuration
// file; it does not start the process.
func newServer(t testing.TB, cfg ServerConfig, cl *clusterConf) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	if cfg.Binary == "" {
		cfg.Binary = NATSServer(t)
	}
	if cfg.Port == 0 || cfg.MonitorPort == 0 {
		ports, err := freePorts(2)
		if err != nil {
			return nil, fmt.Errorf("server %s: free ports: %w", cfg.Name, err)
		}
		if cfg.Port == 0 {
			cfg.Port = ports[0]
		}
		if cfg.MonitorPort == 0 {
			cfg.MonitorPort = ports[1]
		}
	}
	if cfg.StoreDir == "" {
		cfg.StoreDir = t.TempDir()
	}
	s := &Server{t: t, cfg: cfg, cluster: cl, dir: t.TempDir()}
	s.confPath = filepath.Join(s.dir, cfg.Name+".conf")
	if err := os.WriteFile(s.confPath, []byte(cfg.render(cl)), 0o600); err != nil {
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	return s, nil
}

// start starts a new run of the server process, without waiting.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.procs); n > 0 && s.procs[n-1].Running() {
		return fmt.Errorf("server %s: already running", s.cfg.Name)
	}
	label := fmt.Sprintf("%s.%d", s.cfg.Name, len(s.procs)+1)
	p, err := startProc(s.dir, label, s.cfg.Binary, []string{"-c", s.confPath}, nil)
	if err != nil {
		return err
	}
	s.t.Cleanup(func() { p.cleanup(s.t) })
	s.procs = append(s.procs, p)
	return nil
}

// waitReady waits until the current run serves JetStream, for at most
// ReadyTimeout; it fails early when the process exits.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ReadyTimeout)
	defer cancel()
	p := s.Proc()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		if last = s.ready(ctx); last == nil {
			return nil
		}
		select {
		case <-p.Done():
			return fmt.Errorf("server %s exited before it was ready (%s); last lines of its log:\n%s",
				s.cfg.Name, p.state, tail(p.stderrPath, tailLines))
		case <-ctx.Done():
			return fmt.Errorf("server %s not ready after %v: %w", s.cfg.Name, s.cfg.ReadyTimeout, last)
		case <-tick.C:
		}
	}
}

// ready checks once that a client connects and JetStream answers.
func (s *Server) ready(ctx context.Context) error {
	opts := append(s.ConnectOptions(), nats.Timeout(time.Second), nats.NoReconnect(),
		nats.Name("testcluster-ready"))
	nc, js, err := jsConnect(s.ClientURL(), opts)
	if err != nil {
		return err
	}
	defer nc.Close()
	actx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := js.AccountInfo(actx); err != nil {
		return fmt.Errorf("jetstream account info: %w", err)
	}
	return nil
}

// Name is the server_name.
func (s *Server) Name() string { return s.cfg.Name }

// Config is the server's configuration, with its defaults, ports and
// store directory filled in.
func (s *Server) Config() ServerConfig { return s.cfg }

// ClientURL is nats://127.0.0.1:PORT.
func (s *Server) ClientURL() string { return "nats://" + hostPort(s.cfg.Port) }

// MonitorURL is http://127.0.0.1:PORT of the monitoring endpoints.
func (s *Server) MonitorURL() string { return "http://" + hostPort(s.cfg.MonitorPort) }

// StoreDir is the JetStream store directory.
func (s *Server) StoreDir() string { return s.cfg.StoreDir }

// ConfigFile is the path of the generated configuration file.
func (s *Server) ConfigFile() string { return s.confPath }

// ConnectOptions are the nats.go options that authenticate as the harness
// does: as Users[0], or with the token.
func (s *Server) ConnectOptions() []nats.Option {
	return authOptions(s.cfg)
}

// authOptions authenticate as cfg's first user, or with its token.
func authOptions(cfg ServerConfig) []nats.Option {
	switch {
	case len(cfg.Users) > 0:
		return []nats.Option{nats.UserInfo(cfg.Users[0].Name, cfg.Users[0].Password)}
	case cfg.Token != "":
		return []nats.Option{nats.Token(cfg.Token)}
	}
	return nil
}

// Connect connects a client to the server as the harness does (more
// options may be added); the test's cleanup closes it.
func (s *Server) Connect(t testing.TB, opts ...nats.Option) *nats.Conn {
	t.Helper()
	return connect(t, s.ClientURL(), append(s.ConnectOptions(), opts...))
}

// connect connects to urls and closes the connection on cleanup.
func connect(t testing.TB, urls string, opts []nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(urls, opts...)
	if err != nil {
		t.Fatalf("testcluster: connecting to %s: %v", urls, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// Proc is the current (last started) run of the server process.
func (s *Server) Proc() *Proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.procs[len(s.procs)-1]
}

// Running reports whether the current run has not exited.
func (s *Server) Running() bool { return s.Proc().Running() }

// Kill kills the server with SIGKILL (a crash) and waits until it has
// exited. Killing a stopped server does nothing.
func (s *Server) Kill() {
	s.t.Helper()
	if err := s.Proc().Kill(); err != nil {
		s.t.Fatalf("testcluster: killing %s: %v", s.cfg.Name, err)
	}
}

// Stop stops the server with SIGTERM (a clean shutdown) and waits until it
// has exited; a server still running after 10 s is killed and the test
// fails. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.t.Helper()
	if err := s.stop(); err != nil {
		s.t.Fatalf("testcluster: %v", err)
	}
}

// stop stops the current run with SIGTERM, killing it after killWait.
func (s *Server) stop() error {
	p := s.Proc()
	if err := p.Signal(syscall.SIGTERM); err != nil {
		if errors.Is(err, os.ErrProcessDone) {
			return nil
		}
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	if _, err := p.Wait(ctx); ctx.Err() != nil {
		if kerr := p.Kill(); kerr != nil {
			return kerr
		}
		return fmt.Errorf("stopping %s: killed after %v: %w", s.cfg.Name, killWait, err)
	}
	return nil
}

// Restart starts the server again with the same configuration, ports and
// store (stopping it first with SIGTERM if it still runs) and waits until
// it serves JetStream.
func (s *Server) Restart() {
	s.t.Helper()
	if err := s.restart(); err != nil {
		s.t.Fatalf("testcluster: %v", err)
	}
}

func (s *Server) restart() error {
	if err := s.stop(); err != nil {
		return err
	}
	if err := s.start(); err != nil {
		return err
	}
	return s.waitReady()
}

// Logs is the server's log (its stderr) over every run so far, each run
// under a line naming it.
func (s *Server) Logs() string {
	s.mu.Lock()
	procs := append([]*Proc(nil), s.procs...)
	s.mu.Unlock()
	var b strings.Builder
	for _, p := range procs {
		fmt.Fprintf(&b, "=== %s (pid %d)\n", p.Name(), p.Pid())
		b.WriteString(p.Stderr())
	}
	return b.String()
}

// jsConnect connects to urls and opens JetStream; the caller closes nc.
func jsConnect(urls string, opts []nats.Option) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(urls, opts...)
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}
