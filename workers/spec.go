package workers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/nats-io/nats.go/jetstream"
)

// RecipeSpecs describes recipes for a RunSpec: each recipe's YAML,
// overrides and pinned files, so that another machine can build the very
// same recipes (BuildTree).
func RecipeSpecs(recipes []*filters.Recipe) []*pb.RecipeSpec {
	var out []*pb.RecipeSpec
	for _, r := range recipes {
		rs := &pb.RecipeSpec{Version: pb.Version, Path: r.Path, Yaml: r.Data, Hash: r.Hash}
		for _, o := range r.Set {
			rs.Set = append(rs.Set, o.String())
		}
		for _, f := range r.Files {
			rs.Files = append(rs.Files, &pb.FileSpec{Version: pb.Version, Step: f.Step, Param: f.Param,
				Path: f.Path, Sha256: f.SHA256, Bytes: f.Bytes})
		}
		out = append(out, rs)
	}
	return out
}

// FileFetcher returns a local copy of the file with the given content hash
// and size.
type FileFetcher func(ctx context.Context, sha256hex string, size int64) (path string, err error)

// BuildTree builds the recipes of a RunSpec from their YAML, with each
// pinned file read from the local copy fetch returns. A recipe whose hash
// differs from the submitter's (another curator version building its steps
// differently, a file that changed) is an error: the run's outputs must not
// depend on which machine built it.
func BuildTree(ctx context.Context, specs []*pb.RecipeSpec, fetch FileFetcher) (*filters.Tree, error) {
	var recipes []*filters.Recipe
	fail := func(err error) (*filters.Tree, error) {
		for _, r := range recipes {
			r.Close()
		}
		return nil, err
	}
	for _, rs := range specs {
		if err := pb.CheckVersion("recipe spec", rs.GetVersion()); err != nil {
			return fail(err)
		}
		env := filters.Env{Dir: filepath.Dir(rs.GetPath()), Files: map[string]string{}}
		for _, f := range rs.GetFiles() {
			local, err := fetch(ctx, f.GetSha256(), f.GetBytes())
			if err != nil {
				return fail(fmt.Errorf("recipe %s: file %s (%s.%s): %w", rs.GetPath(), f.GetPath(), f.GetStep(), f.GetParam(), err))
			}
			env.Files[f.GetPath()] = local
		}
		var set []filters.Override
		for _, s := range rs.GetSet() {
			o, err := filters.ParseOverride(s)
			if err != nil {
				return fail(fmt.Errorf("recipe %s: %w", rs.GetPath(), err))
			}
			set = append(set, o)
		}
		r, err := filters.ParseRecipeIn(env, rs.GetPath(), rs.GetYaml(), set...)
		if err != nil {
			return fail(err)
		}
		recipes = append(recipes, r)
		if r.Hash != rs.GetHash() {
			return fail(fmt.Errorf("recipe %s builds to hash %s here, %s where it was submitted (different curator versions or files)",
				rs.GetPath(), r.Hash, rs.GetHash()))
		}
	}
	return filters.NewTree(recipes)
}

// ObjectFiles is a FileFetcher over the run's object store that keeps its
// copies in dir, named by content hash; a copy already there is checked
// and reused.
func ObjectFiles(js jetstream.JetStream, dir string) FileFetcher {
	return func(ctx context.Context, sum string, size int64) (string, error) {
		if len(sum) != 64 {
			return "", fmt.Errorf("bad sha256 %q", sum)
		}
		if _, err := hex.DecodeString(sum); err != nil {
			return "", fmt.Errorf("bad sha256 %q", sum)
		}
		path := filepath.Join(dir, sum)
		if got, n, err := filters.HashFile(path); err == nil && got == sum && n == size {
			return path, nil
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		if err := FetchFile(ctx, js, sum, path); err != nil {
			return "", err
		}
		return path, nil
	}
}

// FetchFile copies the object store file with content hash sha256hex to
// path, checking its bytes against the hash.
func FetchFile(ctx context.Context, js jetstream.JetStream, sha256hex, path string) error {
	obs, err := js.ObjectStore(ctx, pb.ObjectStoreName)
	if err != nil {
		return fmt.Errorf("object store %s: %w", pb.ObjectStoreName, err)
	}
	name := pb.FileObject(sha256hex)
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	obj, err := obs.Get(ctx, name)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("fetching %s: %w", name, err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), obj)
	obj.Close()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fetching %s: %w", name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha256hex {
		return fmt.Errorf("fetched %s: sha256 %s", name, got)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return nil
}
