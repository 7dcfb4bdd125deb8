// Package objstore keeps shards in NATS JetStream object stores: it opens
// names of the form object://BUCKET/NAME as shard.Files (an Opener for
// shard.Options), uploads shards (Put) and lists them (List, Expand).
//
// An object is a series of chunk messages on its own subject of the
// bucket's stream. Reading from the start streams the object with the
// object store's Get, which checks the object's SHA-256 digest at the end; a
// read from elsewhere (a Seek far from the start, a ReadAt) first indexes the
// object's chunks (one headers-only pass over their messages: about a
// hundred bytes per chunk, not their data) and then fetches the chunks it
// needs by sequence number (one direct get per chunk), so a range task of a
// large object reads its own bytes, not everything before them.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/curator-dev/curator/workers/shard"
)

// Scheme starts the names of objects.
const Scheme = "object://"

// Name returns the shard name of an object: object://BUCKET/NAME.
func Name(bucket, name string) string { return Scheme + bucket + "/" + name }

// IsObject reports whether s is an object name (object://...).
func IsObject(s string) bool {
	return len(s) >= len(Scheme) && strings.EqualFold(s[:len(Scheme)], Scheme)
}

// Parse splits an object name into its bucket and object name (which may
// hold '/'). It is an error for s not to be a well-formed object name.
func Parse(s string) (bucket, name string, err error) {
	if !IsObject(s) {
		return "", "", fmt.Errorf("%q is not an object name (object://BUCKET/NAME)", s)
	}
	bucket, name, _ = strings.Cut(s[len(Scheme):], "/")
	if !validBucket(bucket) {
		return "", "", fmt.Errorf("object name %q: bad bucket name %q (letters, digits, '-' and '_')", s, bucket)
	}
	if name == "" {
		return "", "", fmt.Errorf("object name %q: no object name after the bucket", s)
	}
	return bucket, name, nil
}

func validBucket(b string) bool {
	if b == "" {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Opener opens object names in the buckets of one JetStream context, and
// hands any other name to a fallback. It is safe for concurrent use.
type Opener struct {
	js       jetstream.JetStream
	fallback shard.Opener

	// streamMax is how far from the start a sequential read streams the
	// object with Get (streamFromStartMax; tests change it).
	streamMax int64
	// stallTimeout is stallTimeout; tests change it.
	stallTimeout time.Duration

	mu     sync.Mutex
	stores map[string]jetstream.ObjectStore
}

// NewOpener returns an Opener over js; names that are not object names go
// to fallback (nil: shard.DefaultOpener{}, local files and HTTP(S) URLs).
func NewOpener(js jetstream.JetStream, fallback shard.Opener) *Opener {
	if fallback == nil {
		fallback = shard.DefaultOpener{}
	}
	return &Opener{js: js, fallback: fallback, streamMax: streamFromStartMax, stallTimeout: stallTimeout, stores: map[string]jetstream.ObjectStore{}}
}

// store returns the bucket's object store, looked up once.
func (o *Opener) store(ctx context.Context, bucket string) (jetstream.ObjectStore, error) {
	o.mu.Lock()
	obs := o.stores[bucket]
	o.mu.Unlock()
	if obs != nil {
		return obs, nil
	}
	obs, err := o.js.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("object store bucket %s: %w", bucket, err)
	}
	o.mu.Lock()
	o.stores[bucket] = obs
	o.mu.Unlock()
	return obs, nil
}

// Open opens name: an object, or anything the fallback opens.
func (o *Opener) Open(ctx context.Context, name string) (shard.File, error) {
	return o.open(ctx, name, 0)
}

// maxLinks bounds a chain of links.
const maxLinks = 8

func (o *Opener) open(ctx context.Context, name string, links int) (shard.File, error) {
	if !IsObject(name) {
		return o.fallback.Open(ctx, name)
	}
	bucket, oname, err := Parse(name)
	if err != nil {
		return nil, err
	}
	obs, err := o.store(ctx, bucket)
	if err != nil {
		return nil, err
	}
	info, err := obs.GetInfo(ctx, oname)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, err)
	}
	if info.Opts != nil && info.Opts.Link != nil {
		l := info.Opts.Link
		if l.Name == "" {
			return nil, fmt.Errorf("object %s: a link to a whole bucket (%s), not to an object", name, l.Bucket)
		}
		if links >= maxLinks {
			return nil, fmt.Errorf("object %s: more than %d links in a row", name, maxLinks)
		}
		return o.open(ctx, Name(l.Bucket, l.Name), links+1)
	}
	return &file{ctx: ctx, js: o.js, obs: obs, name: name, bucket: bucket, info: info,
		size: int64(info.Size), streamMax: o.streamMax, stallTimeout: o.stallTimeout}, nil
}

