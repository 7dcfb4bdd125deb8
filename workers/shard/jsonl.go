package shard

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// jsonlLine is the part of a JSONL document a reader needs.
type jsonlLine struct {
	Text     *string         `json:"text"`
	URL      *string         `json:"url"`
	ID       json.RawMessage `json:"id"`
	Metadata json.RawMessage `json:"metadata"`
}

// jsonlMeta is where a URL may hide in a JSONL document's metadata.
type jsonlMeta struct {
	TargetURI string `json:"WARC-Target-URI"`
	URL       string `json:"url"`
}

// readJSONL reads one JSONL line.
func (r *Reader) readJSONL() (*Record, string, error) {
	line, tooLarge, err := r.readJSONLine()
	if err != nil {
		return nil, "", err
	}
	if tooLarge {
		return nil, "record_too_large", nil
	}
	defer r.releaseBlock()
	doc, ok := parseJSONLFast(line)
	if !ok {
		doc = jsonlLine{}
		if err := json.Unmarshal(line, &doc); err != nil {
			return nil, "", r.recordErr("bad JSONL line: %v", err)
		}
	}
	if doc.Text == nil {
		return nil, "", r.recordErr("JSONL line without a text field")
	}
	rec := &Record{Text: *doc.Text, Format: "jsonl"}
	if len(doc.Metadata) > 0 && !bytes.Equal(doc.Metadata, []byte("null")) {
		rec.Metadata = doc.Metadata
	}
	if doc.URL != nil {
		rec.URL = *doc.URL
	}
	if rec.URL == "" && len(rec.Metadata) > 0 && rec.Metadata[0] == '{' {
		var m jsonlMeta
		if json.Unmarshal(rec.Metadata, &m) == nil {
			rec.URL = m.TargetURI
			if rec.URL == "" {
				rec.URL = m.URL
			}
		}
	}
	switch {
	case len(doc.ID) == 0 || bytes.Equal(doc.ID, []byte("null")):
	case doc.ID[0] == '"':
		var s string
		if json.Unmarshal(doc.ID, &s) == nil {
			rec.ID = s
		}
	default:
		rec.ID = string(doc.ID) // a number, kept as written
	}
	return rec, "", nil
}

// readJSONLine reads one line into r.block, end of line excluded. A line
// longer than MaxRecordBytes is discarded as it streams by and reported with
// tooLarge. The last line may lack its newline.
func (r *Reader) readJSONLine() (line []byte, tooLarge bool, err error) {
	buf := r.block[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLarge {
			if int64(len(buf)+len(chunk)) > r.opts.MaxRecordBytes+1 {
				tooLarge = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
		break
	}
	r.block = buf
	if tooLarge {
		return nil, true, nil
	}
	return bytes.TrimRight(buf, "\r\n"), false, nil
}
