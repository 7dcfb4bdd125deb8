package objstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/curator-dev/curator/workers/shard"
)

const td = "../../testdata/shard/"

// startJetStream starts an in-process JetStream server (no network port)
// and returns a JetStream context connected to it.
func startJetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	srv, err := server.NewServer(&server.Options{ServerName: "objstore-test", JetStream: true,
		StoreDir: t.TempDir(), DontListen: true, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	nc, err := nats.Connect(srv.ClientURL(), nats.InProcessServer(srv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		nc.Close()
		srv.Shutdown()
		srv.WaitForShutdown()
	})
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// raggedReader returns reads of varying sizes, so that the object store
// writes chunks of varying sizes.
type raggedReader struct {
	r io.Reader
	i int
}

func (r *raggedReader) Read(p []byte) (int, error) {
	r.i++
	n := []int{1, 700, 4096, 33, 1000}[r.i%5]
	return r.r.Read(p[:min(len(p), n)])
}

// putChunked uploads a file with small chunks, ragged when ragged.
func putChunked(t *testing.T, js jetstream.JetStream, bucket, path string, ragged bool) string {
	t.Helper()
	ctx := context.Background()
	if _, err := Put(ctx, js, bucket, "init", strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	obs, err := js.ObjectStore(ctx, bucket)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = bytes.NewReader(data)
	if ragged {
		r = &raggedReader{r: r}
	}
	name := "crawl/" + filepath.Base(path)
	if ragged {
		name = "ragged/" + filepath.Base(path)
	}
	if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name, Opts: &jetstream.ObjectMetaOptions{ChunkSize: 1000}}, r); err != nil {
		t.Fatal(err)
	}
	return Name(bucket, name)
}

// readAll reads a range to its end.
func readAll(t *testing.T, rng shard.Range, opts shard.Options) ([]*shard.Record, shard.Counts) {
	t.Helper()
	r, err := shard.Open(context.Background(), rng, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []*shard.Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, r.Counts()
		}
		if err != nil {
			t.Fatalf("%s at %d: %v", rng.Path, rng.Start, err)
		}
		recs = append(recs, rec)
	}
}

func sameRecords(t *testing.T, local, remote shard.Range, opts shard.Options) {
	t.Helper()
	want, wc := readAll(t, local, shard.Options{})
	got, gc := readAll(t, remote, opts)
	if len(got) != len(want) {
		t.Fatalf("%s %d-%d: %d records, %d from the file", remote.Path, remote.Start, remote.End, len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s record %d: %s@%d, from the file %s@%d", remote.Path, i, got[i].ID, got[i].Offset, want[i].ID, want[i].Offset)
		}
	}
	if !reflect.DeepEqual(gc, wc) {
		t.Errorf("%s: counts %+v, from the file %+v", remote.Path, gc, wc)
	}
}

