package workers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pb "github.com/curator-dev/curator/proto"
)

// BenchmarkProcessTask runs whole tasks (read, two recipes sharing a
// prefix, write both outputs) over real shards and reports documents per
// second. Outputs are fsynced: on a slow disk that dominates small tasks.
func BenchmarkProcessTask(b *testing.B) {
	for _, name := range []string{"dolma_cc_en_head-0174.jsonl.gz", "resiliparse_CC-MAIN-2020-34_warcfile.warc.gz"} {
		b.Run(name, func(b *testing.B) {
			tree := loadTreeB(b, "even", "upper")
			w, err := New(Config{ID: "bench", Tree: tree})
			if err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(poolDir, name)
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			task := newTask(tree, path, b.TempDir(), true)
			b.SetBytes(fi.Size())
			var docs int64
			for b.Loop() {
				res, err := w.ProcessTask(context.Background(), task)
				if err != nil || res.GetStatus() != pb.Status_STATUS_OK {
					b.Fatal(res, err)
				}
				docs += res.GetRecords()
			}
			b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkEncodeLine measures the output encoding of one document.
func BenchmarkEncodeLine(b *testing.B) {
	o := newOutputs(b.TempDir(), nil, 0, nil, false, nil)
	text := strings.Repeat("Curated web text, with some words \"quoted\" and a line.\n", 70)
	l := docLine{ID: "<urn:uuid:d0cad1a9-b0b0-4067-925a-e9ef4905d25e>", URL: "https://example.com/a/b?c=d", Text: text,
		Metadata: []byte(`{"WARC-Type":"response","WARC-Date":"2016-12-02T18:03:04Z"}`),
		Signals:  map[string]any{"test_words": 700, "lang_score": 0.93, "lang": "en"}}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := o.encode(&l); err != nil {
			b.Fatal(err)
		}
	}
}
