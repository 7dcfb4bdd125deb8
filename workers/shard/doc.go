// Package shard reads and writes the shard files of a pool: WARC (1.0, 1.1 and
// the 0.17/0.18 version lines), WET and JSONL, each plain, gzip (single stream
// or one member per record) or zstd (single stream, one frame per record, or
// the IIPC warc-zstd layout with a dictionary in a leading skippable frame);
// it splits member- or frame-per-record files into record-range tasks; and it
// writes jsonl.zst / jsonl.gz outputs atomically and deterministically.
//
// The package is pure formats: it knows nothing of steps, NATS or runs.
//
// # Reading
//
// Open detects the format and the compression from the content (magic bytes)
// and, failing that, from the name. Next streams one Record at a time; memory
// per record is bounded by Options.MaxRecordBytes (a record's raw length) and
// Options.MaxDecompressedBytes (its HTTP body after Content-Encoding
// decoding). Records over a limit are skipped with a counted reason without
// being read into memory whole.
//
// Records that are not documents are skipped and counted by reason in Counts:
// the WARC types warcinfo, request, metadata, revisit, continuation
// ("unknown_type" for others), response records that are not HTTP
// ("non_http"), HTTP responses whose status is not 200 ("http_status_301",
// ...), non-HTML payloads ("non_html"), unparsable HTTP ("bad_http"), bodies
// whose Content-Encoding cannot be decoded ("bad_content_encoding") and the
// limits ("record_too_large", "decompressed_too_large").
//
// # Errors
//
// Next returns two kinds of error, both naming the file and the byte offset:
//
//   - a *RecordError for one bad record (a JSONL line that is not JSON or has
//     no text, a WARC content record without WARC-Target-URI). The record is
//     counted in Counts.Errors and the caller may call Next again: reading
//     goes on with the next record.
//   - any other error is fatal for the task (corrupt or truncated gzip/zstd,
//     a truncated record, a broken WARC header, an I/O error): Next keeps
//     returning it. Counts still tells what was read before it.
//
// A WARC record whose Content-Length does not end where a record (or the
// stream) follows is a broken file; when the record and what follows fit in
// the reader's 64 KiB buffer, the length is corrected from the next record's
// version line and counted in Counts.LengthRepairs, otherwise the next record
// fails with a fatal error.
//
// Every record read is counted exactly once: Counts.Records (returned) plus
// the sum of Counts.Skipped plus Counts.Errors.
//
// # Where shards live
//
// A shard is named by a path, an http:// or https:// URL, or, through an
// Options.Opener that knows them (package workers/objstore), an object of a
// JetStream object store (object://BUCKET/NAME). The default opener reads
// local files, and URLs with range requests: the size from HEAD, one stream
// per range, retried from the current offset with backoff (and Retry-After)
// on 429, 5xx and broken connections; an object that changes between
// requests (ETag, Last-Modified) is ErrChanged, never silently mixed bytes.
// Derived ids use the URL's or object's base name, so a shard read from a
// URL has the ids it has as a local file.
//
// # Offsets
//
// Record.Offset is the byte offset of the record in the file for plain files
// and for records that start at the start of a gzip member or zstd frame (one
// member or frame per record, as Common Crawl and IIPC warc-zstd write). A
// record that starts inside a member or frame gets the compressed offset of
// that member or frame plus its uncompressed distance into it; for a
// single-stream compressed file this is the uncompressed offset. Derived ids
// are "<file base name>@<offset>", or "<base>@<unit offset>+<distance>" for
// records inside a member or frame, so they are unique and stable across runs
// and across range splits.
package shard
