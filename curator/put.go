package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/curator-dev/curator/workers/objstore"
	"github.com/nats-io/nats.go/jetstream"
)

// cmdPut is `curator put`: it uploads shard files to a JetStream object
// store bucket and prints the name of each (object://BUCKET/NAME), for use
// as a run's inputs.
func cmdPut(args []string, stdout, stderr io.Writer) error {
	f := newClusterFlags("put", "--nats URL[,URL...] --bucket NAME [--replicas 1|3] [--prefix P] FILE...", stderr)
	var bucket, prefix string
	var replicas int
	f.fs.StringVar(&bucket, "bucket", "", "object store bucket `name` (made if missing)")
	f.fs.StringVar(&prefix, "prefix", "", "`prefix` of the object names (NAME = prefix + the file's base name), e.g. CC-MAIN-2024-22/")
	f.fs.IntVar(&replicas, "replicas", 1, "replica count of a bucket made by this command: 1, or 3 on a three-node cluster")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	switch {
	case bucket == "":
		return fmt.Errorf("%w: put needs --bucket", errUsage)
	case len(files) == 0:
		return fmt.Errorf("%w: put needs files to upload", errUsage)
	case replicas != 1 && replicas != 3:
		return fmt.Errorf("%w: --replicas must be 1 or 3", errUsage)
	}
	if _, _, err := objstore.Parse(objstore.Name(bucket, "x")); err != nil {
		return fmt.Errorf("%w: --bucket: %v", errUsage, err)
	}
	seen := map[string]string{}
	for _, file := range files {
		name := prefix + filepath.Base(file)
		if prev, ok := seen[name]; ok {
			return fmt.Errorf("%w: %s and %s would both be %s", errUsage, prev, file, objstore.Name(bucket, name))
		}
		seen[name] = file
	}
	log, err := f.logger(stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	nc, js, err := f.connect(ctx, "curator-put", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	for _, file := range files {
		name := prefix + filepath.Base(file)
		if err := putFile(ctx, js, bucket, name, replicas, file); err != nil {
			return err
		}
		log.Debug("uploaded", "file", file, "object", objstore.Name(bucket, name))
		fmt.Fprintln(stdout, objstore.Name(bucket, name))
	}
	return nil
}

// putFile uploads one file and checks that the object has its size.
func putFile(ctx context.Context, js jetstream.JetStream, bucket, name string, replicas int, file string) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", file)
	}
	info, err := objstore.Put(ctx, js, bucket, name, fh, replicas)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if int64(info.Size) != st.Size() {
		return fmt.Errorf("%s: uploaded %d bytes of %d (did the file change?)", file, info.Size, st.Size())
	}
	return nil
}
