package shard

import (
	"maps"
	"strconv"
	"testing"
)

// TestSplit checks that the ranges of a split, read one after the other,
// give exactly the records of the whole file, with the same offsets and ids.
func TestSplit(t *testing.T) {
	files := []string{
		td + "resiliparse_CC-MAIN-2020-34_head20.warc.gz",
		td + "resiliparse_CC-MAIN-2020-34_head20.nodict.warc.zst",
		td + "resiliparse_CC-MAIN-2020-34_head20.dict.warc.zst",
		td + "aut_IAH-20080430204825_head40.warc.gz",
		td + "aut_IAH-20080430204825_head40.dict.warc.zst",
		td + "iawebcommons_IAH-urls-wget.warc.gz",
	}
	targets := []int64{1, 5000, 20000}
	if haveShared() {
		files = append(files, sharedData+"zstd/aut_IAH-20080430204825.dict.warc.zst")
	}
	for _, f := range files {
		whole := mustReadAll(t, Whole(f), Options{})
		if f[:len(sharedData)] == sharedData {
			targets = []int64{300 << 10}
		}
		for _, target := range targets {
			ranges, err := Split(f, target, Options{})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if len(ranges) < 2 {
				t.Fatalf("%s target %d: %d ranges", f, target, len(ranges))
			}
			if ranges[0].Start != 0 || ranges[len(ranges)-1].End != -1 {
				t.Errorf("%s: ranges %v do not cover the file", f, ranges)
			}
			var recs []*Record
			total := Counts{Skipped: map[string]int64{}}
			for i, rg := range ranges {
				if i > 0 && rg.Start != ranges[i-1].End {
					t.Errorf("%s: gap between %v and %v", f, ranges[i-1], rg)
				}
				res := mustReadAll(t, rg, Options{})
				if res.counts.Total() == 0 {
					t.Errorf("%s: empty range %v", f, rg)
				}
				recs = append(recs, res.recs...)
				total.Records += res.counts.Records
				for k, v := range res.counts.Skipped {
					total.Skipped[k] += v
				}
			}
			if len(recs) != len(whole.recs) || !maps.Equal(total.Skipped, whole.counts.Skipped) {
				t.Fatalf("%s target %d: ranges gave %d records %v, whole file %d %v", f, target,
					len(recs), total.Skipped, len(whole.recs), whole.counts.Skipped)
			}
			for i := range recs {
				if err := sameRecord(recs[i], whole.recs[i], false); err != nil {
					t.Errorf("%s record %d: %v", f, i, err)
				}
			}
		}
		// target 1 cuts at every record boundary.
		if ranges, _ := Split(f, 1, Options{}); targets[0] == 1 && int64(len(ranges)) != whole.counts.Total() {
			t.Errorf("%s: %d ranges at target 1, %d records", f, len(ranges), whole.counts.Total())
		}
	}
}

// TestSplitWhole checks the files that cannot be split.
func TestSplitWhole(t *testing.T) {
	for _, f := range []string{
		td + "jeffharwell_CC-MAIN-2016-50_fragment3.wet.gz", // single gzip stream
		td + "real_web_docs_mixed_head40.jsonl.zst",         // single zstd frame
		td + "warcio_example-iana.org-chunked.warc",         // plain
		td + "jwarc_cc.warc.gz",                             // one record
	} {
		ranges, err := Split(f, 1, Options{})
		if err != nil || len(ranges) != 1 || ranges[0] != Whole(f) {
			t.Errorf("%s: %v %v", f, ranges, err)
		}
	}
	if _, err := Split(td+"resiliparse_clipped.warc.gz", 1, Options{}); err == nil {
		t.Error("split of a truncated file: no error")
	}
}

// TestSplitMixedMembers builds a gzip file whose members do not all hold
// one record: a record split over two members, two records in one member.
// Ranges cut only where a record starts a member, and read together they
// give the whole file's records with the same offsets and ids.
func TestSplitMixedMembers(t *testing.T) {
	rec := func(i int) []byte {
		return warcRec("conversion", "http://x/"+string(rune('a'+i)), nil, []byte("text of record "+string(rune('a'+i))+"\n"))
	}
	var file []byte
	file = append(file, gzipBytes(t, rec(0))...)
	r1 := rec(1)
	file = append(file, gzipBytes(t, r1[:30])...) // record 1 over two members
	file = append(file, gzipBytes(t, r1[30:])...)
	file = append(file, gzipBytes(t, append(rec(2), rec(3)...))...) // two records in one member
	file = append(file, gzipBytes(t, rec(4))...)
	p := writeTemp(t, "mixed.wet.gz", file)
	whole := mustReadAll(t, Whole(p), Options{})
	if len(whole.recs) != 5 {
		t.Fatalf("%d records", len(whole.recs))
	}
	if whole.recs[3].ID != "mixed.wet.gz@"+itoa64(whole.recs[2].Offset)+"+"+itoa64(int64(len(rec(2)))) {
		t.Errorf("record inside a member: id %s", whole.recs[3].ID)
	}
	ranges, err := Split(p, 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ranges) != 4 { // cuts before records 1, 2 and 4
		t.Fatalf("ranges %v", ranges)
	}
	var recs []*Record
	for _, rg := range ranges {
		recs = append(recs, mustReadAll(t, rg, Options{}).recs...)
	}
	if len(recs) != len(whole.recs) {
		t.Fatalf("%d records from ranges", len(recs))
	}
	for i := range recs {
		if err := sameRecord(recs[i], whole.recs[i], false); err != nil {
			t.Error(err)
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