// Put uploads r as object name of bucket, creating the bucket (file
// storage, with the given number of replicas) if it does not exist. An
// existing object of that name is replaced.
func Put(ctx context.Context, js jetstream.JetStream, bucket, name string, r io.Reader, replicas int) (*jetstream.ObjectInfo, error) {
	if !validBucket(bucket) {
		return nil, fmt.Errorf("bad bucket name %q (letters, digits, '-' and '_')", bucket)
	}
	if name == "" {
		return nil, errors.New("put: empty object name")
	}
	obs, err := js.ObjectStore(ctx, bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		obs, err = js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: bucket,
			Description: "curator shards", Storage: jetstream.FileStorage, Replicas: max(replicas, 1)})
		if errors.Is(err, jetstream.ErrBucketExists) || errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			obs, err = js.ObjectStore(ctx, bucket) // created meanwhile
		}
	}
	if err != nil {
		return nil, fmt.Errorf("object store bucket %s: %w", bucket, err)
	}
	info, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name}, r)
	if err != nil {
		return nil, fmt.Errorf("put %s: %w", Name(bucket, name), err)
	}
	return info, nil
}

// Object is one listed object.
type Object struct {
	Name string // object://BUCKET/NAME
	Size int64
}

// List returns the objects of bucket whose names start with prefix, sorted
// by name (deleted objects and links left out). An empty bucket is an empty
// list, a missing bucket an error.
func List(ctx context.Context, js jetstream.JetStream, bucket, prefix string) ([]Object, error) {
	obs, err := js.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("object store bucket %s: %w", bucket, err)
	}
	infos, err := obs.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("object store bucket %s: list: %w", bucket, err)
	}
	var out []Object
	for _, in := range infos {
		if in.Deleted || (in.Opts != nil && in.Opts.Link != nil) || !strings.HasPrefix(in.Name, prefix) {
			continue
		}
		out = append(out, Object{Name: Name(bucket, in.Name), Size: int64(in.Size)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Expand turns an object input into objects: object://BUCKET/PREFIX* (a
// trailing '*': every object whose name starts with PREFIX; a pattern
// with other wildcards is matched with path.Match against the whole
// name), or object://BUCKET/NAME (that object, which must exist). It is an
// error for a pattern to match nothing.
func Expand(ctx context.Context, js jetstream.JetStream, input string) ([]Object, error) {
	bucket, name, err := Parse(input)
	if err != nil {
		return nil, err
	}
	if !strings.ContainsAny(name, "*?[") {
		obs, err := js.ObjectStore(ctx, bucket)
		if err != nil {
			return nil, fmt.Errorf("object store bucket %s: %w", bucket, err)
		}
		info, err := obs.GetInfo(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("object %s: %w", input, err)
		}
		return []Object{{Name: input, Size: int64(info.Size)}}, nil
	}
	prefix := name[:strings.IndexAny(name, "*?[")]
	objs, err := List(ctx, js, bucket, prefix)
	if err != nil {
		return nil, err
	}
	if _, err := path.Match(name, ""); err != nil {
		return nil, fmt.Errorf("input %q: %w", input, err)
	}
	var out []Object
	for _, o := range objs {
		n := o.Name[len(Scheme)+len(bucket)+1:]
		if strings.HasSuffix(name, "*") && !strings.ContainsAny(name[:len(name)-1], "*?[") {
			out = append(out, o) // PREFIX*: every name under the prefix, '/' included
			continue
		}
		if ok, _ := path.Match(name, n); ok {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("input %q matches no object", input)
	}
	return out, nil
}
