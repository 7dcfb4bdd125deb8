package coordinator

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/curator-dev/curator/workers/objstore"
	"github.com/curator-dev/curator/workers/shard"
)

// IsRemote reports whether a run input names shards that are not files: an
// http:// or https:// URL, or an object:// name.
func IsRemote(input string) bool { return shard.IsHTTP(input) || objstore.IsObject(input) }

// ExpandRemote expands a run's remote inputs and returns the others
// untouched (local, for ExpandInputs). An HTTP(S) URL is taken as it is
// (HTTP cannot list, so it may not be a pattern; it is not fetched here:
// a missing one fails its task). object://BUCKET/NAME must exist;
// object://BUCKET/PREFIX* (or another path.Match pattern) takes the
// bucket's objects that match and look like shards by name, the others
// going to Ignored. js may be nil when no input is an object.
func ExpandRemote(ctx context.Context, inputs []string, js jetstream.JetStream) (remote *Inputs, local []string, err error) {
	remote = &Inputs{}
	seen := map[string]bool{}    // taken
	ignored := map[string]bool{} // matched by a pattern, not shards by name
	for _, in := range inputs {
		switch {
		case shard.IsHTTP(in):
			if strings.ContainsAny(in, "*") {
				return nil, nil, fmt.Errorf("input %q: an HTTP(S) URL cannot be a pattern (HTTP cannot list)", in)
			}
			if !seen[in] {
				seen[in] = true
				remote.Files = append(remote.Files, in)
			}
		case objstore.IsObject(in):
			if js == nil {
				return nil, nil, fmt.Errorf("input %q: object store inputs need a NATS JetStream connection", in)
			}
			objs, err := objstore.Expand(ctx, js, in)
			if err != nil {
				return nil, nil, fmt.Errorf("input: %w", err)
			}
			_, name, _ := objstore.Parse(in)
			pattern := strings.ContainsAny(name, "*?[")
			for _, o := range objs {
				if !pattern || looksLikeShard(o.Name) {
					if !seen[o.Name] {
						remote.Files = append(remote.Files, o.Name)
					}
					seen[o.Name] = true
				} else if !seen[o.Name] {
					ignored[o.Name] = true
				}
			}
		default:
			local = append(local, in)
		}
	}
	for name := range ignored {
		if !seen[name] { // named explicitly too
			remote.Ignored = append(remote.Ignored, name)
		}
	}
	sort.Strings(remote.Files)
	sort.Strings(remote.Ignored)
	return remote, local, nil
}

// ExpandAll is ExpandInputs for inputs that may also be remote (see
// ExpandRemote): the run's shards, local paths and remote names together,
// sorted and without duplicates.
func ExpandAll(ctx context.Context, inputs []string, skip string, js jetstream.JetStream) (*Inputs, error) {
	if len(inputs) == 0 {
		return nil, errors.New("no inputs")
	}
	in, local, err := ExpandRemote(ctx, inputs, js)
	if err != nil {
		return nil, err
	}
	if len(local) > 0 {
		l, err := ExpandInputs(local, skip)
		if err != nil {
			return nil, err
		}
		in.Files = append(in.Files, l.Files...)
		in.Ignored = append(in.Ignored, l.Ignored...)
		sort.Strings(in.Files)
		sort.Strings(in.Ignored)
	}
	if len(in.Files) == 0 {
		return nil, fmt.Errorf("inputs %q hold no shards (names ending in .warc, .wet or .jsonl, optionally .gz or .zst)", inputs)
	}
	return in, nil
}
