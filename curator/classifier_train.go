package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/curator-dev/curator/filters/quality"
	"github.com/curator-dev/curator/internal/atomicfile"
)

const classifierTestUsage = `usage: curator classifier test MODEL TEST_FILE [K] [THRESHOLD]

Prints N, P@K and R@K as fastText 0.9.2's test does (TEST_FILE - for standard input).`

// classifierTrain mirrors fasttext supervised: -input FILE -output PREFIX [flags];
// it writes PREFIX.bin.
func classifierTrain(args []string, stderr io.Writer) error {
	a := quality.DefaultTrainArgs()
	a.Thread = runtime.NumCPU()
	fs := flag.NewFlagSet("classifier train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	input := fs.String("input", "", "training file path (required)")
	output := fs.String("output", "", "output file path prefix; writes PREFIX.bin (required)")
	fs.Float64Var(&a.LR, "lr", a.LR, "learning rate")
	fs.IntVar(&a.Dim, "dim", a.Dim, "size of word vectors")
	fs.IntVar(&a.WS, "ws", a.WS, "size of the context window (stored only)")
	fs.IntVar(&a.Epoch, "epoch", a.Epoch, "number of epochs")
	fs.IntVar(&a.MinCount, "minCount", a.MinCount, "minimal number of word occurrences")
	fs.IntVar(&a.MinCountLabel, "minCountLabel", a.MinCountLabel, "minimal number of label occurrences")
	fs.IntVar(&a.WordNgrams, "wordNgrams", a.WordNgrams, "max length of word ngram")
	fs.IntVar(&a.Minn, "minn", a.Minn, "min length of char ngram")
	fs.IntVar(&a.Maxn, "maxn", a.Maxn, "max length of char ngram")
	fs.IntVar(&a.Bucket, "bucket", a.Bucket, "number of buckets")
	fs.StringVar(&a.Loss, "loss", a.Loss, "loss function {ns, hs, softmax, ova}")
	fs.IntVar(&a.Thread, "thread", a.Thread, "number of threads")
	fs.IntVar(&a.Seed, "seed", a.Seed, "random generator seed")
	fs.IntVar(&a.LRUpdateRate, "lrUpdateRate", a.LRUpdateRate, "change the rate of updates for the learning rate")
	fs.Float64Var(&a.T, "t", a.T, "sampling threshold (stored only)")
	fs.StringVar(&a.Label, "label", a.Label, "labels prefix")
	fs.IntVar(&a.Neg, "neg", a.Neg, "number of negatives sampled")
	fs.StringVar(&a.PretrainedVectors, "pretrainedVectors", "", "pretrained word vectors (.vec) for supervised learning")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "t" {
			a.T = float64(float32(a.T)) // fastText parses -t with std::stof
		}
	})
	if *input == "" || *output == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: train needs -input FILE -output PREFIX", errUsage)
	}
	m, err := quality.Train(context.Background(), *input, a)
	if err != nil {
		return err
	}
	return writeModel(m, *output+".bin", "train")
}

// writeModel writes m to path as fastText does (.bin or .ftz, by the model),
// atomically, so a failed write leaves no half model behind.
func writeModel(m *quality.Model, path, cmd string) error {
	if err := atomicfile.Write(path, m.WriteBin); err != nil {
		return fmt.Errorf("classifier: %s: %w", cmd, err)
	}
	return nil
}

// classifierTest mirrors fasttext test MODEL TEST_FILE [K] [THRESHOLD].
func classifierTest(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 || len(args) > 4 {
		fmt.Fprintln(stderr, classifierTestUsage)
		return fmt.Errorf("%w: test needs MODEL TEST_FILE [K] [THRESHOLD]", errUsage)
	}
	k, threshold, err := parseKThreshold(args)
	if err != nil {
		return err
	}
	m, err := quality.Load(args[0])
	if err != nil {
		return err
	}
	var data []byte
	if args[1] == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(args[1])
	}
	if err != nil {
		return fmt.Errorf("classifier: test: %w", err)
	}
	return m.Test(data, k, threshold).Write(stdout)
}
