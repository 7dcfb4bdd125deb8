package coordinator

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leaseKey is the run-state bucket key of the coordinator's lease (not a
// run id: run ids have no '.').
const leaseKey = "lease.coordinator"

// DefaultLease is how long a coordinator's lease lasts without renewal.
const DefaultLease = 15 * time.Second

// lease is the value of the lease key.
type lease struct {
	Holder  string    `json:"holder"`
	Renewed time.Time `json:"renewed"`
}

// acquireLease waits until no other coordinator holds the lease (its
// holder renews it every third of ttl; a holder that stops, killed or not,
// loses it after ttl) and takes it. It returns the revision to renew.
func acquireLease(ctx context.Context, kv jetstream.KeyValue, name string, ttl time.Duration, log *slog.Logger) (uint64, error) {
	logged := false
	for {
		now := time.Now()
		b, _ := json.Marshal(lease{Holder: name, Renewed: now})
		e, err := kv.Get(ctx, leaseKey)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			rev, err := kv.Create(ctx, leaseKey, b)
			if err == nil {
				return rev, nil
			}
		case err != nil:
			// A bucket just made may have no leader yet; NATS may be away.
			log.Warn("reading the coordinator lease; retrying", "err", err)
		default:
			var l lease
			_ = json.Unmarshal(e.Value(), &l)
			if l.Holder == name || now.Sub(e.Created()) > ttl {
				rev, err := kv.Update(ctx, leaseKey, b, e.Revision())
				if err == nil {
					return rev, nil
				}
			} else if !logged {
				log.Warn("another coordinator holds the lease; waiting for it to stop", "holder", l.Holder,
					"renewed", e.Created().UTC().Format(time.RFC3339), "lease", ttl)
				logged = true
			}
		}
		if !sleep(ctx, ttl/5) {
			return 0, ctx.Err()
		}
	}
}

// keepLease renews the lease every third of ttl until ctx is done; if
// another coordinator took it, lost is called.
func keepLease(ctx context.Context, kv jetstream.KeyValue, name string, rev uint64, ttl time.Duration, log *slog.Logger, lost func()) {
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// Leave: the next coordinator need not wait for the lease.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			_ = kv.Delete(dctx, leaseKey, jetstream.LastRevision(rev))
			cancel()
			return
		case <-t.C:
		}
		b, _ := json.Marshal(lease{Holder: name, Renewed: time.Now()})
		r, err := kv.Update(ctx, leaseKey, b, rev)
		if err == nil {
			rev = r
			continue
		}
		if ctx.Err() != nil {
			continue
		}
		if e, gerr := kv.Get(ctx, leaseKey); gerr == nil && e.Revision() != rev {
			var l lease
			_ = json.Unmarshal(e.Value(), &l)
			if l.Holder == name {
				// An earlier renewal landed but its answer was lost (NATS
				// away, a slow server): the lease is still ours.
				rev = e.Revision()
				continue
			}
			log.Error("another coordinator took the lease; stopping", "holder", l.Holder)
			lost()
			return
		}
		log.Warn("renewing the coordinator lease failed; retrying", "err", err)
	}
}
