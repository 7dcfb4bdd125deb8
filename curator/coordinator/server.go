// Package coordinator runs curation runs: it expands the inputs into tasks,
// puts them on a JetStream work-queue stream, merges the workers' results
// once per task, and writes each recipe's stats.json and the run's run.json.
// It knows the recipe tree only by its shape (nodes, recipes, step ids); the
// steps themselves are the workers' business.
package coordinator

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Embedded is a NATS server with JetStream running inside this process,
// reachable only through in-process connections.
type Embedded struct {
	srv *server.Server
}

// StartEmbedded starts a JetStream-enabled NATS server that keeps its store
// in storeDir and opens no network port.
func StartEmbedded(storeDir string) (*Embedded, error) {
	srv, err := server.NewServer(&server.Options{
		ServerName: "curator-embedded",
		JetStream:  true,
		StoreDir:   storeDir,
		DontListen: true,
		NoSigs:     true,
		NoLog:      true,
		MaxPayload: 8 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("embedded nats: not ready after 10s")
	}
	return &Embedded{srv: srv}, nil
}

// Connect opens an in-process client connection to the server.
func (e *Embedded) Connect(name string) (*nats.Conn, error) {
	nc, err := nats.Connect(e.srv.ClientURL(), nats.InProcessServer(e.srv), nats.Name(name))
	if err != nil {
		return nil, fmt.Errorf("embedded nats: connect: %w", err)
	}
	return nc, nil
}

// Shutdown stops the server and waits for it to be gone.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}
