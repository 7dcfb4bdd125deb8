package testcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// publishN publishes n messages numbered from first to subject, retrying
// each (a cluster may be electing a leader) for at most 20 s.
func publishN(t *testing.T, js jetstream.JetStream, subject string, first, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := first; i < first+n; i++ {
		err := poll(ctx, 50*time.Millisecond, func(ctx context.Context) error {
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			_, err := js.Publish(pctx, subject, []byte(fmt.Sprintf("msg %d", i)),
				jetstream.WithMsgID(fmt.Sprintf("id-%d", i)))
			return err
		})
		if err != nil {
			t.Fatalf("publishing message %d: %v", i, err)
		}
	}
}

// checkMessages reads the stream's messages by sequence and checks there
// are n, numbered from 0 in order.
func checkMessages(t *testing.T, js jetstream.JetStream, stream string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var s jetstream.Stream
	err := poll(ctx, 50*time.Millisecond, func(ctx context.Context) error {
		var err error
		s, err = js.Stream(ctx, stream)
		return err
	})
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	if got := s.CachedInfo().State.Msgs; got != uint64(n) {
		t.Fatalf("stream %s holds %d messages, want %d", stream, got, n)
	}
	for i := range n {
		var m *jetstream.RawStreamMsg
		err := poll(ctx, 50*time.Millisecond, func(ctx context.Context) error {
			var err error
			m, err = s.GetMsg(ctx, uint64(i+1))
			return err
		})
		if err != nil {
			t.Fatalf("stream %s message %d: %v", stream, i+1, err)
		}
		if want := fmt.Sprintf("msg %d", i); string(m.Data) != want {
			t.Fatalf("stream %s message %d = %q, want %q", stream, i+1, m.Data, want)
		}
	}
}

func TestServerKillRestartKeepsStream(t *testing.T) {
	t.Parallel()
	s := StartServer(t, ServerConfig{Name: "single"})
	if !strings.HasPrefix(s.ClientURL(), "nats://127.0.0.1:") || !strings.HasPrefix(s.MonitorURL(), "http://127.0.0.1:") {
		t.Fatalf("URLs %s, %s not on 127.0.0.1", s.ClientURL(), s.MonitorURL())
	}
	if conf, err := os.ReadFile(s.ConfigFile()); err != nil || !strings.Contains(string(conf), "store_dir") {
		t.Fatalf("configuration file: %v\n%s", err, conf)
	}
	nc := s.Connect(t, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: "KEEP", Subjects: []string{"keep.>"}, Storage: jetstream.FileStorage,
	}); err != nil {
		t.Fatal(err)
	}
	publishN(t, js, "keep.a", 0, 50)
	pid := s.Proc().Pid()

	s.Kill()
	if s.Running() {
		t.Fatal("running after Kill")
	}
	s.Restart()
	if s.Proc().Pid() == pid {
		t.Fatal("Restart kept the old process")
	}
	checkMessages(t, js, "KEEP", 50)
	publishN(t, js, "keep.a", 50, 10)

	// A clean stop and restart keeps them too.
	s.Stop()
	if s.Running() {
		t.Fatal("running after Stop")
	}
	s.Restart()
	checkMessages(t, js, "KEEP", 60)

	logs := s.Logs()
	if n := strings.Count(logs, "Server is ready"); n != 3 {
		t.Errorf("the logs show %d server starts, want 3:\n%s", n, logs)
	}
	for _, run := range []string{"=== single.1 ", "=== single.2 ", "=== single.3 "} {
		if !strings.Contains(logs, run) {
			t.Errorf("the logs have no run %q", run)
		}
	}
}

func TestServerUserPassword(t *testing.T) {
	s := StartServer(t, ServerConfig{Users: []User{
		{Name: "curator", Password: "s3cret$pw"},
		{Name: "reader", Password: "r", Permissions: &Permissions{
			Publish: SubjectPermission{Allow: []string{"allowed.>"}},
		}},
	}})
	if _, err := nats.Connect(s.ClientURL(), nats.UserInfo("curator", "wrong"), nats.NoReconnect()); !errors.Is(err, nats.ErrAuthorization) {
		t.Errorf("wrong password: err = %v, want an authorization violation", err)
	}
	if _, err := nats.Connect(s.ClientURL(), nats.NoReconnect()); !errors.Is(err, nats.ErrAuthorization) {
		t.Errorf("no credentials: err = %v, want an authorization violation", err)
	}
	nc := s.Connect(t) // as Users[0]
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}

	// The reader may publish to allowed.> only.
	denied := make(chan error, 1)
	reader := connect(t, s.ClientURL(), []nats.Option{nats.UserInfo("reader", "r"), nats.NoReconnect(),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case denied <- err:
			default:
			}
		})})
	if err := reader.Publish("other.x", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-denied:
		if !errors.Is(err, nats.ErrPermissionViolation) {
			t.Errorf("publish outside the permissions: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("publish outside the permissions: no error")
	}
}

func TestServerToken(t *testing.T) {
	s := StartServer(t, ServerConfig{Token: "tok-1"})
	if _, err := nats.Connect(s.ClientURL(), nats.Token("tok-2"), nats.NoReconnect()); !errors.Is(err, nats.ErrAuthorization) {
		t.Errorf("wrong token: err = %v, want an authorization violation", err)
	}
	s.Connect(t)
}

func TestServerBadConfigFailsFast(t *testing.T) {
	rec := &recordingTB{TB: t}
	start := time.Now()
	rec.fatal(func() { StartServer(rec, ServerConfig{Extra: "no_such_option_xyz: {"}) })
	rec.runCleanups()
	logs := strings.Join(rec.logs, "\n")
	if !rec.failed || !strings.Contains(logs, "exited before it was ready") {
		t.Errorf("a server that cannot start: failed %t, logs:\n%s", rec.failed, logs)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to notice the server died", d)
	}
}
