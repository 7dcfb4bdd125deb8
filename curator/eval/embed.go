package eval

import (
	"embed"
	"fmt"
	"io/fs"
)

// defaultSuite is the default suite, built by mksuite into suite/.
//
//go:embed suite
var defaultSuite embed.FS

// Default returns the default suite embedded in the binary (the files of
// curator/eval/suite). Its Hash equals that of Load on that directory; its
// Dir is "".
func Default() (*Suite, error) {
	sub, err := fs.Sub(defaultSuite, "suite")
	if err != nil {
		return nil, err
	}
	s, err := LoadFS(sub)
	if err != nil {
		return nil, fmt.Errorf("embedded default suite: %w", err)
	}
	return s, nil
}