func TestReadMatchesLocal(t *testing.T) {
	js := startJetStream(t)
	files := []string{
		td + "whirlwind_CC-MAIN-2024-22.warc.gz",
		td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst",
		td + "real_web_docs_mixed_head40.jsonl.zst",
	}
	for _, file := range files {
		for _, ragged := range []bool{false, true} {
			for _, streamMax := range []int64{streamFromStartMax, 0} {
				name := putChunked(t, js, "shards", file, ragged)
				op := NewOpener(js, nil)
				op.streamMax = streamMax
				opts := shard.Options{Opener: op}
				if len(mustRecords(t, file)) == 0 {
					t.Fatal("no records")
				}
				sameRecords(t, shard.Whole(file), shard.Whole(name), opts)
				local, err := shard.Split(file, 5000, shard.Options{})
				if err != nil {
					t.Fatal(err)
				}
				remote, err := shard.Split(name, 5000, opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(local) != len(remote) {
					t.Fatalf("%s: %d ranges, %d from the file", name, len(remote), len(local))
				}
				for i := range local {
					if remote[i] != (shard.Range{Path: name, Start: local[i].Start, End: local[i].End}) {
						t.Fatalf("%s range %d: %+v, from the file %+v", name, i, remote[i], local[i])
					}
					sameRecords(t, local[i], remote[i], opts)
				}
			}
		}
	}
}

func mustRecords(t *testing.T, file string) []*shard.Record {
	recs, _ := readAll(t, shard.Whole(file), shard.Options{})
	return recs
}

// TestBytes reads an object every way a File can and compares the bytes.
func TestBytes(t *testing.T) {
	js := startJetStream(t)
	file := td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	name := putChunked(t, js, "bytes", file, true)
	op := NewOpener(js, nil)
	op.streamMax = 100
	f, err := op.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != int64(len(data)) {
		t.Fatalf("size %d, want %d", f.Size(), len(data))
	}
	for _, at := range []int64{0, 99, 100, 101, 999, 1000, 12345, int64(len(data)) - 1} {
		if _, err := f.Seek(at, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(f)
		if err != nil || !bytes.Equal(got, data[at:]) {
			t.Fatalf("read from %d: %d bytes (%v), want %d", at, len(got), err, len(data)-int(at))
		}
		p := make([]byte, 3000)
		n, err := f.ReadAt(p, at)
		want := data[at:min(int(at)+3000, len(data))]
		if !bytes.Equal(p[:n], want) || (n < len(p)) != (err == io.EOF) {
			t.Fatalf("ReadAt %d: %d bytes, %v", at, n, err)
		}
	}
}

func TestMissing(t *testing.T) {
	js := startJetStream(t)
	putChunked(t, js, "shards", td+"whirlwind_CC-MAIN-2024-22.warc.gz", false)
	opts := shard.Options{Opener: NewOpener(js, nil)}
	name := Name("shards", "crawl/nope.warc.gz")
	_, err := shard.Open(context.Background(), shard.Whole(name), opts)
	if !errors.Is(err, jetstream.ErrObjectNotFound) || !strings.Contains(err.Error(), name) {
		t.Errorf("missing object: %v", err)
	}
	_, err = shard.Open(context.Background(), shard.Whole("object://nobucket/x.warc.gz"), opts)
	if !errors.Is(err, jetstream.ErrBucketNotFound) || !strings.Contains(err.Error(), "nobucket") {
		t.Errorf("missing bucket: %v", err)
	}
	for _, bad := range []string{"object://", "object://b", "object://b/", "object://b.c/x"} {
		if _, err := shard.Open(context.Background(), shard.Whole(bad), opts); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// Anything else goes to the fallback.
	file := td + "whirlwind_CC-MAIN-2024-22.warc.gz"
	sameRecords(t, shard.Whole(file), shard.Whole(file), opts)
}

// TestChanged replaces an object while it is read by chunks.
func TestChanged(t *testing.T) {
	js := startJetStream(t)
	file := td + "whirlwind_CC-MAIN-2024-22.warc.gz"
	name := putChunked(t, js, "shards", file, false)
	op := NewOpener(js, nil)
	f, err := op.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := make([]byte, 10)
	if _, err := f.ReadAt(p, 0); err != nil {
		t.Fatal(err)
	}
	putChunked(t, js, "shards", file, false) // same name, new version
	_, err = f.ReadAt(p, 5000)
	if !errors.Is(err, shard.ErrChanged) || !strings.Contains(err.Error(), name) {
		t.Errorf("got %v, want ErrChanged naming %s", err, name)
	}
}

func TestListExpand(t *testing.T) {
	js := startJetStream(t)
	ctx := context.Background()
	for _, n := range []string{"cc/a/1.warc.gz", "cc/b/2.warc.gz", "cc/3.wet.gz", "other/4.warc.gz"} {
		if _, err := Put(ctx, js, "pool", n, strings.NewReader(n), 1); err != nil {
			t.Fatal(err)
		}
	}
	names := func(objs []Object) []string {
		var s []string
		for _, o := range objs {
			s = append(s, o.Name)
		}
		return s
	}
	got, err := List(ctx, js, "pool", "cc/")
	want := []string{"object://pool/cc/3.wet.gz", "object://pool/cc/a/1.warc.gz", "object://pool/cc/b/2.warc.gz"}
	if err != nil || !reflect.DeepEqual(names(got), want) || got[0].Size != int64(len("cc/3.wet.gz")) {
		t.Errorf("List: %v %v", got, err)
	}
	for in, want := range map[string][]string{
		"object://pool/cc/*":            {"object://pool/cc/3.wet.gz", "object://pool/cc/a/1.warc.gz", "object://pool/cc/b/2.warc.gz"},
		"object://pool/cc/*/*.warc.gz":  {"object://pool/cc/a/1.warc.gz", "object://pool/cc/b/2.warc.gz"},
		"object://pool/other/4.warc.gz": {"object://pool/other/4.warc.gz"},
	} {
		got, err := Expand(ctx, js, in)
		if err != nil || !reflect.DeepEqual(names(got), want) {
			t.Errorf("Expand %s: %v %v", in, names(got), err)
		}
	}
	for _, in := range []string{"object://pool/zz*", "object://pool/missing", "object://nobucket/x*"} {
		if _, err := Expand(ctx, js, in); err == nil {
			t.Errorf("Expand %s: no error", in)
		}
	}
}
