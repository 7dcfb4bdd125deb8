package ngram

import (
	"archive/zip"
	"bytes"
	"embed"
	"fmt"
	"io"
	"strings"
	_ "unsafe" // for go:linkname

	"github.com/pemistahl/lingua-go"
	"github.com/pemistahl/lingua-go/serialization"
	"google.golang.org/protobuf/proto"
)

// languageModels is lingua-go's own embedded model directory
// (github.com/pemistahl/lingua-go@v1.4.0, detector.go: `//go:embed
// language-models` / `var languageModels embed.FS`). lingua-go does not export
// it, and copying its 124 MB of zipped protobufs into this repository would
// duplicate data that every binary linking lingua-go already carries. The
// linkname "pull" below binds this declaration to lingua's variable, so the
// engine reads exactly the models lingua-go itself uses. go.mod pins lingua-go
// v1.4.0; TestLinguaModelsLinked fails if a future version renames or moves
// the variable (the symbol would then be missing at link time, or empty).
// The linker's linkname restrictions of Go 1.23+ apply to the standard library
// only, so this builds with go1.26, go vet and -race.
//
//go:linkname languageModels github.com/pemistahl/lingua-go.languageModels
var languageModels embed.FS

// orderNames are the file names of lingua's models by n-gram order (index = order).
var orderNames = [...]string{"", "unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"}

// readModel returns the parsed model of lang for n-gram order n, or nil when
// lingua has no such model (lingua then finds no probability either).
func readModel(lang lingua.Language, n int) (*serialization.SerializableLanguageModel, error) {
	iso := strings.ToLower(lang.IsoCode639_1().String())
	path := fmt.Sprintf("language-models/%s/%s.pb.bin.zip", iso, orderNames[n])
	zipped, err := languageModels.ReadFile(path)
	if err != nil {
		return nil, nil //nolint:nilerr // missing model: lingua treats it as empty
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	if len(zr.File) == 0 {
		return nil, fmt.Errorf("lingua model %s: empty zip", path)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	m := &serialization.SerializableLanguageModel{}
	if err := proto.Unmarshal(raw, m); err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	return m, nil
}
