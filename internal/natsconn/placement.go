package natsconn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// errCodeNoPeers is the JetStream API error a cluster answers when it cannot
// place a replicated stream now ("no suitable peers for placement";
// nats-server's JSClusterNoPeersErr): a peer the meta leader has not heard
// from lately counts as offline until its next heartbeat, which a loaded
// machine delays.
const errCodeNoPeers jetstream.ErrorCode = 10005

// NoPeers reports whether err is a cluster's "no suitable peers for
// placement".
func NoPeers(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == errCodeNoPeers
}

// RetryPlacement calls create until it returns anything but NoPeers, or ctx
// ends, waiting 100 ms at first and up to 2 s between calls.
func RetryPlacement(ctx context.Context, create func(context.Context) error) error {
	wait := 100 * time.Millisecond
	for {
		err := create(ctx)
		if !NoPeers(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (while the cluster had no peers to place it: %w)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}
