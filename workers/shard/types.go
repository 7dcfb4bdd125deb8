package shard

import (
	"encoding/json"
	"fmt"
)

// Default limits, chosen to fit Common Crawl: its WARC records are truncated
// at 1 MiB of payload, so 64 MiB leaves a wide margin.
const (
	DefaultMaxRecordBytes       = 64 << 20
	DefaultMaxDecompressedBytes = 256 << 20
)

// Range is a task's input: a whole file (Start 0, End -1) or a byte range
// [Start, End) whose Start is a record boundary (a gzip member or zstd frame
// that starts a record). A reader of a range reads every record that starts
// before End; a record starting inside a member or frame belongs to the range
// in which that member or frame starts.
type Range struct {
	Path  string
	Start int64
	End   int64
}

// Whole returns the range covering all of path.
func Whole(path string) Range { return Range{Path: path, Start: 0, End: -1} }

// Options holds the reader's limits, an optional zstd dictionary and where
// the shards' bytes come from.
type Options struct {
	// MaxRecordBytes caps a record's raw length (a WARC Content-Length, a
	// JSONL line); a larger record is skipped as "record_too_large".
	// Zero means DefaultMaxRecordBytes.
	MaxRecordBytes int64
	// MaxDecompressedBytes caps an HTTP body after Content-Encoding
	// decoding; a larger one is skipped as "decompressed_too_large".
	// Zero means DefaultMaxDecompressedBytes.
	MaxDecompressedBytes int64
	// ZstdDict is an external zstd dictionary, in the zstd dictionary format
	// (zstd --train) or raw content (used for frames without a dictionary id).
	ZstdDict []byte
	// Opener opens the shards named by Range.Path (and by Split and Stat).
	// Nil means DefaultOpener{}: local files, and http:// https:// URLs read
	// with range requests and the default retry settings.
	Opener Opener
}

func (o Options) withDefaults() Options {
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.MaxDecompressedBytes <= 0 {
		o.MaxDecompressedBytes = DefaultMaxDecompressedBytes
	}
	return o
}

// Record is one document read from a shard.
type Record struct {
	// ID is the id the record came with (WARC-Record-ID without angle
	// brackets, JSONL "id"), else one derived from the file's base name and
	// the record's offset (see the package doc).
	ID string
	// URL is WARC-Target-URI without angle brackets; for JSONL the "url"
	// field, else metadata "WARC-Target-URI", else metadata "url".
	URL string
	// Text is the WET conversion text or the JSONL text; empty for HTML
	// records. Invalid UTF-8 in WET text is replaced by U+FFFD.
	Text string
	// HTML is the HTTP body of a response record (after chunked and
	// Content-Encoding decoding) or the payload of an HTML resource record.
	HTML []byte
	// ContentType is the HTTP Content-Type of a response (the WARC
	// Content-Type of a resource record).
	ContentType string
	// Metadata holds the WARC headers as a JSON object in header order (a
	// repeated header keeps its first position and its last value), or the
	// JSONL "metadata" value as read.
	Metadata json.RawMessage
	// Offset is the byte offset of the record (see the package doc).
	Offset int64
	// Index is the record's index within the task, counting every record
	// read, skipped ones included.
	Index int64
	// Format is "warc", "wet" (conversion records) or "jsonl".
	Format string
}

// Counts says what a Reader has read so far.
type Counts struct {
	// Records is the number of records returned by Next.
	Records int64
	// Skipped counts records that are not documents, by reason.
	Skipped map[string]int64
	// Errors is the number of *RecordError returned by Next.
	Errors int64
	// LengthRepairs counts WARC records whose Content-Length was wrong and
	// was corrected from where the next record starts (see the package doc).
	LengthRepairs int64
}

// Total is the number of records read: returned, skipped and bad ones.
func (c Counts) Total() int64 {
	n := c.Records + c.Errors
	for _, v := range c.Skipped {
		n += v
	}
	return n
}

// RecordError reports one bad record; reading can go on after it.
type RecordError struct {
	File   string // the shard's path
	Offset int64  // the record's offset, as in Record.Offset
	Index  int64  // the record's index within the task
	Err    error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("shard %s at %d: %v", e.File, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *RecordError) Unwrap() error { return e.Err }
