package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const classifierModels = "../testdata/quality/models"

// sameAsFastText compares outputs: same lines and labels, probabilities within 1e-5
// (plus the rounding of fastText's 6-digit printing).
func sameAsFastText(t *testing.T, got, want string) {
	t.Helper()
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%d lines, fastText printed %d", len(gl)-1, len(wl)-1)
	}
	for i := range wl {
		g, w := strings.Fields(gl[i]), strings.Fields(wl[i])
		if len(g) != len(w) {
			t.Fatalf("line %d: %q, fastText %q", i+1, gl[i], wl[i])
		}
		for j := range w {
			if g[j] == w[j] {
				continue
			}
			gp, err1 := strconv.ParseFloat(g[j], 64)
			wp, err2 := strconv.ParseFloat(w[j], 64)
			if j%2 == 0 || err1 != nil || err2 != nil || math.Abs(gp-wp) > 1e-5+5e-7 {
				t.Fatalf("line %d: %q, fastText %q", i+1, gl[i], wl[i])
			}
		}
	}
}

func TestClassifierPredict(t *testing.T) {
	model := filepath.Join(classifierModels, "sms_bigram_softmax_q.ftz")
	input := filepath.Join(classifierModels, "data/inputs.txt")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"predict-prob", model, input, "2", "0.1"}, "sms_bigram_softmax_q.2.0.1.pred.txt"},
		{[]string{"predict", model, input, "2"}, "sms_bigram_softmax_q.2.labels.pred.txt"},
		{[]string{"predict-prob", model, input}, "sms_bigram_softmax_q.1.pred.txt"},
		{[]string{"predict-prob", model, "-", "-1"}, "sms_bigram_softmax_q.-1.pred.txt"},
	} {
		want, err := os.ReadFile(filepath.Join(classifierModels, "pred", c.want))
		if err != nil {
			t.Fatal(err)
		}
		stdin, err := os.Open(input)
		if err != nil {
			t.Fatal(err)
		}
		var out, errs bytes.Buffer
		err = classifierMain(c.args, stdin, &out, &errs)
		stdin.Close()
		if err != nil {
			t.Fatalf("%v: %v %s", c.args, err, errs.String())
		}
		sameAsFastText(t, out.String(), string(want))
	}
}

func TestClassifierErrors(t *testing.T) {
	model := filepath.Join(classifierModels, "sms_bigram_softmax_q.ftz")
	for _, args := range [][]string{
		{}, {"train"}, {"predict", model}, {"predict", model, "-", "0"}, {"predict", model, "-", "x"},
		{"predict", model, "-", "1", "y"}, {"predict", "no-such.bin", "-"}, {"predict", model, "no-such.txt"},
	} {
		var out, errs bytes.Buffer
		if err := classifierMain(args, strings.NewReader("hi\n"), &out, &errs); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	var out, errs bytes.Buffer
	if code := run([]string{"classifier", "predict", model, "no-such.txt"}, &out, &errs); code != 1 || !strings.Contains(errs.String(), "no-such.txt") {
		t.Errorf("exit %d, stderr %q", code, errs.String())
	}
}
