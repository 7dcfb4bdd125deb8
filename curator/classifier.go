package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/curator-dev/curator/filters/quality"
)

const classifierUsage = `usage: curator classifier predict|predict-prob MODEL INPUT [K] [THRESHOLD]

  predict       print the K most likely labels of each input line
  predict-prob  print them with their probabilities
  MODEL         a fastText supervised model (.bin or .ftz)
  INPUT         a text file, one document per line, or - for standard input
  K             number of labels per line (default 1, -1 for all)
  THRESHOLD     minimal probability (default 0.0)

The output is the same as fastText 0.9.2's predict and predict-prob.

       curator classifier quantize -output PREFIX [-input FILE] [-cutoff N] [-retrain]
                                   [-qnorm] [-qout] [-dsub N] [-epoch N] [-lr R] [-thread N]

  quantize      product-quantize PREFIX.bin into PREFIX.ftz as fastText 0.9.2's quantize
                does (with -thread 1 the same bytes); -input is read with -retrain only`

// cmdClassifier runs "curator classifier SUBCOMMAND ...".
func cmdClassifier(args []string, stdout, stderr io.Writer) error {
	return classifierMain(args, os.Stdin, stdout, stderr)
}

func classifierMain(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, classifierUsage)
		return fmt.Errorf("%w: classifier needs a subcommand", errUsage)
	}
	switch args[0] {
	case "predict", "predict-prob":
		return classifierPredict(args[0] == "predict-prob", args[1:], stdin, stdout, stderr)
	case "train":
		return classifierTrain(args[1:], stderr)
	case "test":
		return classifierTest(args[1:], stdin, stdout, stderr)
	case "quantize":
		return classifierQuantize(context.Background(), args[1:], stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, classifierUsage)
		return nil
	}
	fmt.Fprintln(stderr, classifierUsage)
	return fmt.Errorf("%w: unknown classifier subcommand %q", errUsage, args[0])
}

// classifierPredict mirrors fasttext's predict: arguments MODEL INPUT [K] [THRESHOLD].
func classifierPredict(probs bool, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 || len(args) > 4 {
		fmt.Fprintln(stderr, classifierUsage)
		return fmt.Errorf("%w: predict needs MODEL INPUT [K] [THRESHOLD]", errUsage)
	}
	k, threshold, err := parseKThreshold(args)
	if err != nil {
		return err
	}
	if k != -1 && k <= 0 {
		return fmt.Errorf("%w: K needs to be 1 or higher (or -1 for all labels)", errUsage)
	}
	model, err := quality.Load(args[0])
	if err != nil {
		return err
	}
	in := stdin
	if args[1] != "-" {
		f, err := os.Open(args[1])
		if err != nil {
			return fmt.Errorf("classifier: input: %w", err)
		}
		defer f.Close()
		in = f
	}
	if err := quality.WritePredictions(model.NewPredictor(), in, stdout, k, threshold, probs); err != nil {
		return fmt.Errorf("classifier: %s: %w", args[1], err)
	}
	return nil
}

// parseKThreshold reads the optional K (default 1) and THRESHOLD (default 0)
// that follow MODEL and INPUT, as fasttext's predict and test take them.
func parseKThreshold(args []string) (k int, threshold float32, err error) {
	k = 1
	if len(args) > 2 {
		if k, err = strconv.Atoi(args[2]); err != nil {
			return 0, 0, fmt.Errorf("%w: K %q: %v", errUsage, args[2], err)
		}
	}
	if len(args) > 3 {
		v, err := strconv.ParseFloat(args[3], 32)
		if err != nil {
			return 0, 0, fmt.Errorf("%w: THRESHOLD %q: %v", errUsage, args[3], err)
		}
		threshold = float32(v)
	}
	return k, threshold, nil
}
