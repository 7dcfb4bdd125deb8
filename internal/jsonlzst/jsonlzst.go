// Package jsonlzst reads the zstd-compressed JSON Lines files curator
// writes (a recipe's data/ and removed/ shards).
package jsonlzst

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// EachLine calls fn with every non-blank line of the zstd-compressed file
// at path (the line's bytes are valid only during the call). An error
// names the file and the line's offset in the decompressed stream.
func EachLine(path string, fn func(line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	var off int64
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(line); ferr != nil {
				return fmt.Errorf("%s at line offset %d: %w", path, off, ferr)
			}
		}
		off += int64(len(line))
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s at %d: %w", path, off, err)
		}
	}
}
