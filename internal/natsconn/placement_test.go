package natsconn

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// noPeers is the error a cluster answered in a CI run, right after it was
// ready, to a stream of three replicas (code 503, JSClusterNoPeersErr).
var noPeers = &jetstream.APIError{Code: 503, ErrorCode: errCodeNoPeers,
	Description: "no suitable peers for placement, peer offline"}

// TestRetryPlacement retries through "no suitable peers" only: other errors
// and success end it at once, and ctx bounds it.
func TestRetryPlacement(t *testing.T) {
	if !NoPeers(fmt.Errorf("task stream: %w", noPeers)) || NoPeers(jetstream.ErrStreamNotFound) || NoPeers(nil) {
		t.Fatal("NoPeers misclassifies")
	}
	calls := 0
	err := RetryPlacement(context.Background(), func(context.Context) error {
		if calls++; calls < 3 {
			return noPeers
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("placed after %d calls: %v, want 3 calls and no error", calls, err)
	}
	other := errors.New("insufficient resources")
	calls = 0
	if err := RetryPlacement(context.Background(), func(context.Context) error { calls++; return other }); err != other || calls != 1 {
		t.Errorf("another error: %v after %d calls, want it after 1", err, calls)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = RetryPlacement(ctx, func(context.Context) error { return noPeers })
	if !errors.Is(err, context.DeadlineExceeded) || !NoPeers(err) {
		t.Errorf("no peers until the deadline: %v, want the deadline and the last error", err)
	}
}
