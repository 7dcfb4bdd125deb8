package coordinator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/workers/objstore"
	"github.com/nats-io/nats.go/jetstream"
)

// checkOutputObject checks an object store output (object://BUCKET/PREFIX)
// for a tree.
func checkOutputObject(out string, tree *filters.Tree) error {
	_, prefix, err := objstore.Parse(out)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if !localName(prefix) {
		return fmt.Errorf("output %s: want a relative prefix without '..' or empty parts", out)
	}
	if len(tree.Barriers()) > 0 {
		return fmt.Errorf("output %s: keep_top and dedup steps stage documents for the coordinator to read: their runs need a shared filesystem output", out)
	}
	return nil
}

// localName reports whether a slash-separated name stays below its root.
func localName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && path.Clean(name) == name && filepath.IsLocal(filepath.FromSlash(name))
}

// ensureOutputBucket creates the output object store if it is missing (the
// workers may only put objects in it).
func (c *Coordinator) ensureOutputBucket(ctx context.Context) error {
	bucket, _, err := objstore.Parse(c.cfg.OutputObject)
	if err != nil {
		return err
	}
	if _, err := c.js.ObjectStore(ctx, bucket); err == nil {
		return nil
	}
	_, err = c.js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: bucket,
		Description: "curator: outputs", Storage: jetstream.FileStorage, Replicas: c.cfg.Replicas})
	if err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
		return fmt.Errorf("coordinator: output bucket %s: %w", bucket, err)
	}
	return nil
}

// uploadReports puts run.json and every recipe's stats.json in the output
// object store, beside the outputs.
func (c *Coordinator) uploadReports(ctx context.Context) error {
	files := []string{RunFile}
	for _, r := range c.cfg.Tree.Recipes() {
		files = append(files, r.Name+"/"+StatsFile)
	}
	for _, rel := range files {
		f, err := os.Open(filepath.Join(c.cfg.OutputDir, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		bucket, prefix, _ := objstore.Parse(c.cfg.OutputObject)
		_, err = objstore.Put(ctx, c.js, bucket, prefix+"/"+rel, f, c.cfg.Replicas)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
