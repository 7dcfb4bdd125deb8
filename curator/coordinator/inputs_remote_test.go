package coordinator

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/curator-dev/curator/workers/objstore"
)

func TestExpandAll(t *testing.T) {
	e, err := StartEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	nc, err := e.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, n := range []string{"cc/1.warc.gz", "cc/2.warc.wet.gz", "cc/notes.txt"} {
		if _, err := objstore.Put(ctx, js, "pool", n, strings.NewReader(n), 1); err != nil {
			t.Fatal(err)
		}
	}
	local := "../../testdata/shard/whirlwind_CC-MAIN-2024-22.warc.gz"
	url := "https://data.commoncrawl.org/crawl-data/CC-MAIN-2024-22/segments/x/warc/a.warc.gz"
	in, err := ExpandAll(ctx, []string{"object://pool/cc/*", url, local, url, "object://pool/cc/notes.txt"}, "", js)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{local, url, "object://pool/cc/1.warc.gz", "object://pool/cc/2.warc.wet.gz", "object://pool/cc/notes.txt"}
	if !reflect.DeepEqual(in.Files, want) || len(in.Ignored) != 0 {
		t.Errorf("files %q ignored %q, want files %q", in.Files, in.Ignored, want)
	}
	in, err = ExpandAll(ctx, []string{"object://pool/cc/*"}, "", js)
	if err != nil || !reflect.DeepEqual(in.Ignored, []string{"object://pool/cc/notes.txt"}) {
		t.Errorf("ignored %v (%v)", in, err)
	}
	for _, bad := range []string{"object://pool/missing.warc.gz", "object://pool/zz*", "https://x/*.warc.gz", "object://nobucket/a.warc.gz"} {
		if _, err := ExpandAll(ctx, []string{bad}, "", js); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if _, err := ExpandAll(ctx, []string{"object://pool/cc/1.warc.gz"}, "", nil); err == nil {
		t.Error("object input without NATS: no error")
	}
}
