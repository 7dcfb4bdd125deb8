package quality

import (
	"bytes"
	"context"
	"testing"
)

// FuzzTrain trains a tiny model on arbitrary input: it must not panic, and a model it
// returns must write and read back, and predict.
func FuzzTrain(f *testing.F) {
	f.Add([]byte("__label__a x y\n__label__b z\n"), uint8(0))
	f.Add([]byte("__label__a é ü </s> __label__b\n\n__label__b"), uint8(3))
	f.Add([]byte("no labels here\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, opt uint8) {
		a := DefaultTrainArgs()
		a.Dim, a.Epoch, a.Bucket, a.Thread = 4, 1, 50, 1
		a.Loss = []string{"softmax", "ova", "hs", "ns"}[opt%4]
		if opt&4 != 0 {
			a.Minn, a.Maxn = 1, 3
		}
		if opt&8 != 0 {
			a.WordNgrams = 2
		}
		if a.Loss == "ns" && len(data) > 200 {
			return // the 10M-entry negatives table is slow to build
		}
		m, err := TrainBytes(context.Background(), data, a)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := m.WriteBin(&b); err != nil {
			t.Fatal(err)
		}
		m2, err := Read(&b, "fuzz")
		if err != nil {
			t.Fatalf("trained model does not read back: %v", err)
		}
		m2.NewPredictor().PredictLine(string(data), -1, 0)
		m2.Test(data, 1, 0)
	})
}
