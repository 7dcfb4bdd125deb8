package quality

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const trainData = "../../testdata/quality/models/data/"

// smallArgs is a fast config with char n-grams (so the bucket rows are trained too).
func smallArgs(loss string, seed int) TrainArgs {
	a := DefaultTrainArgs()
	a.Loss, a.Dim, a.Epoch, a.LR, a.Minn, a.Maxn, a.Bucket, a.Thread, a.Seed = loss, 10, 5, 0.5, 2, 4, 20000, 1, seed
	return a
}

func trainBin(t testing.TB, data []byte, a TrainArgs) []byte {
	t.Helper()
	m, err := TrainBytes(context.Background(), data, a)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.WriteBin(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readData(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(trainData + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrainDeterministic trains twice with one thread and seed 7: identical bytes; a
// different seed gives other bytes.
func TestTrainDeterministic(t *testing.T) {
	data := readData(t, "sms_train.txt")
	a := smallArgs("softmax", 7)
	b1, b2 := trainBin(t, data, a), trainBin(t, data, a)
	if !bytes.Equal(b1, b2) {
		t.Fatal("two runs with -thread 1 -seed 7 differ")
	}
	if bytes.Equal(b1, trainBin(t, data, smallArgs("softmax", 8))) {
		t.Fatal("seed 8 gives the same model as seed 7")
	}
	if _, err := Read(bytes.NewReader(b1), "trained"); err != nil {
		t.Fatalf("trained model does not load: %v", err)
	}
}

// splitLines returns every fifth line as the held-out set and the rest for training.
func splitLines(data []byte) (train, test []byte) {
	for i, l := range strings.SplitAfter(string(data), "\n") {
		if i%5 == 0 {
			test = append(test, l...)
		} else {
			train = append(train, l...)
		}
	}
	return train, test
}

// TestTrainAccuracy trains each loss on 80% of lid_train_small (also with two
// goroutines) and checks P@1 on the rest, and against fastText's when installed.
func TestTrainAccuracy(t *testing.T) {
	train, test := splitLines(readData(t, "lid_train_small.txt"))
	ft, ftErr := exec.LookPath("fasttext")
	dir := t.TempDir()
	trainPath, testPath := filepath.Join(dir, "train.txt"), filepath.Join(dir, "test.txt")
	os.WriteFile(trainPath, train, 0o644)
	os.WriteFile(testPath, test, 0o644)
	for _, c := range []struct {
		loss   string
		thread int
	}{{"softmax", 1}, {"softmax", 2}, {"ova", 1}, {"hs", 1}, {"ns", 1}} {
		if raceEnabled && c.thread == 1 {
			continue
		}
		t.Run(fmt.Sprintf("%s-%d", c.loss, c.thread), func(t *testing.T) {
			a := smallArgs(c.loss, 1)
			a.Thread, a.Epoch, a.LR = c.thread, 25, 1.0
			bin := trainBin(t, train, a)
			m, err := Read(bytes.NewReader(bin), "trained")
			if err != nil {
				t.Fatal(err)
			}
			r := m.Test(test, 1, 0)
			p := r.Precision()
			t.Logf("%s thread %d: curator P@1 %.3f (N %d)", c.loss, c.thread, p, r.N)
			if r.N < 100 || p < 0.8 {
				t.Errorf("%s thread %d: P@1 %.3f on %d examples", c.loss, c.thread, p, r.N)
			}
			if ftErr != nil {
				return
			}
			out := filepath.Join(dir, "ft")
			args := []string{"supervised", "-input", trainPath, "-output", out, "-verbose", "0",
				"-loss", c.loss, "-dim", "10", "-epoch", "25", "-lr", "1.0", "-minn", "2", "-maxn", "4",
				"-bucket", "20000", "-thread", "1", "-seed", "1"}
			if b, err := exec.Command(ft, args...).CombinedOutput(); err != nil {
				t.Fatalf("fasttext supervised: %v\n%s", err, b)
			}
			fm, err := Load(out + ".bin")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fm.words, m.words) || fm.ntokens != m.ntokens || fm.args != m.args {
				t.Errorf("%s: dictionary or args differ from fastText's", c.loss)
			}
			fp := fm.Test(test, 1, 0).Precision()
			t.Logf("%s: fastText P@1 %.3f", c.loss, fp)
			if math.Abs(p-fp) > 0.05 {
				t.Errorf("%s thread %d: P@1 %.3f, fastText %.3f", c.loss, c.thread, p, fp)
			}
		})
	}
}

// TestTrainedWithFastText checks, when fasttext is installed, that it loads a trained
// model and predicts exactly what this package predicts, and that `test` prints the
// same bytes as `fasttext test`.
func TestTrainedWithFastText(t *testing.T) {
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fasttext not installed (apt-get install fasttext): nothing to compare with")
	}
	dir := t.TempDir()
	train, test := splitLines(readData(t, "sms_train.txt"))
	a := smallArgs("softmax", 3)
	a.WordNgrams = 2
	path := filepath.Join(dir, "m.bin")
	os.WriteFile(path, trainBin(t, train, a), 0o644)
	testPath := filepath.Join(dir, "test.txt")
	os.WriteFile(testPath, test, 0o644)
	inputs := trainData + "inputs.txt"
	want, err := exec.Command(ft, "predict-prob", path, inputs, "-1").Output()
	if err != nil {
		t.Fatalf("fasttext predict-prob on the trained model: %v", err)
	}
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := WritePredictions(m.NewPredictor(), bytes.NewReader(readData(t, "inputs.txt")), &got, -1, 0, true); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("predict-prob differs from fastText's on the trained model")
	}
	for _, kt := range [][]string{{"1"}, {"2"}, {"-1"}, {"1", "0.9"}, {"1", "1.5"}} {
		want, err := exec.Command(ft, append([]string{"test", path, testPath}, kt...)...).Output()
		if err != nil {
			t.Fatalf("fasttext test %v: %v", kt, err)
		}
		k, th := 1, float32(0)
		switch kt[0] {
		case "2":
			k = 2
		case "-1":
			k = -1
		}
		if len(kt) > 1 {
			th = map[string]float32{"0.9": 0.9, "1.5": 1.5}[kt[1]]
		}
		var got bytes.Buffer
		m.Test(test, k, th).Write(&got)
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("test %v: got\n%s\nfasttext:\n%s", kt, got.String(), want)
		}
	}
}

// BenchmarkTrain reports training throughput on lid_train_small, one goroutine.
func BenchmarkTrain(b *testing.B) {
	data := readData(b, "lid_train_small.txt")
	a := smallArgs("softmax", 1)
	lines := bytes.Count(data, []byte("\n"))
	b.SetBytes(int64(len(data)) * int64(a.Epoch))
	b.ResetTimer()
	for b.Loop() {
		if _, err := TrainBytes(context.Background(), data, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*a.Epoch*b.N)/b.Elapsed().Seconds(), "lines/s")
}
