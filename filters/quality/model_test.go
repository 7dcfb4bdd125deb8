package quality

import (
	"bytes"
	"errors"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modelFiles lists the fixture models, the shared ones included (decompressed
// from testdata/quality/fasttext).
func modelFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(modelsDir, "*.bin"))
	ftz, _ := filepath.Glob(filepath.Join(modelsDir, "*.ftz"))
	files = append(files, ftz...)
	if len(files) < 5 || len(ftz) == 0 {
		t.Fatalf("fixture models missing in %s", modelsDir)
	}
	dir := t.TempDir()
	for _, f := range []string{"visible_hq_cc_bigram.bin", "visible_lid_char.bin"} {
		unzstdFile(t, filepath.Join(fasttextDir, f+".zst"), filepath.Join(dir, f))
		files = append(files, filepath.Join(dir, f))
	}
	return files
}

func TestWriteBinIdentical(t *testing.T) {
	for _, f := range modelFiles(t) {
		orig, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Read(bytes.NewReader(orig), f)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := m.WriteBin(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), orig) {
			t.Errorf("%s: WriteBin gives %d bytes differing from the %d read", f, out.Len(), len(orig))
		}
	}
}

func TestModelInfo(t *testing.T) {
	m, err := Load(filepath.Join(modelsDir, "sms_bigram_softmax_q.ftz"))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Quantized() || LossName(m.Args().Loss) != "softmax" || m.Args().WordNgrams != 2 {
		t.Errorf("args %+v quantized %v", m.Args(), m.Quantized())
	}
	nw, nl, dim := m.Dims()
	if nw < 100 || nl != 2 || dim != int(m.Args().Dim) || len(m.Labels()) != 2 {
		t.Errorf("dims %d %d %d labels %v", nw, nl, dim, m.Labels())
	}
	for _, l := range m.Labels() {
		if !strings.HasPrefix(l, "__label__") {
			t.Errorf("label %q", l)
		}
	}
}

// TestHash: fastText's hash is FNV-1a on ASCII, and differs from it on bytes >= 0x80,
// which fastText sign-extends.
func TestHash(t *testing.T) {
	for _, s := range []string{"", "a", "</s>", "hello world", "__label__x"} {
		h := fnv.New32a()
		h.Write([]byte(s))
		if Hash(s) != h.Sum32() || hashBytes([]byte(s)) != Hash(s) {
			t.Errorf("Hash(%q) = %d, FNV-1a %d", s, Hash(s), h.Sum32())
		}
	}
	// One byte 0xe9: (offset ^ 0xffffffe9) * prime.
	off, prime := uint32(fnvOffset), uint32(fnvPrime)
	if got, want := Hash("\xe9"), (off^0xffffffe9)*prime; got != want {
		t.Errorf("Hash(0xe9) = %d, want %d", got, want)
	}
	h := fnv.New32a()
	h.Write([]byte("é"))
	if Hash("é") == h.Sum32() {
		t.Error("Hash of a non-ASCII byte must sign-extend it")
	}
}

func TestNextWord(t *testing.T) {
	in := []byte("  a\tbb\v\f\r\x00c\n\nd</s> </s>\ne")
	var toks []string
	for len(in) > 0 {
		tok, n := NextWord(in)
		if n == 0 {
			t.Fatal("no progress")
		}
		in = in[n:]
		if tok != nil {
			toks = append(toks, string(tok))
		}
	}
	want := "a|bb|c|</s>|</s>|d</s>|</s>|</s>|e"
	if got := strings.Join(toks, "|"); got != want {
		t.Errorf("tokens %s, want %s", got, want)
	}
}

// TestLiteralEOS: a literal "</s>" token ends a fastText line (the rest is not read
// by PredictLine, and is a line of its own in the stream).
func TestLiteralEOS(t *testing.T) {
	m, err := Load(filepath.Join(modelsDir, "sms_bigram_softmax.bin"))
	if err != nil {
		t.Fatal(err)
	}
	p := m.NewPredictor()
	a := p.InputIDs("free prize now </s> call me")
	b := append([]int32(nil), a...)
	c := p.InputIDs("free prize now")
	if len(b) == 0 || !equalIDs(b, c) {
		t.Errorf("ids after </s> were read: %v vs %v", b, c)
	}
	var out bytes.Buffer
	if err := WritePredictions(p, strings.NewReader("free </s> call me\nhi"), &out, 1, 0, false); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("%d prediction lines for 2 input lines with a </s>, want 3: %q", n, out.String())
	}
}

