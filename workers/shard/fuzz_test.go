package shard

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

func FuzzWARCHeader(f *testing.F) {
	f.Add([]byte("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <http://a/>\r\n  folded\r\nContent-Length: 12\r\n"))
	f.Add([]byte("WARC/0.17\nX: \xff\x00\"\\\nX: 2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var h headers
		lines := bytes.Split(b, []byte("\n"))
		isVersionLine(lines[0])
		for _, l := range lines[1:] {
			l = trimEOL(append(l, '\n'))
			if len(l) == 0 {
				break
			}
			if h.addLine(l) != nil {
				break
			}
		}
		meta := h.appendMetadata(nil)
		if !json.Valid(meta) {
			t.Fatalf("metadata is not JSON: %q", meta)
		}
		parseContentLength(h.get("content-length"))
		trimAngle(h.get("WARC-Target-URI"))
	})
}

func FuzzHTTP(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Encoding: gzip, br, deflate\r\n\r\n\x1f\x8b\x08\x00"))
	f.Add([]byte("HTTP/1.0 200\nContent-Encoding: deflate\n\nx\x9c"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := &Reader{opts: Options{MaxDecompressedBytes: 1 << 20}.withDefaults()}
		var rec Record
		if reason := r.httpBody(&rec, b); reason != "" && rec.HTML != nil {
			t.Fatalf("skipped (%s) with HTML", reason)
		}
		dechunk(nil, b)
		sniffHTML(b)
	})
}

// fuzzSeeds are small real files for the reader fuzzers.
var fuzzSeeds = []string{
	"whirlwind_CC-MAIN-2024-22.warc.wet.gz",
	"warcio_example.warc.gz",
	"jeffharwell_corrupt_warcconversion_2.wet.gz",
	"ccnet_sample.warc.wet",
}

func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds {
		b, err := os.ReadFile(td + s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
	}
	f.Add(warcRec("resource", "http://a/", []string{"Content-Type: text/html"}, []byte("<html>")), uint8(1))
	f.Add(warcRec("conversion", "http://a/", nil, []byte("text")), uint8(2))
	f.Add([]byte(`{"text":"a"}`+"\n"+`{"text":1}`), uint8(3))
	f.Fuzz(fuzzReader)
}

func fuzzReader(t *testing.T, b []byte, mode uint8) {
	// mode 0: as is; 1: gzip, one member per 64 bytes; 2: zstd, one
	// frame per 64 bytes; 3: plain, named .jsonl.
	name := "f.warc"
	switch mode % 4 {
	case 1:
		var out []byte
		for p := b; len(p) > 0; p = p[min(64, len(p)):] {
			out = append(out, gzipBytes(t, p[:min(64, len(p))])...)
		}
		b = out
	case 2:
		var out []byte
		for p := b; len(p) > 0; p = p[min(64, len(p)):] {
			out = append(out, zstdBytes(t, p[:min(64, len(p))])...)
		}
		b = out
	case 3:
		name = "f.jsonl"
	}
	p := writeTemp(t, name, b)
	res := readAll(t, Whole(p), Options{MaxRecordBytes: 1 << 16, MaxDecompressedBytes: 1 << 20})
	last := int64(-1)
	for _, r := range res.recs {
		if r.Index <= last {
			t.Fatalf("index %d after %d", r.Index, last)
		}
		last = r.Index
	}
	if res.fatal == nil && res.counts.Total() < int64(len(res.recs)) {
		t.Fatalf("counts %+v", res.counts)
	}
	if mode%4 == 1 || mode%4 == 2 {
		if _, err := Split(p, 100, Options{}); err != nil && res.fatal == nil {
			t.Fatalf("split failed on a readable file: %v", err)
		}
	}
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"one","url":"http://a/","metadata":{"k":1}}` + "\n\n" + `{"text":"x","metadata":{"WARC-Target-URI":"u"}}`))
	f.Add([]byte(`{"text":null,"id":[1]}` + "\r\n" + `{"text":"\ud800","metadata":"s"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := writeTemp(t, "f.jsonl", b)
		res := readAll(t, Whole(p), Options{MaxRecordBytes: 1 << 12})
		if res.fatal != nil && !bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("WARC/")) {
			t.Fatalf("plain JSONL gave a fatal error: %v", res.fatal)
		}
		for _, r := range res.recs {
			if r.ID == "" || (len(r.Metadata) > 0 && !json.Valid(r.Metadata)) {
				t.Fatalf("record %+v", r)
			}
		}
	})
}
