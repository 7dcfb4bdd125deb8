package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// MaxDecoded bounds the decompressed size of one suite data file, so that a
// corrupt or hostile file cannot exhaust memory.
const MaxDecoded = 256 << 20

// decompress returns the JSONL bytes of a suite file: zstd-decoded when
// the name ends in ".zst", as is otherwise.
func decompress(name string, data []byte) ([]byte, error) {
	if !strings.HasSuffix(name, ".zst") {
		return data, nil
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(MaxDecoded))
	if err != nil {
		return nil, fmt.Errorf("file %s: %w", name, err)
	}
	defer dec.Close()
	out, err := dec.DecodeAll(data, nil)
	if err != nil {
		return nil, fmt.Errorf("file %s: zstd: %w", name, err)
	}
	if len(out) > MaxDecoded {
		return nil, fmt.Errorf("file %s: decompresses to more than %d bytes", name, MaxDecoded)
	}
	return out, nil
}

// record is one JSONL line of a suite file; pointers tell missing keys
// from empty values. Other keys are ignored.
type record struct {
	ID    *string `json:"id"`
	Text  *string `json:"text"`
	Label *int    `json:"label"`
}

// readJSONL decodes a suite JSONL file (see decompress) and calls fn for
// each non-blank line in order. Every record needs a non-empty string "id",
// unique within the file, and a string "text"; label is nil when absent.
// Errors name the file, the line and its byte offset in the decompressed
// stream.
func readJSONL(name string, data []byte, fn func(id, text string, label *int) error) error {
	if data == nil {
		return fmt.Errorf("file %s: not loaded", name)
	}
	body, err := decompress(name, data)
	if err != nil {
		return err
	}
	ids := map[string]int{}
	off := 0
	for line := 1; off < len(body); line++ {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		raw := body[off : off+end]
		if err := readLine(raw, line, ids, fn); err != nil {
			return fmt.Errorf("file %s line %d at byte %d: %w", name, line, off, err)
		}
		off += end + 1
	}
	return nil
}

func readLine(raw []byte, line int, ids map[string]int, fn func(id, text string, label *int) error) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	var r record
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	switch {
	case r.ID == nil || *r.ID == "":
		return errors.New("missing or empty \"id\"")
	case r.Text == nil:
		return errors.New("missing \"text\"")
	}
	if prev, ok := ids[*r.ID]; ok {
		return fmt.Errorf("id %q already used on line %d", *r.ID, prev)
	}
	ids[*r.ID] = line
	return fn(*r.ID, *r.Text, r.Label)
}
