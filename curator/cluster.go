package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/curator-dev/curator/internal/natsconn"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// clusterFlags are the flags every cluster command takes: the NATS
// connection and the logs.
type clusterFlags struct {
	fs        *flag.FlagSet
	nats      natsconn.Options
	logLevel  string
	logFormat string
}

// newClusterFlags makes the flag set of a cluster command.
func newClusterFlags(name, usage string, stderr io.Writer) *clusterFlags {
	f := &clusterFlags{fs: flag.NewFlagSet("curator "+name, flag.ContinueOnError)}
	f.fs.SetOutput(stderr)
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: curator "+name+" "+usage)
		f.fs.PrintDefaults()
	}
	f.nats.Register(f.fs)
	f.fs.StringVar(&f.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	f.fs.StringVar(&f.logFormat, "log-format", "text", "log `format`: text or json")
	return f
}

// parse parses args, flags and positional arguments mixed, and returns the
// positional ones.
func (f *clusterFlags) parse(args []string) ([]string, error) {
	pos, err := parseMixed(f.fs, args)
	if err != nil {
		return nil, err
	}
	if f.logFormat != "text" && f.logFormat != "json" {
		return nil, fmt.Errorf("%w: --log-format must be text or json", errUsage)
	}
	if err := f.nats.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return pos, nil
}

// logger returns the command's logger, which is also slog's default (the
// steps log through it).
func (f *clusterFlags) logger(stderr io.Writer) (*slog.Logger, error) {
	level, err := parseLevel(f.logLevel)
	if err != nil {
		return nil, err
	}
	var h slog.Handler
	if f.logFormat == "json" {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	} else {
		h = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l, nil
}

// connect connects to NATS and opens JetStream. The connection logs its
// losses and returns, without secrets.
func (f *clusterFlags) connect(ctx context.Context, name string, log *slog.Logger) (*nats.Conn, jetstream.JetStream, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	nc, err := f.nats.Connect(cctx, name)
	if err != nil {
		return nil, nil, err
	}
	if log != nil {
		nc.SetDisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil { // nil: closed on purpose
				log.Warn("NATS connection lost; reconnecting", "err", err)
			}
		})
		nc.SetReconnectHandler(func(c *nats.Conn) {
			log.Info("NATS connection back", "server", c.ConnectedUrlRedacted())
		})
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("jetstream: %w", err)
	}
	return nc, js, nil
}

// signals returns a channel closed on the first SIGINT or SIGTERM (drain:
// the tasks in hand are finished and reported) and a context canceled on
// the second (abandon them); a third one kills the process.
func signals(log *slog.Logger) (drain <-chan struct{}, ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	d := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		n := 0
		for {
			select {
			case <-sigs:
				n++
				if n == 1 {
					log.Warn("interrupted: finishing the tasks in hand (interrupt again to abandon them)")
					close(d)
				} else {
					log.Warn("interrupted again: abandoning the tasks in hand")
					cancel()
					signal.Stop(sigs)
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return d, ctx, func() { signal.Stop(sigs); cancel() }
}
