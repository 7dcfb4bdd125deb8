package quality

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const vecFixture = "../../testdata/quality/vec/sms_skipgram_dim8.vec"

// vecVariant writes the fixture plus extra entries (the header count updated): a
// word absent from the training data, a label, and a word listed twice.
func vecVariant(t *testing.T, dir string) string {
	t.Helper()
	lines := strings.SplitAfter(string(readFile(t, vecFixture)), "\n")
	extra := []string{
		"zzunseenword 0.5 -0.5 0.25 -0.25 0.125 -0.125 1 -1 \n",
		"__label__ham 9 9 9 9 9 9 9 9\n",
		"to 0.01 0.02 0.03 0.04 0.05 0.06 0.07 0.08\n",
	}
	n := len(lines) - 2 + len(extra)
	body := strings.Join(lines[1:], "") + strings.Join(extra, "")
	path := filepath.Join(dir, "variant.vec")
	if err := os.WriteFile(path, []byte(strconv.Itoa(n)+" 8\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPretrainedVectors trains with -pretrainedVectors: the .vec words join the
// dictionary (a word below -minCount comes back with count 1, ntokens grows by the
// number of vectors, a label in the .vec becomes a label), and with fastText installed
// the model is byte for byte fastText's and predicts the same.
func TestPretrainedVectors(t *testing.T) {
	dir := t.TempDir()
	vec := vecVariant(t, dir)
	v, err := LoadVectors(vec, 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Words) != 67 || len(v.Data) != 67*8 || v.Words[0] != "</s>" {
		t.Fatalf("read %d words, %d values, first %q", len(v.Words), len(v.Data), v.Words[0])
	}
	data := readData(t, "sms_train.txt")
	a := smallArgs("softmax", 1)
	a.Minn, a.Maxn, a.MinCount, a.Bucket, a.Dim, a.WordNgrams = 0, 0, 3, 1000, 8, 2
	plain, err := TrainBytes(context.Background(), data, a)
	if err != nil {
		t.Fatal(err)
	}
	a.PretrainedVectors = vec
	m, err := TrainBytes(context.Background(), data, a)
	if err != nil {
		t.Fatal(err)
	}
	if m.ntokens != plain.ntokens+67 {
		t.Errorf("ntokens %d, want %d + 67", m.ntokens, plain.ntokens)
	}
	if id := m.find([]byte("zzunseenword"), Hash("zzunseenword")); id < 0 || m.words[id].count != 1 {
		t.Errorf("unseen pretrained word: id %d", id)
	}
	if m.nlabels != plain.nlabels {
		t.Errorf("labels %d, want %d (__label__ham is already one)", m.nlabels, plain.nlabels)
	}
	if id := m.find([]byte("to"), Hash("to")); id < 0 || m.words[id].count != plain.words[plain.find([]byte("to"), Hash("to"))].count+2 {
		t.Error("a word listed twice in the .vec should count two more")
	}
	if _, err := LoadVectors(vec, 10); err == nil || !strings.Contains(err.Error(), "does not match dimension (10)") {
		t.Errorf("dim 10 against an 8-dim .vec: %v", err)
	}
	a.Dim = 10
	if _, err := TrainBytes(context.Background(), data, a); err == nil {
		t.Error("training with -dim 10 and an 8-dim .vec succeeded")
	}
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fasttext not installed (apt-get install fasttext): -pretrainedVectors not compared with fastText 0.9.2")
	}
	trainPath := filepath.Join(dir, "train.txt")
	os.WriteFile(trainPath, data, 0o644)
	for _, extra := range [][]string{{"-minCount", "3", "-maxn", "0"}, {"-minCount", "1", "-minn", "2", "-maxn", "4"}} {
		out := filepath.Join(dir, "ft")
		args := append([]string{"supervised", "-input", trainPath, "-output", out, "-verbose", "0", "-thread", "1",
			"-seed", "1", "-dim", "8", "-epoch", "5", "-lr", "0.5", "-wordNgrams", "2", "-bucket", "1000",
			"-pretrainedVectors", vec}, extra...)
		if b, err := exec.Command(ft, args...).CombinedOutput(); err != nil {
			t.Fatalf("fasttext %v: %v\n%s", args, err, b)
		}
		a := smallArgs("softmax", 1)
		a.Dim, a.Epoch, a.LR, a.WordNgrams, a.Bucket, a.Minn, a.Maxn, a.PretrainedVectors = 8, 5, 0.5, 2, 1000, 0, 0, vec
		if extra[1] == "1" {
			a.MinCount, a.Minn, a.Maxn = 1, 2, 4
		} else {
			a.MinCount = 3
		}
		got := trainBin(t, data, a)
		if want := readFile(t, out+".bin"); !bytes.Equal(got, want) {
			t.Errorf("%v: %d bytes, fastText's .bin %d, first difference at %d", extra, len(got), len(want), firstDiff(got, want))
		}
		inputs := trainData + "inputs.txt"
		want, err := exec.Command(ft, "predict-prob", out+".bin", inputs, "2").Output()
		if err != nil {
			t.Fatal(err)
		}
		m, err := Read(bytes.NewReader(got), "trained")
		if err != nil {
			t.Fatal(err)
		}
		var pred bytes.Buffer
		WritePredictions(m.NewPredictor(), bytes.NewReader(readFile(t, inputs)), &pred, 2, 0, true)
		if !bytes.Equal(pred.Bytes(), want) {
			t.Errorf("%v: predict-prob differs from fastText's", extra)
		}
	}
}

// TestVecErrors: a corrupt .vec fails with the file name and the line.
func TestVecErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "line 1: empty file"},
		{"2\n", "line 1: header"},
		{"x 2\n", "line 1: header"},
		{"1 -2\n", "line 1: header"},
		{"2 2\na 1 2\n", "line 3: end of file after 1 of the 2"},
		{"1 2\na 1\n", "line 2: word \"a\" has 1 values, want 2"},
		{"1 2\na 1 2 3\n", "line 2: word \"a\" has more than 2 values"},
		{"1 2\na 1 x\n", "line 2: word \"a\" value 2 \"x\": not a decimal number"},
		{"1 2\na 1 1e99\n", "value out of range"},
		{"1 2\na nan 1\n", "not a decimal number"},
		{"2 2\n\nb 1 2\n", "line 2: empty line"},
		{"1 3\na 1 2\n", "does not match dimension (2)"},
	} {
		_, err := ReadVectors(strings.NewReader(c.text), "bad.vec", 2)
		if err == nil || !strings.Contains(err.Error(), "bad.vec") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.text, err, c.want)
		}
	}
	v, err := ReadVectors(strings.NewReader("2 2\r\n a\t1 -2.5e-1 \r\nb 3 4\nignored line\n"), "ok.vec", 0)
	if err != nil || len(v.Words) != 2 || v.Words[0] != "a" || v.Data[1] != -0.25 || v.Data[3] != 4 {
		t.Errorf("CRLF, tabs and a trailing line: %+v, %v", v, err)
	}
	if _, err := LoadVectors(filepath.Join(t.TempDir(), "missing.vec"), 0); err == nil || !strings.Contains(err.Error(), "missing.vec") {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzVec: ReadVectors never panics, and what it accepts is consistent.
func FuzzVec(f *testing.F) {
	f.Add(readFile(f, vecFixture))
	f.Add([]byte("2 2\na 1 2\nb 3 4\n"))
	f.Add([]byte("1 3\nx 1e-3 -2 +4.\n"))
	f.Add([]byte("0 5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ReadVectors(bytes.NewReader(b), "fuzz.vec", 0)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.vec line ") {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		if len(v.Data) != len(v.Words)*v.Dim {
			t.Fatalf("%d values for %d words of dim %d", len(v.Data), len(v.Words), v.Dim)
		}
		for _, w := range v.Words {
			if w == "" || strings.ContainsAny(w, " \t\n\v\f\r") {
				t.Fatalf("bad word %q", w)
			}
		}
	})
}
