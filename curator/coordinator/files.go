package coordinator

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go/jetstream"
)

// objectStore opens (creating it if need be) the store of what every
// worker must see byte for byte.
func (c *Coordinator) objectStore(ctx context.Context) (jetstream.ObjectStore, error) {
	obs, err := c.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: pb.ObjectStoreName,
		Description: "curator: what every worker must see byte for byte"})
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
// run's object store under its content hash, so that every worker can
// fetch the very bytes the run pinned. A file already there is not sent
// again.
func (c *Coordinator) publishFiles(ctx context.Context) error {
	seen := map[string]bool{}
	var obs jetstream.ObjectStore
	for _, r := range c.cfg.Tree.Recipes() {
		for _, f := range r.Files {
			if seen[f.SHA256] {
				continue
			}
			seen[f.SHA256] = true
			if obs == nil {
				var err error
				if obs, err = c.objectStore(ctx); err != nil {
					return err
				}
			}
			name := pb.FileObject(f.SHA256)
			digest, err := objectDigest(f.SHA256)
			if err != nil {
				return fmt.Errorf("coordinator: %s: %w", f.Resolved, err)
			}
			if info, err := obs.GetInfo(ctx, name); err == nil && info.Digest == digest && !info.Deleted {
				continue
			} else if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
				return fmt.Errorf("coordinator: object store: %w", err)
			}
			start := time.Now()
			fh, err := os.Open(f.Resolved)
			if err != nil {
				return fmt.Errorf("coordinator: recipe %s: %w", r.Name, err)
			}
			info, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name,
				Description: fmt.Sprintf("%s (%s.%s of recipe %s)", f.Path, f.Step, f.Param, r.Name)}, fh)
			fh.Close()
			if err != nil {
				return fmt.Errorf("coordinator: storing %s: %w", f.Resolved, err)
			}
			if info.Digest != digest {
				_ = obs.Delete(ctx, name)
				return fmt.Errorf("coordinator: %s changed since the recipe was loaded (digest %s, want %s)", f.Resolved, info.Digest, digest)
			}
			c.log.Info("file published to the run's object store", "file", f.Path, "object", name,
				"bytes", f.Bytes, "seconds", time.Since(start).Seconds())
		}
	}
	return nil
}

// FetchFile copies the object store file with content hash sha256hex to
// path, checking its bytes against the hash. Workers that do not hold a
// run's files read them this way.
func FetchFile(ctx context.Context, js jetstream.JetStream, sha256hex, path string) error {
	obs, err := js.ObjectStore(ctx, pb.ObjectStoreName)
	if err != nil {
		return fmt.Errorf("object store %s: %w", pb.ObjectStoreName, err)
	}
	name := pb.FileObject(sha256hex)
	tmp := path + ".tmp"
	if err := obs.GetFile(ctx, name, tmp); err != nil {
		return fmt.Errorf("fetching %s: %w", name, err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err == nil {
		if got := hex.EncodeToString(h.Sum(nil)); got != sha256hex {
			err = fmt.Errorf("fetched %s: sha256 %s", name, got)
		}
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
