// Package natsconn holds the NATS connection options every cluster command
// takes (--nats and NATS's own authentication and TLS options) and connects
// with them. Secrets (passwords, tokens, seeds) never appear in what it
// prints, logs or returns as errors.
package natsconn

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// Environment variables that hold secrets, so that they need not be given
// on the command line (where other users of the machine can read them).
const (
	EnvPassword = "CURATOR_NATS_PASSWORD"
	EnvToken    = "CURATOR_NATS_TOKEN"
)

// Options are the connection options of one client.
type Options struct {
	// URLs are the servers, comma-separated (nats://host:port,...).
	URLs string
	// User and Password authenticate with a user name (Password may come
	// from $CURATOR_NATS_PASSWORD).
	User, Password string
	// Token authenticates with a token (or $CURATOR_NATS_TOKEN).
	Token string
	// NkeySeed is the path of an nkey seed file (user nkey authentication).
	NkeySeed string
	// Creds is the path of a credentials file (JWT and seed, operator mode).
	Creds string
	// TLSCA verifies the servers; TLSCert and TLSKey are the client's
	// certificate and key, for servers that verify clients.
	TLSCA, TLSCert, TLSKey string
}

// Register adds the options' flags to fs.
func (o *Options) Register(fs *flag.FlagSet) {
	fs.StringVar(&o.URLs, "nats", nats.DefaultURL, "NATS server `URLs`, comma-separated")
	fs.StringVar(&o.User, "nats-user", "", "NATS user name")
	fs.StringVar(&o.Password, "nats-password", "", "NATS password (better: $"+EnvPassword+")")
	fs.StringVar(&o.Token, "nats-token", "", "NATS token (better: $"+EnvToken+")")
	fs.StringVar(&o.NkeySeed, "nats-nkey", "", "`file` holding a NATS user nkey seed")
	fs.StringVar(&o.Creds, "nats-creds", "", "NATS credentials `file` (JWT and seed)")
	fs.StringVar(&o.TLSCA, "nats-tls-ca", "", "CA certificate `file` to verify the NATS servers")
	fs.StringVar(&o.TLSCert, "nats-tls-cert", "", "client certificate `file` for NATS")
	fs.StringVar(&o.TLSKey, "nats-tls-key", "", "client key `file` for NATS")
}

// fromEnv fills secrets not given as flags from the environment.
func (o Options) fromEnv() Options {
	if o.Password == "" {
		o.Password = os.Getenv(EnvPassword)
	}
	if o.Token == "" {
		o.Token = os.Getenv(EnvToken)
	}
	return o
}

// Validate checks that the options make sense together.
func (o Options) Validate() error {
	o = o.fromEnv()
	if strings.TrimSpace(o.URLs) == "" {
		return errors.New("--nats: no server URL")
	}
	n := 0
	for _, set := range []bool{o.User != "", o.Token != "", o.NkeySeed != "", o.Creds != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("NATS authentication: give one of --nats-user, --nats-token, --nats-nkey or --nats-creds")
	}
	if o.Password != "" && o.User == "" {
		return errors.New("--nats-password (or $" + EnvPassword + ") without --nats-user")
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return errors.New("--nats-tls-cert and --nats-tls-key go together")
	}
	return nil
}

// String describes the options for logs and errors: servers and the kind
// of authentication, never a secret.
func (o Options) String() string {
	o = o.fromEnv()
	auth := "no authentication"
	switch {
	case o.User != "":
		auth = fmt.Sprintf("user %q", o.User)
	case o.Token != "":
		auth = "a token"
	case o.NkeySeed != "":
		auth = "nkey " + o.NkeySeed
	case o.Creds != "":
		auth = "credentials " + o.Creds
	}
	if o.TLSCA != "" || o.TLSCert != "" {
		auth += ", TLS"
	}
	return fmt.Sprintf("%s with %s", o.URLs, auth)
}

// natsOptions turns o into nats.go options.
func (o Options) natsOptions(name string) ([]nats.Option, error) {
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second)}
	switch {
	case o.User != "":
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	case o.Token != "":
		opts = append(opts, nats.Token(o.Token))
	case o.NkeySeed != "":
		opt, err := nats.NkeyOptionFromSeed(o.NkeySeed)
		if err != nil {
			return nil, fmt.Errorf("--nats-nkey %s: %w", o.NkeySeed, redactErr(err, o))
		}
		opts = append(opts, opt)
	case o.Creds != "":
		if _, err := os.Stat(o.Creds); err != nil {
			return nil, fmt.Errorf("--nats-creds: %w", err)
		}
		opts = append(opts, nats.UserCredentials(o.Creds))
	}
	if o.TLSCA != "" {
		opts = append(opts, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" {
		opts = append(opts, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	return opts, nil
}

// Connect connects as client name. A refused connection (wrong or missing
// credentials, an untrusted certificate) is an error that says what was
// tried and what to check, without secrets.
func (o Options) Connect(ctx context.Context, name string) (*nats.Conn, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.fromEnv()
	opts, err := o.natsOptions(name)
	if err != nil {
		return nil, err
	}
	if d, ok := ctx.Deadline(); ok {
		opts = append(opts, nats.Timeout(time.Until(d)))
	}
	nc, err := nats.Connect(o.URLs, opts...)
	if err != nil {
		return nil, describe(err, o)
	}
	return nc, nil
}

// describe turns a connection error into one that says what to check.
func describe(err error, o Options) error {
	err = redactErr(err, o)
	hint := ""
	switch {
	case errors.Is(err, nats.ErrAuthorization), errors.Is(err, nats.ErrAuthExpired), errors.Is(err, nats.ErrAuthRevoked),
		strings.Contains(strings.ToLower(err.Error()), "authorization"):
		hint = ": the server refused the credentials (check --nats-user and the password, --nats-token, --nats-nkey or --nats-creds)"
	case strings.Contains(err.Error(), "x509") || strings.Contains(err.Error(), "tls"):
		hint = ": TLS failed (check --nats-tls-ca, --nats-tls-cert and --nats-tls-key)"
	case errors.Is(err, nats.ErrNoServers):
		hint = ": no server answered (is NATS running there?)"
	}
	return fmt.Errorf("connecting to NATS at %s: %w%s", o, err, hint)
}

// redactErr replaces any secret of o that err's text contains.
func redactErr(err error, o Options) error {
	msg := err.Error()
	red := msg
	for _, s := range []string{o.Password, o.Token} {
		if len(s) >= 4 {
			red = strings.ReplaceAll(red, s, "[redacted]")
		}
	}
	if red == msg {
		return err
	}
	return errors.New(red)
}
