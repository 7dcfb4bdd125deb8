package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copyModel copies a fixture .bin to dir/name.bin and returns the prefix.
func copyModel(t *testing.T, dir, from, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(classifierModels, from+".bin"))
	if err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, name)
	if err := os.WriteFile(prefix+".bin", b, 0o644); err != nil {
		t.Fatal(err)
	}
	return prefix
}

// TestClassifierQuantize runs `curator classifier quantize` with the flags the
// fixtures were made with by `fasttext quantize` and wants fastText's .ftz bytes;
// with fastText installed, fastText's predict-prob on our .ftz must print what
// `curator classifier predict-prob` prints.
func TestClassifierQuantize(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		from, fixture string
		flags         []string
	}{
		{"sms_bigram_softmax", "sms_bigram_softmax_cut", []string{"-cutoff", "600"}},
		{"lid_char24_softmax", "lid_char24_softmax_cut_dsub4", []string{"-input", trainDataDir + "lid_train_small.txt",
			"-cutoff", "800", "-retrain", "-epoch", "1", "-lr", "0.1", "-qnorm", "-dsub", "4", "-verbose", "0"}},
	} {
		prefix := copyModel(t, dir, c.from, c.fixture)
		args := append([]string{"quantize", "-output", prefix, "-thread", "1"}, c.flags...)
		var stderr bytes.Buffer
		if err := classifierMain(args, nil, &bytes.Buffer{}, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		got, err := os.ReadFile(prefix + ".ftz")
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(classifierModels, c.fixture+".ftz"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: our .ftz differs from fastText's (%d and %d bytes)", c.fixture, len(got), len(want))
		}
	}
	prefix := filepath.Join(dir, "sms_bigram_softmax_cut")
	for _, bad := range [][]string{
		{"quantize"},
		{"quantize", "-output", prefix, "extra"},
		{"quantize", "-output", prefix, "-cutoff", "100", "-retrain"},
		{"quantize", "-output", prefix, "-dsub", "0"},
		{"quantize", "-output", filepath.Join(dir, "missing")},
	} {
		if err := classifierMain(bad, nil, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fasttext not installed: predict-prob on our .ftz not compared with fastText's")
	}
	inputs := trainDataDir + "inputs.txt"
	for _, model := range []string{prefix + ".ftz", filepath.Join(dir, "lid_char24_softmax_cut_dsub4.ftz")} {
		want, err := exec.Command(ft, "predict-prob", model, inputs, "2").Output()
		if err != nil {
			t.Fatalf("fasttext predict-prob %s: %v", model, err)
		}
		var got bytes.Buffer
		if err := classifierMain([]string{"predict-prob", model, inputs, "2"}, nil, &got, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: curator predict-prob differs from fastText's", filepath.Base(model))
		}
	}
}

// TestClassifierTrainPretrained trains with -pretrainedVectors; with fastText
// installed the .bin must be fastText's, byte for byte.
func TestClassifierTrainPretrained(t *testing.T) {
	dir := t.TempDir()
	vec := "../testdata/quality/vec/sms_skipgram_dim8.vec"
	flags := []string{"-input", trainDataDir + "sms_train.txt", "-dim", "8", "-bucket", "1000", "-wordNgrams", "2",
		"-lr", "0.3", "-epoch", "3", "-minCount", "2", "-thread", "1", "-seed", "1", "-t", "0.0003", "-pretrainedVectors", vec}
	out := filepath.Join(dir, "curator")
	var stderr bytes.Buffer
	if err := classifierMain(append([]string{"train", "-output", out}, flags...), nil, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatalf("train: %v\n%s", err, stderr.String())
	}
	err := classifierMain([]string{"train", "-output", out, "-input", trainDataDir + "sms_train.txt", "-pretrainedVectors", vec}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "does not match dimension (100)") {
		t.Errorf("8-dim vectors with the default -dim 100: %v", err)
	}
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("fasttext not installed: -pretrainedVectors training not compared with fastText's")
	}
	fout := filepath.Join(dir, "fasttext")
	if b, err := exec.Command(ft, append([]string{"supervised", "-output", fout, "-verbose", "0"}, flags...)...).CombinedOutput(); err != nil {
		t.Fatalf("fasttext supervised: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out + ".bin")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(fout + ".bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("-pretrainedVectors: our .bin (%d bytes) differs from fastText's (%d)", len(got), len(want))
	}
}
