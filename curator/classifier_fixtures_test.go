package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestTrainReproducesFastTextFixtures trains, with `curator classifier train`
// and the flags fastText 0.9.2 was given, every .bin model of
// testdata/quality/models (made by make_models.sh with fastText itself,
// -thread 1 -seed 1): all four losses, word and character n-grams, -label.
// Each must come out byte for byte the file fastText wrote.
func TestTrainReproducesFastTextFixtures(t *testing.T) {
	const dir = "../testdata/quality/models/"
	b, err := os.ReadFile(dir + "manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var mf struct {
		Models []struct {
			Name, File, Kind string
			Train            *struct {
				Data  string
				Flags []string
			}
		}
	}
	if err := json.Unmarshal(b, &mf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range mf.Models {
		if m.Kind != "bin" || m.Train == nil {
			continue
		}
		n++
		t.Run(m.Name, func(t *testing.T) {
			want, err := os.ReadFile(dir + m.File)
			if err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			out := filepath.Join(tmp, "m")
			input := dir + m.Train.Data
			if m.Train.Data == "data/sms_train_class.txt" {
				// make_models.sh: sms_train.txt with the label prefix __class__.
				b, err := os.ReadFile(dir + "data/sms_train.txt")
				if err != nil {
					t.Fatal(err)
				}
				input = filepath.Join(tmp, "sms_train_class.txt")
				b = regexp.MustCompile(`(?m)^__label__`).ReplaceAll(b, []byte("__class__"))
				if err := os.WriteFile(input, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"train", "-input", input, "-output", out}, m.Train.Flags...)
			var stderr bytes.Buffer
			if err := classifierMain(args, nil, &bytes.Buffer{}, &stderr); err != nil {
				t.Fatalf("train %v: %v\n%s", m.Train.Flags, err, &stderr)
			}
			got, err := os.ReadFile(out + ".bin")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				diff := 0
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						diff++
					}
				}
				t.Errorf("%s: %d bytes (fastText's: %d), %d of them differ", m.File, len(got), len(want), diff)
			}
		})
	}
	if n < 9 {
		t.Fatalf("%d trained fixtures in the manifest, want 9", n)
	}
}
