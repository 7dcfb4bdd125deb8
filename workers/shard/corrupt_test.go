package shard

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestClipped reads a Common Crawl WARC cut in the middle of its first
// record's gzip stream.
func TestClipped(t *testing.T) {
	f := td + "resiliparse_clipped.warc.gz"
	res := readAll(t, Whole(f), Options{})
	if res.fatal == nil {
		t.Fatal("no error")
	}
	msg := res.fatal.Error()
	if !strings.Contains(msg, "shard "+f+" at 0:") || !strings.Contains(msg, "truncated") ||
		!errors.Is(res.fatal, io.ErrUnexpectedEOF) {
		t.Errorf("error %q", msg)
	}
	var re *RecordError
	if errors.As(res.fatal, &re) {
		t.Error("a truncated stream must be fatal, not a record error")
	}
	if res.counts.Total() != 0 {
		t.Errorf("counts %+v", res.counts)
	}
}

// TestCorruptWET reads jeffharwell's corrupt WET: a conversion record
// without WARC-Target-URI, after a good warcinfo record.
func TestCorruptWET(t *testing.T) {
	f := td + "jeffharwell_corrupt_warcconversion_2.wet.gz"
	res := readAll(t, Whole(f), Options{})
	if res.fatal != nil || len(res.recErrs) != 1 {
		t.Fatalf("fatal %v, record errors %v", res.fatal, res.recErrs)
	}
	e := res.recErrs[0]
	// 540 is where `zcat | grep -b 'WARC/1.0'` puts the second record.
	if e.Offset != 540 || e.Index != 1 || !strings.Contains(e.Error(), "shard "+f+" at 540: ") {
		t.Errorf("record error %+v: %v", e, e)
	}
	if res.counts.Skipped["warcinfo"] != 1 || res.counts.Errors != 1 || res.counts.Total() != 2 {
		t.Errorf("counts %+v", res.counts)
	}
}

// TestTruncations cuts real files at many points: every cut must give an
// error naming the file and an offset (or a clean end on a boundary), never
// a panic, and never more records than the whole file.
func TestTruncations(t *testing.T) {
	for _, f := range []string{
		td + "whirlwind_CC-MAIN-2024-22.warc.gz",
		td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst",
		td + "warcio_example-iana.org-chunked.warc",
		td + "real_web_docs_mixed_head40.jsonl.zst",
	} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		whole := mustReadAll(t, Whole(f), Options{})
		step := max(len(b)/41, 1)
		errs := 0
		for cut := 1; cut < len(b); cut += step {
			p := writeTemp(t, "cut.bin", b[:cut])
			res := readAll(t, Whole(p), Options{})
			if len(res.recs) > len(whole.recs) {
				t.Errorf("%s cut at %d: %d records", f, cut, len(res.recs))
			}
			for i, r := range res.recs {
				if r.ID != whole.recs[i].ID && strings.HasSuffix(f, ".gz") {
					t.Errorf("%s cut at %d: record %d is %s", f, cut, i, r.ID)
				}
			}
			if res.fatal != nil {
				errs++
				m := res.fatal.Error()
				if !strings.HasPrefix(m, "shard "+p+" at ") {
					t.Errorf("%s cut at %d: error %q", f, cut, m)
				}
				at := strings.TrimPrefix(m, "shard "+p+" at ")
				at, _, _ = strings.Cut(at, ":")
				if _, err := strconv.ParseInt(at, 10, 64); err != nil {
					t.Errorf("%s cut at %d: no offset in %q", f, cut, m)
				}
			}
		}
		if errs == 0 {
			t.Errorf("%s: no cut gave an error", f)
		}
	}
}

// TestBadHeaders checks fatal WARC header errors.
func TestBadHeaders(t *testing.T) {
	good := warcRec("resource", "http://a/", []string{"Content-Type: text/html"}, []byte("<html>a</html>"))
	for name, tail := range map[string]string{
		"no length":    "WARC/1.0\r\nWARC-Type: resource\r\n\r\nxx",
		"bad length":   "WARC/1.0\r\nContent-Length: -5\r\n\r\n",
		"no colon":     "WARC/1.0\r\nbroken line\r\n\r\n",
		"not warc":     "HTTP/1.1 200 OK\r\n\r\n" + strings.Repeat("x", 70000),
		"long line":    "WARC/1.0\r\nX: " + strings.Repeat("x", 70000) + "\r\n\r\n",
		"no blank end": "WARC/1.0\r\nContent-Length: 3\r\n",
	} {
		p := writeTemp(t, "bad.warc", append(append([]byte{}, good...), tail...))
		res := readAll(t, Whole(p), Options{})
		if len(res.recs) != 1 || res.fatal == nil || !strings.Contains(res.fatal.Error(), " at "+strconv.Itoa(len(good))+":") {
			t.Errorf("%s: %d records, error %v", name, len(res.recs), res.fatal)
		}
	}
}

