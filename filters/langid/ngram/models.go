package ngram

import (
	"archive/zip"
	"bytes"
	"embed"
	"fmt"
	"math"
	"strings"
	_ "unsafe" // for go:linkname

	"github.com/pemistahl/lingua-go"
	"google.golang.org/protobuf/encoding/protowire"
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

// readModel returns the serialized model (lingua's
// SerializableLanguageModel) of lang for n-gram order n, unzipped, or nil when
// lingua has no such model (lingua then finds no probability either).
func readModel(lang lingua.Language, n int) ([]byte, error) {
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
	raw := make([]byte, 0, zr.File[0].UncompressedSize64)
	buf := bytes.NewBuffer(raw)
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	return buf.Bytes(), nil
}

// Field numbers of lingua's serialization/model.proto.
const (
	fieldNgramSets   = 4 // SerializableLanguageModel.ngram_sets
	fieldProbability = 1 // SerializableNgramSet.probability (double)
	fieldNgrams      = 2 // SerializableNgramSet.ngrams (repeated string)
)

// walkModel calls f for every n-gram of a serialized model with its
// probability, reading the protobuf wire format in place: the n-grams are
// slices of raw, valid until raw changes. It reads what proto.Unmarshal into
// serialization.SerializableLanguageModel would (TestWalkModelAsUnmarshal).
func walkModel(raw []byte, f func(prob float64, ngram []byte) error) error {
	for b := raw; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("model at %d: %w", len(raw)-len(b), protowire.ParseError(n))
		}
		b = b[n:]
		if num != fieldNgramSets || typ != protowire.BytesType {
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return fmt.Errorf("model at %d: %w", len(raw)-len(b), protowire.ParseError(n))
			}
			b = b[n:]
			continue
		}
		set, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return fmt.Errorf("model at %d: %w", len(raw)-len(b), protowire.ParseError(n))
		}
		b = b[n:]
		if err := walkSet(set, f); err != nil {
			return fmt.Errorf("model at %d: %w", len(raw)-len(b), err)
		}
	}
	return nil
}

// walkSet reads one SerializableNgramSet: its probability (wherever it is in
// the message; the last one wins, as in proto.Unmarshal), then its n-grams.
func walkSet(set []byte, f func(prob float64, ngram []byte) error) error {
	var prob float64
	for b := set; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if num == fieldProbability && typ == protowire.Fixed64Type {
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return protowire.ParseError(n)
			}
			prob = math.Float64frombits(v)
			b = b[n:]
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
	}
	for b := set; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		b = b[n:]
		if num == fieldNgrams && typ == protowire.BytesType {
			g, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return protowire.ParseError(n)
			}
			if err := f(prob, g); err != nil {
				return err
			}
			b = b[n:]
			continue
		}
		b = b[protowire.ConsumeFieldValue(num, typ, b):]
	}
	return nil
}
