package coordinator

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// A renewal that landed but whose answer was lost moves the lease's
// revision under its holder: the holder keeps the lease instead of taking
// itself for another coordinator.
func TestKeepLeaseAfterLostAnswer(t *testing.T) {
	c := newCluster(t)
	js := c.js("lease-test")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "lease-test"})
	if err != nil {
		t.Fatal(err)
	}
	const ttl = 300 * time.Millisecond
	rev, err := acquireLease(ctx, kv, "me", ttl, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	var lost atomic.Bool
	done := make(chan struct{})
	go func() {
		keepLease(ctx, kv, "me", rev, ttl, testLogger(t), func() { lost.Store(true) })
		close(done)
	}()
	// "me"'s own renewal, landed behind keepLease's back.
	b, _ := json.Marshal(lease{Holder: "me", Renewed: time.Now()})
	if _, err := kv.Update(ctx, leaseKey, b, rev); err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * ttl)
	if lost.Load() {
		t.Fatal("the holder gave up a lease it still held")
	}
	e, err := kv.Get(ctx, leaseKey)
	if err != nil {
		t.Fatal(err)
	}
	if e.Revision() <= rev+1 {
		t.Errorf("the lease was not renewed after its revision moved (revision %d)", e.Revision())
	}
	// Another coordinator's write is still a lost lease.
	b, _ = json.Marshal(lease{Holder: "other", Renewed: time.Now()})
	if _, err := kv.Put(ctx, leaseKey, b); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * ttl):
		t.Fatal("keepLease did not stop after another coordinator took the lease")
	}
	if !lost.Load() {
		t.Error("lost not called")
	}
}
