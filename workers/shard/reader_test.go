package shard

import (
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileCase is what reading one file must give. The expected numbers were
// obtained independently of this package: with a Python script that
// decompresses each gzip member with zlib, splits records on "WARC/" version
// lines and their Content-Length, and classifies them by WARC-Type, HTTP
// status line and Content-Type (the record counts agree with
// `zcat FILE | grep -c '^WARC/[01]\.'`).
type fileCase struct {
	file     string
	records  int64
	skipped  map[string]int64
	firstURL string
	firstID  string
}

var fileCases = []fileCase{
	{"whirlwind_CC-MAIN-2024-22.warc.gz", 1, map[string]int64{"warcinfo": 1, "request": 1, "metadata": 1},
		"https://an.wikipedia.org/wiki/Escopete", "urn:uuid:2aabeff2-67f5-4608-8466-e87c6296e2b6"},
	{"whirlwind_CC-MAIN-2024-22.warc.wet.gz", 1, map[string]int64{"warcinfo": 1},
		"https://an.wikipedia.org/wiki/Escopete", "urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d"},
	{"warcio_example.warc.gz", 1, map[string]int64{"warcinfo": 2, "request": 2, "revisit": 1},
		"http://example.com/", "urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005"},
	{"warcio_example-iana.org-chunked.warc", 1, map[string]int64{"warcinfo": 1, "request": 1},
		"http://www.iana.org/", "urn:uuid:a96ae1a5-931d-4c45-96f3-98576d155f8b"},
	{"jwarc_cc.warc.gz", 1, map[string]int64{}, "http://commoncrawl.org/", "urn:uuid:ececb7b0-ed4d-4d27-9ae8-2676df51cf7d"},
	{"iagowarc_test.warc.gz", 0, map[string]int64{"warcinfo": 1, "request": 1, "non_html": 1}, "", ""},
	{"iawebcommons_IAH-urls-wget.warc.gz", 2,
		map[string]int64{"warcinfo": 1, "request": 16, "http_status_302": 7, "non_html": 8, "http_status_301": 2},
		"https://archive.org/", "urn:uuid:6DCBFDDB-2849-4205-ACEC-276072F90606"},
	{"iawebcommons_link-extraction-test.warc", 9, map[string]int64{"warcinfo": 1},
		"http://www.example.com/html4.html", "iawebcommons_link-extraction-test.warc@258"},
	{"jeffharwell_CC-MAIN-2016-50_fragment3.wet.gz", 5, map[string]int64{"warcinfo": 1},
		"http://003.su/search_results.php?letter=%D0%9C&offset=580", "urn:uuid:d0cad1a9-b0b0-4067-925a-e9ef4905d25e"},
	{"resiliparse_CC-MAIN-2020-34_head20.warc.gz", 6, map[string]int64{"warcinfo": 1, "request": 7, "metadata": 6},
		"http://003338.cn/l41/481397.html", "urn:uuid:c4c112a5-3503-4483-abf8-51a0dd86dd53"},
	{"resiliparse_CC-MAIN-2020-34_head20.nodict.warc.zst", 6, map[string]int64{"warcinfo": 1, "request": 7, "metadata": 6},
		"http://003338.cn/l41/481397.html", "urn:uuid:c4c112a5-3503-4483-abf8-51a0dd86dd53"},
	{"resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst", 6, map[string]int64{"warcinfo": 1, "request": 7, "metadata": 6},
		"http://003338.cn/l41/481397.html", "urn:uuid:c4c112a5-3503-4483-abf8-51a0dd86dd53"},
	// WARC/0.17 records; the first record is a warcinfo, then dns: responses.
	{"aut_IAH-20080430204825_head40.warc.gz", 4,
		map[string]int64{"warcinfo": 1, "non_http": 3, "non_html": 8, "request": 12, "metadata": 12},
		"http://www.archive.org/", "urn:uuid:4042c21b-d898-43f0-9c95-b50da2d1aa42"},
	{"aut_IAH-20080430204825_head40.dict.warc.zst", 4,
		map[string]int64{"warcinfo": 1, "non_http": 3, "non_html": 8, "request": 12, "metadata": 12},
		"http://www.archive.org/", "urn:uuid:4042c21b-d898-43f0-9c95-b50da2d1aa42"},
	// cc_net's hand-made sample: 1 warcinfo and 3 conversion records
	// (grep -c 'WARC-Type: conversion'), with Content-Lengths that count
	// characters, not bytes.
	{"ccnet_sample.warc.wet", 3, map[string]int64{"warcinfo": 1},
		"http://sample_english.com", "urn:uuid:cd61b0b3-d9b0-466c-9a5e-99c191f8d2e1"},
	// 10 dolma documents (zcat | wc -l); the url comes from metadata.url.
	{"dolma_provided_documents_000.jsonl.gz", 10, map[string]int64{},
		"http://advocatesaz.org/tag/good-cholesterol/", "http://advocatesaz.org/tag/antibiotic-resistant-bacteria/"},
	// zstd -dc | wc -l: 40 lines; the first has "url": null.
	{"real_web_docs_mixed_head40.jsonl.zst", 40, map[string]int64{}, "", "dclm/majority_data/0"},
}

func TestReadFiles(t *testing.T) {
	for _, c := range fileCases {
		t.Run(c.file, func(t *testing.T) {
			res := mustReadAll(t, Whole(td+c.file), Options{})
			if res.counts.Records != c.records {
				t.Errorf("records %d, want %d", res.counts.Records, c.records)
			}
			if !maps.Equal(res.counts.Skipped, c.skipped) {
				t.Errorf("skipped %v, want %v", res.counts.Skipped, c.skipped)
			}
			if len(res.recs) == 0 {
				return
			}
			first := res.recs[0]
			if first.URL != c.firstURL || first.ID != c.firstID {
				t.Errorf("first record %q %q, want %q %q", first.ID, first.URL, c.firstID, c.firstURL)
			}
			seen := map[int64]bool{}
			for i, r := range res.recs {
				if r.Text == "" && len(r.HTML) == 0 && r.Format != "jsonl" {
					t.Errorf("record %d (%s) is empty", i, r.ID)
				}
				if seen[r.Offset] {
					t.Errorf("offset %d twice", r.Offset)
				}
				seen[r.Offset] = true
				if i > 0 && (r.Index <= res.recs[i-1].Index || r.Offset <= res.recs[i-1].Offset) {
					t.Errorf("record %d: index/offset not increasing", i)
				}
				if len(r.Metadata) > 0 && !json.Valid(r.Metadata) {
					t.Errorf("record %d: metadata is not JSON: %s", i, r.Metadata)
				}
				if r.Format == "warc" && !strings.Contains(strings.ToLower(r.ContentType), "html") && r.ContentType != "" {
					t.Errorf("record %d: content type %q", i, r.ContentType)
				}
			}
		})
	}
}

// TestPayloadDigest checks HTML bodies against the crawler's own
// WARC-Payload-Digest (base32 SHA-1 of the payload): Common Crawl stores
// payloads already decoded, so the digest covers exactly what a reader must
// return.
func TestPayloadDigest(t *testing.T) {
	files := []string{td + "whirlwind_CC-MAIN-2024-22.warc.gz", td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz", td + "jwarc_cc.warc.gz"}
	checked := 0
	for _, f := range files {
		for _, r := range mustReadAll(t, Whole(f), Options{}).recs {
			var m map[string]string
			if err := json.Unmarshal(r.Metadata, &m); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimPrefix(m["WARC-Payload-Digest"], "sha1:")
			sum := sha1.Sum(r.HTML)
			if got := base32.StdEncoding.EncodeToString(sum[:]); got != want {
				t.Errorf("%s %s: HTML digest %s, WARC-Payload-Digest %s", f, r.URL, got, want)
			}
			checked++
		}
	}
	if checked != 8 {
		t.Errorf("checked %d records, want 8", checked)
	}
}

// TestWhirlwind checks the page of Common Crawl's whirlwind example: the
// WARC response's HTML is the page whose text the WET gives.
func TestWhirlwind(t *testing.T) {
	warc := mustReadAll(t, Whole(td+"whirlwind_CC-MAIN-2024-22.warc.gz"), Options{}).recs
	wet := mustReadAll(t, Whole(td+"whirlwind_CC-MAIN-2024-22.warc.wet.gz"), Options{}).recs
	if len(warc) != 1 || len(wet) != 1 {
		t.Fatalf("got %d WARC and %d WET records", len(warc), len(wet))
	}
	h, w := warc[0], wet[0]
	if h.Format != "warc" || w.Format != "wet" || h.URL != w.URL {
		t.Fatalf("formats %s %s, urls %s %s", h.Format, w.Format, h.URL, w.URL)
	}
	html := string(h.HTML)
	if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "<title>Escopete - Biquipedia, a enciclopedia libre</title>") ||
		!strings.HasSuffix(strings.TrimSpace(html), "</html>") {
		t.Errorf("HTML does not look like the page: %.80q ... %.40q", html, html[len(html)-40:])
	}
	if h.ContentType != "text/html; charset=UTF-8" {
		t.Errorf("content type %q", h.ContentType)
	}
	// The WET text's first line is the page title, which the HTML holds.
	title, _, _ := strings.Cut(w.Text, "\n")
	if title != "Escopete - Biquipedia, a enciclopedia libre" || !strings.Contains(html, "<title>"+title+"</title>") {
		t.Errorf("WET title %q", title)
	}
	var meta map[string]string
	if err := json.Unmarshal(w.Metadata, &meta); err != nil || meta["WARC-Refers-To"] == "" {
		t.Errorf("WET metadata %s: %v", w.Metadata, err)
	}
	// Metadata keeps header order.
	if !strings.HasPrefix(string(h.Metadata), `{"WARC-Type":"response",`) {
		t.Errorf("metadata %.60s", h.Metadata)
	}
}

// TestZstdMatchesGzip reads the IIPC warc-zstd conversions (with the
// dictionary frame and without) against their gzip originals.
func TestZstdMatchesGzip(t *testing.T) {
	pairs := [][]string{
		{td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz", td + "resiliparse_CC-MAIN-2020-34_head20.nodict.warc.zst", td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst"},
		{td + "aut_IAH-20080430204825_head40.warc.gz", td + "aut_IAH-20080430204825_head40.dict.warc.zst"},
	}
	if haveShared() {
		pairs = append(pairs,
			[]string{sharedData + "warc/resiliparse_CC-MAIN-2020-34_warcfile.warc.gz", sharedData + "zstd/resiliparse_CC-MAIN-2020-34.nodict.warc.zst", sharedData + "zstd/resiliparse_CC-MAIN-2020-34.dict.warc.zst"},
			[]string{sharedData + "warc/aut_IAH-20080430204825-blackbook_warc0.17.warc.gz", sharedData + "zstd/aut_IAH-20080430204825.dict.warc.zst"})
	}
	for _, p := range pairs {
		want := mustReadAll(t, Whole(p[0]), Options{})
		for _, f := range p[1:] {
			got := mustReadAll(t, Whole(f), Options{})
			if len(got.recs) != len(want.recs) || !maps.Equal(got.counts.Skipped, want.counts.Skipped) {
				t.Fatalf("%s: %d records %v, %s: %d %v", f, len(got.recs), got.counts.Skipped, p[0], len(want.recs), want.counts.Skipped)
			}
			for i := range got.recs {
				if err := sameRecord(got.recs[i], want.recs[i], true); err != nil {
					t.Errorf("%s record %d: %v", f, i, err)
				}
			}
		}
	}
}

// TestExternalDict strips the dictionary frame from an IIPC file: it then
// reads only with the dictionary given as an option.
func TestExternalDict(t *testing.T) {
	b, err := os.ReadFile(td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst")
	if err != nil {
		t.Fatal(err)
	}
	size := int(le32(b[4:8]))
	path := writeTemp(t, "nodictframe.warc.zst", b[8+size:])
	if res := readAll(t, Whole(path), Options{}); res.fatal == nil || !strings.Contains(res.fatal.Error(), path+" at 0") {
		t.Errorf("without the dictionary: %v", res.fatal)
	}
	dict, err := os.ReadFile(td + "resiliparse_CC-MAIN-2020-34.zstd-dict")
	if err != nil {
		t.Fatal(err)
	}
	got := mustReadAll(t, Whole(path), Options{ZstdDict: dict})
	want := mustReadAll(t, Whole(td+"resiliparse_CC-MAIN-2020-34_head20.warc.gz"), Options{})
	if len(got.recs) != len(want.recs) || len(got.recs) == 0 {
		t.Fatalf("%d records, want %d", len(got.recs), len(want.recs))
	}
	for i := range got.recs {
		if err := sameRecord(got.recs[i], want.recs[i], true); err != nil {
			t.Error(err)
		}
	}
}

// TestSharedData reads every file of the shared data folders; without them
// it reads every copied file instead.
func TestSharedData(t *testing.T) {
	var files []string
	if haveShared() {
		for _, dir := range []string{"warc", "warc/synthetic_fixtures", "wet", "zstd", "jsonl"} {
			m, _ := filepath.Glob(sharedData + dir + "/*")
			files = append(files, m...)
		}
	} else {
		files, _ = filepath.Glob(td + "*")
	}
	read := 0
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() || strings.HasSuffix(f, ".zstd-dict") || strings.HasSuffix(f, ".md") {
			continue
		}
		read++
		res := readAll(t, Whole(f), Options{})
		base := filepath.Base(f)
		switch {
		case base == "resiliparse_clipped.warc.gz":
			if res.fatal == nil {
				t.Errorf("%s: no error", f)
			}
		case base == "jeffharwell_corrupt_warcconversion_2.wet.gz":
			if len(res.recErrs) != 1 || res.fatal != nil {
				t.Errorf("%s: %v %v", f, res.recErrs, res.fatal)
			}
		case res.fatal != nil || len(res.recErrs) > 0:
			t.Errorf("%s: %v %v", f, res.fatal, res.recErrs)
		}
		for _, r := range res.recs {
			if strings.ContainsAny(r.URL, "<> ") {
				t.Errorf("%s: url %q", f, r.URL)
			}
		}
	}
	if read < 15 {
		t.Errorf("read only %d files", read)
	}
	if !haveShared() {
		return
	}
	// Counts obtained as in fileCases; dolma's Target-URIs are in <...>.
	for _, c := range []fileCase{
		{"warc/aut_IAH-20080430204825-blackbook_warc0.17.warc.gz", 94, map[string]int64{"warcinfo": 1, "non_http": 38,
			"non_html": 120, "request": 261, "metadata": 261, "http_status_301": 2, "http_status_302": 5, "http_status_404": 40},
			"http://www.archive.org/", "urn:uuid:4042c21b-d898-43f0-9c95-b50da2d1aa42"},
		{"warc/dolma_sample-0000.warc.gz", 22, map[string]int64{"warcinfo": 1, "request": 22, "metadata": 1, "non_html": 2},
			"https://www.semanticscholar.org/research/research-team", "urn:uuid:283E41D7-F686-4C3E-B7DA-E8D248A100C1"},
		{"warc/dolma_sample-0001.warc.gz", 15, map[string]int64{"warcinfo": 1, "request": 15, "metadata": 1, "non_html": 2},
			"https://creativecommons.org/", "urn:uuid:9879E7FD-A3D9-40CB-A53E-AE1F2B860DE7"},
		{"warc/resiliparse_CC-MAIN-2020-34_warcfile.warc.gz", 16, map[string]int64{"warcinfo": 1, "request": 17, "metadata": 16},
			"http://003338.cn/l41/481397.html", "urn:uuid:c4c112a5-3503-4483-abf8-51a0dd86dd53"},
		{"wet/jeffharwell_CC-MAIN-2016-50_filter_test_1.wet.gz", 25, map[string]int64{"warcinfo": 1},
			"http://100-things-to-do-before-high-school.wikia.com/wiki/File:Say_yes_28.PNG", "urn:uuid:9019f293-5cdf-4a61-a537-abaf628cc665"},
		{"jsonl/real_web_docs_mixed_560.jsonl.zst", 560, map[string]int64{}, "", "dclm/majority_data/0"},
	} {
		res := mustReadAll(t, Whole(sharedData+c.file), Options{})
		if res.counts.Records != c.records || !maps.Equal(res.counts.Skipped, c.skipped) {
			t.Errorf("%s: %d %v, want %d %v", c.file, res.counts.Records, res.counts.Skipped, c.records, c.skipped)
		}
		if len(res.recs) > 0 && (res.recs[0].URL != c.firstURL || res.recs[0].ID != c.firstID) {
			t.Errorf("%s: first %q %q", c.file, res.recs[0].ID, res.recs[0].URL)
		}
	}
}
