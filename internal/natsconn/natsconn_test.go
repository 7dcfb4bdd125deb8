package natsconn

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// serve starts a real NATS server on a loopback port with opts' auth.
func serve(t *testing.T, opts *server.Options) string {
	t.Helper()
	opts.Host, opts.Port, opts.NoLog, opts.NoSigs = "127.0.0.1", -1, true, true
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(srv.Shutdown)
	return srv.ClientURL()
}

func connect(t *testing.T, o Options) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	nc, err := o.Connect(ctx, "test")
	if err == nil {
		// A round trip proves the server took us.
		err = nc.FlushTimeout(5 * time.Second)
		nc.Close()
	}
	return err
}

// Users, tokens and nkeys: the right credentials connect; wrong or missing
// ones are refused with an error that says what to check and holds no
// secret.
func TestAuthentication(t *testing.T) {
	const pass, token = "s3cret-pass-word", "t0ken-of-the-run"
	users := serve(t, &server.Options{Users: []*server.User{{Username: "worker", Password: pass}}})
	tokens := serve(t, &server.Options{Authorization: token})
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	seedFile := filepath.Join(t.TempDir(), "user.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	other, _ := nkeys.CreateUser()
	otherSeed, _ := other.Seed()
	otherFile := filepath.Join(t.TempDir(), "other.nk")
	_ = os.WriteFile(otherFile, otherSeed, 0o600)
	nk := serve(t, &server.Options{Nkeys: []*server.NkeyUser{{Nkey: pub}}})

	for _, c := range []struct {
		name string
		o    Options
		ok   bool
	}{
		{"user", Options{URLs: users, User: "worker", Password: pass}, true},
		{"wrong password", Options{URLs: users, User: "worker", Password: pass + "x"}, false},
		{"no credentials", Options{URLs: users}, false},
		{"token", Options{URLs: tokens, Token: token}, true},
		{"wrong token", Options{URLs: tokens, Token: "not-" + token}, false},
		{"nkey", Options{URLs: nk, NkeySeed: seedFile}, true},
		{"unknown nkey", Options{URLs: nk, NkeySeed: otherFile}, false},
	} {
		err := connect(t, c.o)
		if c.ok {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: connected", c.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "refused the credentials") || !strings.Contains(msg, c.o.URLs) {
			t.Errorf("%s: unclear error %q", c.name, msg)
		}
		for _, secret := range []string{pass, token, string(seed), string(otherSeed)} {
			if strings.Contains(msg, secret) {
				t.Errorf("%s: the error shows a secret: %q", c.name, msg)
			}
		}
	}
}

// The password may come from the environment; the options' description
// never shows it; contradictory options are refused before connecting.
func TestOptions(t *testing.T) {
	const pass = "from-the-environment"
	url := serve(t, &server.Options{Users: []*server.User{{Username: "coord", Password: pass}}})
	t.Setenv(EnvPassword, pass)
	var o Options
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	o.Register(fs)
	if err := fs.Parse([]string{"--nats", url, "--nats-user", "coord"}); err != nil {
		t.Fatal(err)
	}
	if err := connect(t, o); err != nil {
		t.Fatalf("password from $%s: %v", EnvPassword, err)
	}
	if s := o.String(); strings.Contains(s, pass) || !strings.Contains(s, `user "coord"`) {
		t.Errorf("description %q", s)
	}
	for _, bad := range []Options{
		{URLs: ""},
		{URLs: url, User: "a", Token: "b"},
		{URLs: url, TLSCert: "c.pem"},
		{URLs: url, Password: "p"},
	} {
		t.Setenv(EnvPassword, "")
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
	}
	if err := connect(t, Options{URLs: "nats://127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), "no server answered") {
		t.Errorf("no server: %v", err)
	}
}
