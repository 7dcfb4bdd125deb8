package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/curator-dev/curator/filters/quality"
)

// classifierQuantize mirrors fasttext quantize: -output PREFIX [-input FILE] [flags];
// it reads PREFIX.bin and writes PREFIX.ftz.
func classifierQuantize(ctx context.Context, args []string, stderr io.Writer) error {
	a := quality.DefaultQuantizeArgs()
	a.Thread = runtime.NumCPU()
	fs := flag.NewFlagSet("classifier quantize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("output", "", "model prefix: reads PREFIX.bin, writes PREFIX.ftz (required)")
	input := fs.String("input", "", "training file, read only with -retrain")
	fs.IntVar(&a.Cutoff, "cutoff", a.Cutoff, "number of words and ngrams to retain")
	fs.BoolVar(&a.Retrain, "retrain", a.Retrain, "whether embeddings are finetuned if a cutoff is applied")
	fs.BoolVar(&a.QNorm, "qnorm", a.QNorm, "whether the norm is quantized separately")
	fs.BoolVar(&a.QOut, "qout", a.QOut, "whether the classifier is quantized")
	fs.IntVar(&a.DSub, "dsub", a.DSub, "size of each sub-vector")
	fs.IntVar(&a.Epoch, "epoch", a.Epoch, "number of epochs (with -retrain)")
	fs.Float64Var(&a.LR, "lr", a.LR, "learning rate (with -retrain)")
	fs.IntVar(&a.Thread, "thread", a.Thread, "number of threads (-thread 1: same bytes as fastText)")
	fs.Int("verbose", 2, "verbosity level (accepted for fastText compatibility; ignored)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *output == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: quantize needs -output PREFIX", errUsage)
	}
	if a.DSub < 1 || a.Thread < 1 || a.Cutoff < 0 {
		return fmt.Errorf("%w: quantize: -dsub and -thread must be positive, -cutoff not negative", errUsage)
	}
	m, err := quality.Load(*output + ".bin")
	if err != nil {
		return err
	}
	var train []byte
	if a.Retrain && a.Cutoff > 0 {
		if *input == "" {
			return fmt.Errorf("%w: quantize -retrain needs -input FILE", errUsage)
		}
		if train, err = os.ReadFile(*input); err != nil {
			return fmt.Errorf("classifier: quantize: %w", err)
		}
	}
	q, err := m.Quantize(ctx, train, a)
	if err != nil {
		return err
	}
	return writeModel(q, *output+".ftz", "quantize")
}
