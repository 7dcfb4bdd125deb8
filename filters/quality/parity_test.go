package quality

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

const (
	modelsDir   = "../../testdata/quality/models"
	fasttextDir = "../../testdata/quality/fasttext" // copies of the shared fastText fixtures
	sharedDir   = "../../../shared/data/fasttext"
)

// unzstdFile decompresses the zstd file src to dst.
func unzstdFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	out, err := dec.DecodeAll(b, nil)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if err := os.WriteFile(dst, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFixtureCopiesCurrent checks, where the shared data is, that the copies in
// testdata/quality/fasttext are its bytes.
func TestFixtureCopiesCurrent(t *testing.T) {
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skipf("no %s to compare the copies with", sharedDir)
	}
	dir := t.TempDir()
	for _, f := range []string{"visible_hq_cc_bigram.bin", "hq_cc_inputs.txt", "visible_lid_char.bin", "lid_inputs.txt",
		"visible_hq_cc_bigram.pred.txt", "visible_lid_char.pred.txt"} {
		got := filepath.Join(fasttextDir, f)
		if _, err := os.Stat(got); err != nil {
			unzstdFile(t, got+".zst", filepath.Join(dir, f))
			got = filepath.Join(dir, f)
		}
		a, _ := os.ReadFile(got)
		b, _ := os.ReadFile(filepath.Join(sharedDir, f))
		if len(b) == 0 || !bytes.Equal(a, b) {
			t.Errorf("testdata copy of %s differs from %s", f, sharedDir)
		}
	}
}

// probTol is the agreement asked of probabilities (1e-5) plus the half unit of the
// sixth significant digit that fastText's printing may add.
const probTol = 1e-5 + 5e-7

// parityCase is one fastText predict or predict-prob run and its recorded output.
type parityCase struct {
	name, model, input, want string
	k                        int
	threshold                float32
	probs                    bool
}

type manifest struct {
	Models []struct {
		Name        string `json:"name"`
		File        string `json:"file"`
		Predictions []struct {
			Command   string   `json:"command"`
			Input     string   `json:"input"`
			K         int      `json:"k"`
			Threshold *float64 `json:"threshold"`
			File      string   `json:"file"`
		} `json:"predictions"`
	} `json:"models"`
}

// parityCases lists the testdata fixtures: the models made by make_models.sh and
// the two models of the shared data named by issue 3 (visible_hq_cc_bigram.bin,
// visible_lid_char.bin), copied into testdata/quality/fasttext.
func parityCases(t testing.TB) []parityCase {
	data, err := os.ReadFile(filepath.Join(modelsDir, "manifest.json"))
	if err != nil {
		t.Fatalf("the testdata fixtures are missing: %v", err)
	}
	var mf manifest
	if err := json.Unmarshal(data, &mf); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	var cases []parityCase
	for _, m := range mf.Models {
		for _, p := range m.Predictions {
			c := parityCase{
				name:  strings.TrimSuffix(filepath.Base(p.File), ".pred.txt"),
				model: filepath.Join(modelsDir, m.File), input: filepath.Join(modelsDir, p.Input),
				want: filepath.Join(modelsDir, p.File), k: p.K, probs: p.Command == "predict-prob",
			}
			if p.Threshold != nil {
				c.threshold = float32(*p.Threshold)
			}
			cases = append(cases, c)
		}
	}
	if len(cases) < 20 {
		t.Fatalf("manifest.json lists only %d predictions", len(cases))
	}
	// DCLM-shaped models from the shared data, copied (zstd) into testdata.
	dir := t.TempDir()
	for _, f := range []string{"visible_hq_cc_bigram.bin", "hq_cc_inputs.txt", "visible_lid_char.bin", "lid_inputs.txt"} {
		unzstdFile(t, filepath.Join(fasttextDir, f+".zst"), filepath.Join(dir, f))
	}
	cases = append(cases,
		parityCase{name: "shared_hq_cc_bigram", model: filepath.Join(dir, "visible_hq_cc_bigram.bin"),
			input: filepath.Join(dir, "hq_cc_inputs.txt"), want: filepath.Join(fasttextDir, "visible_hq_cc_bigram.pred.txt"), k: 2, probs: true},
		parityCase{name: "shared_lid_char", model: filepath.Join(dir, "visible_lid_char.bin"),
			input: filepath.Join(dir, "lid_inputs.txt"), want: filepath.Join(fasttextDir, "visible_lid_char.pred.txt"), k: 2, probs: true})
	return cases
}

// compareOutputs checks that got has the lines of want with the same labels in the
// same order and probabilities within probTol; it returns the byte-identical lines.
func compareOutputs(got, want []byte, probs bool) (identical int, err error) {
	gl := strings.SplitAfter(string(got), "\n")
	wl := strings.SplitAfter(string(want), "\n")
	if len(gl) != len(wl) {
		return 0, fmt.Errorf("%d output lines, fastText printed %d", len(gl), len(wl))
	}
	for i := range wl {
		if gl[i] == wl[i] {
			if wl[i] != "" {
				identical++
			}
			continue
		}
		g, w := strings.Fields(gl[i]), strings.Fields(wl[i])
		if len(g) != len(w) || !probs {
			return 0, fmt.Errorf("line %d: got %q, fastText %q", i+1, gl[i], wl[i])
		}
		for j := range w {
			if j%2 == 0 {
				if g[j] != w[j] {
					return 0, fmt.Errorf("line %d: label %d: got %q, fastText %q", i+1, j/2, g[j], w[j])
				}
				continue
			}
			gp, err1 := strconv.ParseFloat(g[j], 64)
			wp, err2 := strconv.ParseFloat(w[j], 64)
			if err1 != nil || err2 != nil || math.Abs(gp-wp) > probTol {
				return 0, fmt.Errorf("line %d: %s: got %s, fastText %s", i+1, w[j-1], g[j], w[j])
			}
		}
	}
	return identical, nil
}

func TestParity(t *testing.T) {
	models := map[string]*Model{}
	for _, c := range parityCases(t) {
		t.Run(c.name, func(t *testing.T) {
			m := models[c.model]
			if m == nil {
				var err error
				if m, err = Load(c.model); err != nil {
					t.Fatal(err)
				}
				models[c.model] = m
			}
			in, err := os.ReadFile(c.input)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(c.want)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WritePredictions(m.NewPredictor(), bytes.NewReader(in), &got, c.k, c.threshold, c.probs); err != nil {
				t.Fatal(err)
			}
			same, err := compareOutputs(got.Bytes(), want, c.probs)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d/%d lines byte-identical", same, bytes.Count(want, []byte("\n")))
		})
	}
}

// TestPredictLineMatchesStream checks the one-line API against the stream on the
// lines of the fixtures: same labels and the same probabilities bit for bit.
func TestPredictLineMatchesStream(t *testing.T) {
	m, err := Load(filepath.Join(modelsDir, "lid_char13_hs_bigram.bin"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile(filepath.Join(modelsDir, "data/inputs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := m.NewPredictor(), m.NewPredictor()
	lines := strings.Split(strings.TrimSuffix(string(in), "\n"), "\n")
	for i, line := range lines {
		a := append([]Prediction(nil), p1.PredictLine(line, 3, 0)...)
		b, n := p2.PredictNext([]byte(line+"\n"), 3, 0)
		if fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
			t.Fatalf("line %d: PredictLine %v, PredictNext %v", i+1, a, b)
		}
		if !strings.Contains(line, "</s>") && n != len(line)+1 {
			t.Fatalf("line %d: PredictNext read %d bytes of %d", i+1, n, len(line)+1)
		}
	}
}
