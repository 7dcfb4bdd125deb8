package ngram

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	kflate "github.com/klauspost/compress/flate"
	"github.com/pemistahl/lingua-go"
)

// modelPath is the path of lingua's order-n model of lang in languageModels.
func modelPath(lang lingua.Language, n int) string {
	iso := strings.ToLower(lang.IsoCode639_1().String())
	return fmt.Sprintf("language-models/%s/%s.pb.bin.zip", iso, orderNames[n])
}

// openModelZip opens the zip archive of lingua's order-n model of lang in
// place (no copy of the embedded bytes), or returns nil when lingua has no
// such model.
func openModelZip(lang lingua.Language, n int) (*zip.Reader, error) {
	path := modelPath(lang, n)
	f, err := languageModels.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		return nil, fmt.Errorf("lingua model %s: embedded file is not an io.ReaderAt", path)
	}
	zr, err := zip.NewReader(ra, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", path, err)
	}
	if len(zr.File) == 0 {
		return nil, fmt.Errorf("lingua model %s: empty zip", path)
	}
	return zr, nil
}

// readModelFast is readModel with klauspost/compress's inflater (about 1.4
// times faster than compress/flate) and no copy of the zipped bytes.
func readModelFast(lang lingua.Language, n int) ([]byte, error) {
	zr, err := openModelZip(lang, n)
	if zr == nil || err != nil {
		return nil, err
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	zf := zr.File[0]
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("lingua model %s: %w", modelPath(lang, n), err)
	}
	defer rc.Close()
	if zf.UncompressedSize64 > 1<<30 {
		return nil, fmt.Errorf("lingua model %s: %d bytes unzipped", modelPath(lang, n), zf.UncompressedSize64)
	}
	raw := make([]byte, zf.UncompressedSize64)
	if _, err := io.ReadFull(rc, raw); err != nil {
		return nil, fmt.Errorf("lingua model %s at %d: %w", modelPath(lang, n), len(raw), err)
	}
	// Reading to EOF lets the zip reader check the CRC-32.
	if k, err := rc.Read(make([]byte, 1)); k != 0 || err != io.EOF {
		return nil, fmt.Errorf("lingua model %s: more than the %d bytes announced (%v)", modelPath(lang, n), len(raw), err)
	}
	return raw, nil
}
