package shard

import (
	"strconv"
	"strings"
	"testing"
)

func TestJSONL(t *testing.T) {
	lines := []string{
		`{"id":"a","text":"one","url":"http://a/","metadata":{"k":[1,2]}}`,
		``,
		`{"text":"two","metadata":{"WARC-Target-URI":"http://b/"}}`,
		`not json`,
		`{"id":"c","url":"http://c/"}`,
		`{"id":7,"text":"three","url":null,"metadata":{"url":"http://d/"}}`,
		`{"id":"big","text":"` + strings.Repeat("x", 300) + `"}`,
		`{"id":"last","text":"four\nlines"}`, // no final newline
	}
	data := strings.Join(lines, "\r\n")
	for _, name := range []string{"x.jsonl", "x.jsonl.gz", "x.jsonl.zst"} {
		b := []byte(data)
		switch {
		case strings.HasSuffix(name, ".gz"):
			b = gzipBytes(t, b)
		case strings.HasSuffix(name, ".zst"):
			b = zstdBytes(t, b)
		}
		p := writeTemp(t, name, b)
		res := readAll(t, Whole(p), Options{MaxRecordBytes: 200})
		if res.fatal != nil {
			t.Fatalf("%s: %v", name, res.fatal)
		}
		if len(res.recs) != 4 || len(res.recErrs) != 2 || res.counts.Skipped["record_too_large"] != 1 || res.counts.Total() != 7 {
			t.Fatalf("%s: %d records, %v, %+v", name, len(res.recs), res.recErrs, res.counts)
		}
		r := res.recs
		if r[0].ID != "a" || r[0].URL != "http://a/" || string(r[0].Metadata) != `{"k":[1,2]}` || r[0].Offset != 0 || r[0].Format != "jsonl" {
			t.Errorf("%s: %+v", name, r[0])
		}
		// Line offsets: the second document starts after "line 1\r\n\r\n".
		off := int64(len(lines[0]) + 4)
		// Inside a compressed stream the derived id names the unit (the
		// single gzip member or zstd frame at 0) and the distance into it.
		id := name + "@" + strconv.FormatInt(off, 10)
		if name != "x.jsonl" {
			id = name + "@0+" + strconv.FormatInt(off, 10)
		}
		if r[1].URL != "http://b/" || r[1].ID != id || r[1].Offset != off || r[1].Index != 1 {
			t.Errorf("%s: %+v", name, r[1])
		}
		if r[2].ID != "7" || r[2].URL != "http://d/" || r[3].Text != "four\nlines" || r[3].Index != 6 {
			t.Errorf("%s: %+v %+v", name, r[2], r[3])
		}
		e := res.recErrs[0]
		if e.Offset != off+int64(len(lines[2])+2) || !strings.Contains(e.Error(), "shard "+p+" at ") {
			t.Errorf("%s: %v", name, e)
		}
	}
}
