package coordinator

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go/jetstream"
)

// objectStore opens the store of what every worker must see byte for
// byte (Start made sure it exists).
func (c *Coordinator) objectStore(ctx context.Context) (jetstream.ObjectStore, error) {
	obs, err := c.js.ObjectStore(ctx, pb.ObjectStoreName)
	if err != nil {
		return nil, fmt.Errorf("coordinator: object store %s: %w", pb.ObjectStoreName, err)
	}
	return obs, nil
}

// objectDigest is the digest JetStream gives an object of these bytes.
func objectDigest(sha256hex string) (string, error) {
	b, err := hex.DecodeString(sha256hex)
	if err != nil {
		return "", err
	}
	return "SHA-256=" + base64.URLEncoding.EncodeToString(b), nil
}

// publishFiles puts every file the recipes read (models, banlists) into the
// run's object store under its content hash.
func (c *Coordinator) publishFiles(ctx context.Context) error {
	obs, err := c.objectStore(ctx)
	if err != nil {
		return err
	}
	if err := PublishFiles(ctx, obs, c.cfg.Tree.Recipes(), c.log); err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	return nil
}

// PublishFiles puts every file the recipes read into obs under its
// content hash (pb.FileObject), so that every worker can fetch the very
// bytes the run pinned. A file already there is not sent again; a file
// that changed since the recipe was loaded is an error. log may be nil.
func PublishFiles(ctx context.Context, obs jetstream.ObjectStore, recipes []*filters.Recipe, log *slog.Logger) error {
	seen := map[string]bool{}
	for _, r := range recipes {
		for _, f := range r.Files {
			if seen[f.SHA256] {
				continue
			}
			seen[f.SHA256] = true
			name := pb.FileObject(f.SHA256)
			digest, err := objectDigest(f.SHA256)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Resolved, err)
			}
			if info, err := obs.GetInfo(ctx, name); err == nil && info.Digest == digest && !info.Deleted {
				continue
			} else if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
				return fmt.Errorf("object store: %w", err)
			}
			start := time.Now()
			fh, err := os.Open(f.Resolved)
			if err != nil {
				return fmt.Errorf("recipe %s: %w", r.Name, err)
			}
			info, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name,
				Description: fmt.Sprintf("%s (%s.%s of recipe %s)", f.Path, f.Step, f.Param, r.Name)}, fh)
			fh.Close()
			if err != nil {
				return fmt.Errorf("storing %s: %w", f.Resolved, err)
			}
			if info.Digest != digest {
				_ = obs.Delete(ctx, name)
				return fmt.Errorf("%s changed since the recipe was loaded (digest %s, want %s)", f.Resolved, info.Digest, digest)
			}
			if log != nil {
				log.Info("file published to the object store", "file", f.Path, "object", name,
					"bytes", f.Bytes, "seconds", time.Since(start).Seconds())
			}
		}
	}
	return nil
}
