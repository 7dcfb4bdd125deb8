package workers

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"

	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/objstore"
	"github.com/nats-io/nats.go/jetstream"
)

// Uploader puts a local file in an object store as object (object://BUCKET/NAME)
// and returns the object's SHA-256 digest, in hex.
type Uploader func(ctx context.Context, object, path string) (sha256hex string, err error)

// ObjectUploader is an Uploader over a JetStream object store.
func ObjectUploader(js jetstream.JetStream) Uploader {
	return func(ctx context.Context, object, local string) (string, error) {
		bucket, name, err := objstore.Parse(object)
		if err != nil {
			return "", err
		}
		f, err := os.Open(local)
		if err != nil {
			return "", err
		}
		defer f.Close()
		info, err := objstore.Put(ctx, js, bucket, name, f, 1)
		if err != nil {
			return "", err
		}
		sum, err := base64.URLEncoding.DecodeString(trimDigest(info.Digest))
		if err != nil {
			return "", fmt.Errorf("put %s: digest %q: %w", object, info.Digest, err)
		}
		return hex.EncodeToString(sum), nil
	}
}

func trimDigest(d string) string {
	const p = "SHA-256="
	if len(d) > len(p) && d[:len(p)] == p {
		return d[len(p):]
	}
	return d
}

// scratchDir is where a task bound for an object store writes its outputs
// before they are put there.
func (w *Worker) scratchDir(t *pb.Task) string {
	base := w.cfg.ScratchDir
	if base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "scratch", t.GetRunId(), "task-"+strconv.FormatInt(t.GetIndex(), 10))
}

// upload puts a task's committed outputs in its object store and removes
// the local copies. Each object must have the bytes the task wrote.
func (w *Worker) upload(ctx context.Context, t *pb.Task, dir string, outs []*pb.RecipeOutputs) error {
	defer os.RemoveAll(dir)
	if w.cfg.Upload == nil {
		return fmt.Errorf("task %d: outputs to %s: this worker has no object store to put them in", t.GetIndex(), t.GetOptions().GetOutputObject())
	}
	prefix := t.GetOptions().GetOutputObject()
	for _, ro := range outs {
		for _, o := range []*pb.Output{ro.GetData(), ro.GetRemoved()} {
			if o == nil {
				continue
			}
			object := prefix + "/" + path.Clean(o.GetPath())
			got, err := w.cfg.Upload(ctx, object, filepath.Join(dir, filepath.FromSlash(o.GetPath())))
			if err != nil {
				return fmt.Errorf("task %d: %w", t.GetIndex(), err)
			}
			if got != o.GetSha256() {
				return fmt.Errorf("task %d: put %s: sha256 %s, the task wrote %s", t.GetIndex(), object, got, o.GetSha256())
			}
		}
	}
	return nil
}
