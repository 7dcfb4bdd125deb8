package coordinator

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/shard"
)

// shardSuffixes are the file names taken from a directory or a glob. A file
// named explicitly is always taken.
var shardSuffixes = []string{".warc", ".wet", ".jsonl", ".arc"}

// compressionSuffixes may follow a shard suffix.
var compressionSuffixes = []string{"", ".gz", ".zst", ".zstd"}

// looksLikeShard reports whether a file found in a directory or by a glob
// is a shard, by its name.
func looksLikeShard(name string) bool {
	name = strings.ToLower(name)
	if strings.HasPrefix(filepath.Base(name), ".") {
		return false
	}
	for _, c := range compressionSuffixes {
		base, ok := strings.CutSuffix(name, c)
		if !ok {
			continue
		}
		for _, s := range shardSuffixes {
			if strings.HasSuffix(base, s) {
				return true
			}
		}
	}
	return false
}

// Inputs are the shard files of a run.
type Inputs struct {
	// Files are the shard files, in canonical order (sorted, duplicates removed).
	Files []string
	// Ignored are files found in directories or by globs that are not
	// shards by their names.
	Ignored []string
}

// ExpandInputs turns the inputs given to a run (files, directories walked
// recursively, or glob patterns) into the run's shard files. skip names a
// directory never to enter (the run's own output directory).
func ExpandInputs(inputs []string, skip string) (*Inputs, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("no inputs")
	}
	seen := map[string]bool{}
	in := &Inputs{}
	add := func(p string, named bool) {
		p = filepath.Clean(p)
		if seen[p] {
			return
		}
		seen[p] = true
		if named || looksLikeShard(p) {
			in.Files = append(in.Files, p)
		} else {
			in.Ignored = append(in.Ignored, p)
		}
	}
	skipAbs, _ := filepath.Abs(skip)
	for _, arg := range inputs {
		paths := []string{arg}
		globbed := false
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", arg, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("input %q matches no file", arg)
			}
			paths, globbed = m, true
		}
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("input: %w", err)
			}
			if !fi.IsDir() {
				add(p, !globbed)
				continue
			}
			err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() {
					if a, _ := filepath.Abs(q); skip != "" && a == skipAbs {
						return filepath.SkipDir
					}
					if q != p && strings.HasPrefix(d.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if d.Type().IsRegular() {
					add(q, false)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", p, err)
			}
		}
	}
	sort.Strings(in.Files)
	sort.Strings(in.Ignored)
	if len(in.Files) == 0 {
		return nil, fmt.Errorf("inputs %q hold no shard files (names ending in .warc, .wet or .jsonl, optionally .gz or .zst)", inputs)
	}
	return in, nil
}

// PlanTasks splits every file into record-range tasks of about taskBytes
// (whole files where a file cannot be split) and numbers them in canonical
// order: file order, then offset.
func PlanTasks(run string, files []string, taskBytes int64, opts shard.Options, topts *pb.TaskOptions) ([]*pb.Task, error) {
	var tasks []*pb.Task
	for _, f := range files {
		split := taskBytes
		if IsRemote(f) {
			// Finding the record boundaries of a remote shard would
			// download all of it here: a remote shard is one task.
			split = 0
		}
		ranges, err := shard.Split(f, split, opts)
		if err != nil || len(ranges) == 0 {
			// A file that cannot be split (or whose damage stops the split)
			// is one task; reading it will say what is wrong.
			ranges = []shard.Range{shard.Whole(f)}
		}
		for _, r := range ranges {
			tasks = append(tasks, &pb.Task{
				Version: pb.Version,
				RunId:   run,
				Index:   int64(len(tasks)),
				Range:   &pb.ShardRange{Version: pb.Version, Path: r.Path, Start: r.Start, End: r.End},
				Options: topts,
			})
		}
	}
	return tasks, nil
}
