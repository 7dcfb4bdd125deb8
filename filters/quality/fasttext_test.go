package quality

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestFastTextLoadsWritten writes the synthetic models (hs loss, char n-grams with a
// non-ASCII word, word bigrams; dense, and quantized with qnorm, qout and a pruned
// index) and, when the fasttext tool is installed, checks that it loads them and
// predicts what this package predicts.
func TestFastTextLoadsWritten(t *testing.T) {
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fasttext not installed (apt-get install fasttext): nothing to compare with")
	}
	dir := t.TempDir()
	input := filepath.Join(dir, "in.txt")
	text := "a é b\n\na a a\né\n__label__x a zz ü </s> a\nzzz"
	if err := os.WriteFile(input, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, quant := range []bool{false, true} {
		path := filepath.Join(dir, "tiny.bin")
		if err := os.WriteFile(path, tinyBytes(t, quant), 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := exec.Command(ft, "predict-prob", path, input, "-1").Output()
		if err != nil {
			t.Fatalf("fasttext on our model (quant %v): %v", quant, err)
		}
		m, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WritePredictions(m.NewPredictor(), bytes.NewReader([]byte(text)), &got, -1, 0, true); err != nil {
			t.Fatal(err)
		}
		if _, err := compareOutputs(got.Bytes(), want, true); err != nil {
			t.Errorf("quant %v: %v\ngot:\n%s\nfasttext:\n%s", quant, err, got.String(), want)
		}
	}
}
