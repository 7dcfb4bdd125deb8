package quality

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchModels are the benchmark models: the shared ones when present (as the issue
// asks), else fixtures of the same kinds (word bigrams; char n-grams).
func benchModels(b *testing.B) map[string][2]string {
	if _, err := os.Stat(sharedDir); err == nil {
		return map[string][2]string{
			"hq_cc_bigram": {filepath.Join(sharedDir, "visible_hq_cc_bigram.bin"), filepath.Join(sharedDir, "hq_cc_inputs.txt")},
			"lid_char":     {filepath.Join(sharedDir, "visible_lid_char.bin"), filepath.Join(sharedDir, "lid_inputs.txt")},
		}
	}
	in := filepath.Join(modelsDir, "data/inputs.txt")
	return map[string][2]string{
		"sms_bigram": {filepath.Join(modelsDir, "sms_bigram_softmax.bin"), in},
		"lid_char":   {filepath.Join(modelsDir, "lid_char24_softmax.bin"), in},
	}
}

// BenchmarkPredict reports lines/s of the predict-prob loop (k=2) on one goroutine.
func BenchmarkPredict(b *testing.B) {
	for name, f := range benchModels(b) {
		b.Run(name, func(b *testing.B) {
			m, err := Load(f[0])
			if err != nil {
				b.Fatal(err)
			}
			in, err := os.ReadFile(f[1])
			if err != nil {
				b.Fatal(err)
			}
			lines := bytes.Count(in, []byte("\n"))
			p := m.NewPredictor()
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := WritePredictions(p, bytes.NewReader(in), io.Discard, 2, 0, true); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkLoad reports the model load rate (MB/s is the file size over load time).
func BenchmarkLoad(b *testing.B) {
	path := filepath.Join(modelsDir, "sms_bigram_softmax.bin")
	if big := os.Getenv("QUALITY_BENCH_MODEL"); big != "" {
		path = big // e.g. a 1 GB model made by make_models.sh --big
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	for i := 0; i < b.N; i++ {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}
