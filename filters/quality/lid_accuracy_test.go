package quality

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fastTextLidP1 is what fastText 0.9.2 scores on lid_test.txt when trained on
// lid_train.txt with lidTrainFlags (docs/BENCHMARKS.md); the test measures it
// again when fasttext is installed.
const fastTextLidP1 = 0.974

var lidTrainFlags = []string{"-loss", "softmax", "-minn", "2", "-maxn", "4", "-dim", "16", "-epoch", "5", "-lr", "0.5",
	"-wordNgrams", "1", "-bucket", "200000", "-minCount", "1", "-thread", "1", "-seed", "1"}

// TestLidAccuracyBesideFastText is issue 3's accuracy check: trained on the
// shared lid_train.txt with the same flags as fastText, curator's P@1 on
// lid_test.txt is within 0.5 points of fastText's.
func TestLidAccuracyBesideFastText(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "lid_train.txt"), filepath.Join(dir, "lid_test.txt")
	unzstdFile(t, filepath.Join(fasttextDir, "lid_train.txt.zst"), train)
	unzstdFile(t, filepath.Join(fasttextDir, "lid_test.txt.zst"), test)
	a := DefaultTrainArgs()
	a.Loss, a.Minn, a.Maxn, a.Dim, a.Epoch, a.LR, a.WordNgrams, a.Bucket, a.MinCount, a.Thread, a.Seed =
		"softmax", 2, 4, 16, 5, 0.5, 1, 200000, 1, 1, 1
	m, err := Train(context.Background(), train, a)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(test)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Test(data, 1, 0).Precision()
	want := fastTextLidP1
	if ft, err := exec.LookPath("fasttext"); err == nil {
		prefix := filepath.Join(dir, "ft")
		args := append([]string{"supervised", "-input", train, "-output", prefix, "-verbose", "0"}, lidTrainFlags...)
		if out, err := exec.Command(ft, args...).CombinedOutput(); err != nil {
			t.Fatalf("fasttext supervised: %v\n%s", err, out)
		}
		out, err := exec.Command(ft, "test", prefix+".bin", test).Output()
		if err != nil {
			t.Fatalf("fasttext test: %v", err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(l, "P@1\t"); ok {
				if want, err = strconv.ParseFloat(v, 64); err != nil {
					t.Fatalf("fasttext test printed %q", out)
				}
			}
		}
	} else {
		t.Logf("fasttext not installed: comparing with its recorded P@1 %.3f", want)
	}
	t.Logf("P@1 on lid_test.txt: curator %.4f, fastText %.3f", got, want)
	if math.Abs(got-want) > 0.005 {
		t.Errorf("P@1 %.4f, fastText %.3f: more than 0.5 points apart", got, want)
	}
}
