package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const trainDataDir = "../testdata/quality/models/data/"

func trainCLI(t *testing.T, prefix string, extra ...string) []byte {
	t.Helper()
	args := append([]string{"train", "-input", trainDataDir + "sms_train.txt", "-output", prefix,
		"-dim", "10", "-bucket", "20000", "-minn", "2", "-maxn", "4", "-lr", "0.5", "-wordNgrams", "2"}, extra...)
	var stderr bytes.Buffer
	if err := classifierMain(args, nil, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatalf("train: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(prefix + ".bin")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestClassifierTrainTest trains twice with -thread 1 -seed 7 (identical .bin), once
// with two threads, and checks predict-prob and test against fastText when installed.
func TestClassifierTrainTest(t *testing.T) {
	dir := t.TempDir()
	a := trainCLI(t, filepath.Join(dir, "a"), "-thread", "1", "-seed", "7")
	b := trainCLI(t, filepath.Join(dir, "b"), "-thread", "1", "-seed", "7")
	if !bytes.Equal(a, b) {
		t.Fatal("-thread 1 -seed 7 twice: different models")
	}
	trainCLI(t, filepath.Join(dir, "c"), "-thread", "2")
	model := filepath.Join(dir, "a.bin")
	inputs := trainDataDir + "inputs.txt"
	var pred, test bytes.Buffer
	if err := classifierMain([]string{"predict-prob", model, inputs, "2"}, nil, &pred, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := classifierMain([]string{"test", model, trainDataDir + "sms_train.txt"}, nil, &test, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(test.Bytes(), []byte("N\t1394\nP@1\t")) {
		t.Errorf("test output %q", test.String())
	}
	if err := classifierMain([]string{"train", "-input", trainDataDir + "sms_train.txt"}, nil, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("train without -output succeeded")
	}
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fasttext not installed: predict-prob and test not compared")
	}
	want, err := exec.Command(ft, "predict-prob", model, inputs, "2").Output()
	if err != nil {
		t.Fatalf("fasttext predict-prob on the trained model: %v", err)
	}
	if !bytes.Equal(pred.Bytes(), want) {
		t.Error("predict-prob differs from fastText's on the trained model")
	}
	want, err = exec.Command(ft, "test", model, trainDataDir+"sms_train.txt").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(test.Bytes(), want) {
		t.Errorf("test: got %q, fasttext %q", test.String(), want)
	}
}
