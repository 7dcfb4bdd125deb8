package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/curator-dev/curator/workers/objstore"
)

// startLoopbackJetStream starts a JetStream server on a loopback port.
func startLoopbackJetStream(t *testing.T) *server.Server {
	t.Helper()
	srv, err := server.NewServer(&server.Options{ServerName: "put-test", Host: "127.0.0.1", Port: -1,
		JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	})
	return srv
}

func TestPut(t *testing.T) {
	srv := startLoopbackJetStream(t)
	files := []string{
		"../testdata/shard/whirlwind_CC-MAIN-2024-22.warc.gz",
		"../testdata/shard/resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst",
	}
	var stdout, stderr bytes.Buffer
	args := append([]string{"--nats", srv.ClientURL(), "--bucket", "shards", "--prefix", "CC-MAIN-2024-22/"}, files...)
	if err := cmdPut(args, &stdout, &stderr); err != nil {
		t.Fatalf("put: %v\n%s", err, stderr.String())
	}
	names := strings.Fields(stdout.String())
	if len(names) != len(files) {
		t.Fatalf("printed %q", stdout.String())
	}
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	op := objstore.NewOpener(js, nil)
	for i, file := range files {
		if want := "object://shards/CC-MAIN-2024-22/" + filepath.Base(file); names[i] != want {
			t.Errorf("printed %s, want %s", names[i], want)
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := op.Open(context.Background(), names[i])
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(f)
		f.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: read back %d bytes (%v), want the %d of %s", names[i], len(got), err, len(want), file)
		}
	}
	// Uploading again replaces the objects.
	stdout.Reset()
	if err := cmdPut(args, &stdout, &stderr); err != nil || len(strings.Fields(stdout.String())) != len(files) {
		t.Fatalf("put again: %v %q", err, stdout.String())
	}
	objs, err := objstore.List(context.Background(), js, "shards", "")
	if err != nil || len(objs) != len(files) {
		t.Errorf("bucket holds %v (%v)", objs, err)
	}
}

func TestPutUsage(t *testing.T) {
	file := "../testdata/shard/whirlwind_CC-MAIN-2024-22.warc.gz"
	for _, args := range [][]string{
		{"--nats", "nats://127.0.0.1:1", file},
		{"--nats", "nats://127.0.0.1:1", "--bucket", "b"},
		{"--nats", "nats://127.0.0.1:1", "--bucket", "b", "--replicas", "2", file},
		{"--nats", "nats://127.0.0.1:1", "--bucket", "b.c", file},
		{"--nats", "nats://127.0.0.1:1", "--bucket", "b", file, "other/" + filepath.Base(file)},
	} {
		var stdout, stderr bytes.Buffer
		if err := cmdPut(args, &stdout, &stderr); !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	srv := startLoopbackJetStream(t)
	var stdout, stderr bytes.Buffer
	err := cmdPut([]string{"--nats", srv.ClientURL(), "--bucket", "b", "no/such.warc.gz"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "no/such.warc.gz") {
		t.Errorf("missing file: %v", err)
	}
}