// TestLengthRepair checks Content-Lengths that are wrong by a few bytes, as
// in cc_net's hand-made sample (lengths in characters, not bytes).
func TestLengthRepair(t *testing.T) {
	res := mustReadAll(t, Whole(td+"ccnet_sample.warc.wet"), Options{})
	// All 4 records are off: the warcinfo is 8 bytes too long, the
	// conversions 1, 204 and 2 bytes too short.
	if res.counts.LengthRepairs != 4 || len(res.recs) != 3 {
		t.Errorf("%d repairs, %d records", res.counts.LengthRepairs, len(res.recs))
	}
	if !strings.HasPrefix(res.recs[0].Text, "Famous Mark Twain Quotes\n") || !strings.HasSuffix(res.recs[0].Text, "Truth isn't.\n") {
		t.Errorf("first text %q", res.recs[0].Text)
	}
	if !strings.HasSuffix(res.recs[2].Text, "Правда нет.\n") {
		t.Errorf("last text %q", res.recs[2].Text)
	}
	long := warcRec("conversion", "http://a/", nil, []byte("text\n"))
	long = []byte(strings.Replace(string(long), "Content-Length: 5", "Content-Length: 30", 1))
	good := warcRec("conversion", "http://b/", nil, []byte("more text\n"))
	p := writeTemp(t, "x.wet", append(long, good...))
	res = mustReadAll(t, Whole(p), Options{})
	if len(res.recs) != 2 || res.recs[0].Text != "text\n" || res.recs[1].Text != "more text\n" || res.counts.LengthRepairs != 1 {
		t.Errorf("%d records, %d repairs", len(res.recs), res.counts.LengthRepairs)
	}
}

// TestEmptyAndRanges checks empty files, bad ranges and ranges of plain
// files.
func TestEmptyAndRanges(t *testing.T) {
	for _, b := range []string{"", "\r\n\r\n  \n"} {
		res := mustReadAll(t, Whole(writeTemp(t, "e.warc", []byte(b))), Options{})
		if res.counts.Total() != 0 {
			t.Errorf("%q: %+v", b, res.counts)
		}
	}
	if _, err := Open(t.Context(), Range{Path: td + "jwarc_cc.warc.gz", Start: -1, End: -1}, Options{}); err == nil {
		t.Error("negative start")
	}
	if _, err := Open(t.Context(), Whole(td+"missing.warc"), Options{}); err == nil || !strings.Contains(err.Error(), "missing.warc") {
		t.Errorf("missing file: %v", err)
	}
	// A range that does not start on a member is a clear error.
	res := readAll(t, Range{Path: td + "whirlwind_CC-MAIN-2024-22.warc.gz", Start: 10, End: -1}, Options{})
	if res.fatal == nil || !strings.Contains(res.fatal.Error(), " at 10: ") {
		t.Errorf("range off a boundary: %v", res.fatal)
	}
	// Plain files: a range [start, end) holds the records starting in it.
	f := td + "iawebcommons_link-extraction-test.warc"
	whole := mustReadAll(t, Whole(f), Options{}).recs
	mid := whole[4].Offset
	a := mustReadAll(t, Range{Path: f, Start: 0, End: mid}, Options{}).recs
	b := mustReadAll(t, Range{Path: f, Start: mid, End: -1}, Options{}).recs
	if len(a) != 4 || len(b) != len(whole)-4 || b[0].ID != whole[4].ID || b[0].Offset != mid {
		t.Errorf("plain ranges: %d + %d records of %d", len(a), len(b), len(whole))
	}
}

// TestVersionLines reads every WARC version line curator accepts (1.0, 1.1,
// and the pre-standard 0.17 and 0.18 of early Internet Archive files) and
// refuses what is not one.
func TestVersionLines(t *testing.T) {
	for _, v := range []string{"WARC/1.0", "WARC/1.1", "WARC/0.17", "WARC/0.18"} {
		rec := warcRec("conversion", "<http://a/"+v+">", nil, []byte("text of "+v+"\n"))
		rec = []byte(strings.Replace(string(rec), "WARC/1.1", v, 1))
		res := mustReadAll(t, Whole(writeTemp(t, "v.wet", rec)), Options{})
		if len(res.recs) != 1 || res.recs[0].Text != "text of "+v+"\n" || res.recs[0].URL != "http://a/"+v {
			t.Errorf("%s: %+v", v, res.recs)
		}
	}
	for _, bad := range []string{"WARC/", "WARC/x.1", "WARX/1.0", "HTTP/1.1"} {
		if isVersionLine([]byte(bad + "\r\n")) {
			t.Errorf("%q taken for a version line", bad)
		}
	}
}
