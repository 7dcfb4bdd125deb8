package shard

import (
	"context"
	"io"
)

// Split cuts a shard into record-range tasks of about targetBytes compressed
// bytes each. Only gzip and zstd files can be cut, and only where a record
// starts a member or frame (one member or frame per record, as Common Crawl
// and IIPC warc-zstd write); any other file, or targetBytes <= 0, gives one
// whole-file range. The ranges cover the file: read one after the other they
// give exactly the records of the whole file, in order.
//
// Split reads the whole file once (decompressing it, skipping record bodies)
// to find the record boundaries; a corrupt file is an error naming its
// offset. A file no larger than targetBytes is one range without reading it.
func Split(path string, targetBytes int64, opts Options) ([]Range, error) {
	return SplitContext(context.Background(), path, targetBytes, opts)
}

// SplitContext is Split with a context for the reads (which, for a remote
// shard, are network requests).
func SplitContext(ctx context.Context, path string, targetBytes int64, opts Options) ([]Range, error) {
	whole := []Range{Whole(path)}
	size, err := Stat(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	if targetBytes <= 0 || size <= targetBytes {
		return whole, nil
	}
	r, err := Open(ctx, Whole(path), opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if targetBytes <= 0 || r.done || r.us.comp == compPlain {
		return whole, nil
	}
	var ranges []Range
	cur := int64(0)
	first := true
	for {
		err := r.begin()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, r.wrap(err)
		}
		if r.intra == 0 && !first && r.off-cur >= targetBytes {
			ranges = append(ranges, Range{Path: path, Start: cur, End: r.off})
			cur = r.off
		}
		first = false
		if r.format == formatWARC {
			var clen int64
			if clen, err = r.warcHead(); err == nil {
				err = r.discard(clen)
			}
		} else {
			_, _, err = r.readJSONLine()
		}
		if err != nil {
			return nil, r.wrap(err)
		}
	}
	if len(ranges) == 0 {
		return whole, nil
	}
	ranges = append(ranges, Range{Path: path, Start: cur, End: -1})
	return ranges, nil
}