func equalIDs(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAppendProb(t *testing.T) {
	for f, want := range map[float32]string{1.0000100136: "1.00001", 0.12345678: "0.123457",
		1e-5: "1e-05", 0.5: "0.5", 1.34238e-05: "1.34238e-05", 0.000180905: "0.000180905"} {
		if got := string(AppendProb(nil, f)); got != want {
			t.Errorf("AppendProb(%v) = %s, want %s", f, got, want)
		}
	}
}

// TestCorrupt: every truncation of a model and a few corruptions give an error that
// names the model and an offset, never a panic.
func TestCorrupt(t *testing.T) {
	for _, f := range []string{"sms_bigram_softmax_cut.ftz", "lid_char13_hs_bigram.bin"} {
		data, err := os.ReadFile(filepath.Join(modelsDir, f))
		if err != nil {
			t.Fatal(err)
		}
		step := max(1, len(data)/500)
		for n := 0; n < len(data); n += step {
			for _, r := range []io.Reader{bytes.NewReader(data[:n]), io.MultiReader(bytes.NewReader(data[:n]))} {
				_, err := Read(r, f)
				if err == nil {
					t.Fatalf("%s truncated at %d: no error", f, n)
				}
				if !strings.Contains(err.Error(), f+" at byte ") || !errors.Is(err, io.ErrUnexpectedEOF) && n > 0 {
					t.Fatalf("%s truncated at %d: unclear error %v", f, n, err)
				}
			}
		}
		bad := append([]byte(nil), data...)
		bad[0] ^= 1
		if _, err := Read(bytes.NewReader(bad), f); err == nil || !strings.Contains(err.Error(), "not a fastText model") {
			t.Errorf("bad magic: %v", err)
		}
		bad = append([]byte(nil), data...)
		bad[4] = 13 // version
		if _, err := Read(bytes.NewReader(bad), f); err == nil || !strings.Contains(err.Error(), "version") {
			t.Errorf("bad version: %v", err)
		}
	}
	if _, err := Load(filepath.Join(modelsDir, "no-such-model.bin")); err == nil {
		t.Error("missing file: no error")
	}
}

// TestConcurrent: one Model shared by goroutines, a Predictor each, gives the same
// predictions as a single Predictor (run with -race).
func TestConcurrent(t *testing.T) {
	m, err := Load(filepath.Join(modelsDir, "lid_char24_softmax_cut_dsub4.ftz"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile(filepath.Join(modelsDir, "data/inputs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := WritePredictions(m.NewPredictor(), bytes.NewReader(in), &want, 3, 0, true); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var got bytes.Buffer
			err := WritePredictions(m.NewPredictor(), bytes.NewReader(in), &got, 3, 0, true)
			if err == nil && got.String() != want.String() {
				err = errors.New("concurrent predictions differ")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadFile: Read from an *os.File (size known from Stat) gives the same model.
func TestReadFile(t *testing.T) {
	path := filepath.Join(modelsDir, "sms_bigram_softmax.bin")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Read(f, path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := m.WriteBin(&out); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(path)
	if !bytes.Equal(out.Bytes(), orig) {
		t.Error("model read from a file differs")
	}
}

// TestExpf: the glibc expf model stays within one float ulp of the exact exp (a wrong
// table word or constant would be far off) and is exact at 0.
func TestExpf(t *testing.T) {
	if expf(0) != 1 {
		t.Fatalf("expf(0) = %v", expf(0))
	}
	for x := float32(-86); x < 86; x += 0.0137 {
		got, want := float64(expf(x)), math.Exp(float64(x))
		if math.Abs(got-want) > want*1.2e-7 {
			t.Fatalf("expf(%v) = %v, exp %v", x, got, want)
		}
	}
}
