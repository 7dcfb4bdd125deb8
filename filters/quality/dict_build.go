package quality

import (
	"errors"
	"fmt"
	"strings"
)

// TrainArgs are fastText 0.9.2's supervised training flags, with its defaults from
// DefaultTrainArgs.
type TrainArgs struct {
	LR            float64 // -lr learning rate
	Dim           int     // -dim vector dimension
	WS            int     // -ws context window (stored only)
	Epoch         int     // -epoch passes over the data
	MinCount      int     // -minCount minimal word count
	MinCountLabel int     // -minCountLabel minimal label count
	WordNgrams    int     // -wordNgrams max length of word n-grams
	Minn, Maxn    int     // -minn, -maxn char n-gram lengths
	Bucket        int     // -bucket number of n-gram hash buckets
	Loss          string  // -loss softmax, ova, hs or ns
	Thread        int     // -thread training goroutines
	Seed          int     // -seed random seed
	LRUpdateRate  int     // -lrUpdateRate tokens between learning-rate updates
	T             float64 // -t sampling threshold (stored only: supervised ignores it)
	Label         string  // -label label prefix
	Neg           int     // -neg negatives sampled (loss ns)
	// PretrainedVectors is -pretrainedVectors: a .vec file whose words join the
	// dictionary and whose vectors start their input rows.
	PretrainedVectors string
}

// DefaultTrainArgs returns the defaults of `fasttext supervised`.
func DefaultTrainArgs() TrainArgs {
	return TrainArgs{LR: 0.1, Dim: 100, WS: 5, Epoch: 5, MinCount: 1, WordNgrams: 1,
		Bucket: 2000000, Loss: "softmax", Thread: 12, Seed: 0, LRUpdateRate: 100, T: 1e-4,
		Label: labelPrefix, Neg: 5}
}

func lossCode(name string) (int32, error) {
	switch name {
	case "hs":
		return lossHS, nil
	case "ns":
		return lossNS, nil
	case "softmax":
		return lossSoftmax, nil
	case "ova":
		return lossOVA, nil
	}
	return 0, fmt.Errorf("unknown loss %q (want softmax, ova, hs or ns)", name)
}

// buildDict is Dictionary::readFromFile followed by threshold: every token of data
// (newlines are "</s>") is counted, words below minCount and labels below
// minCountLabel are dropped, and the entries are sorted words first, then by count
// descending. fastText uses std::sort, which is not stable: stdSort reproduces
// libstdc++'s, from the first-occurrence order fastText adds the words in, so that
// entries of equal count come out in fastText's order.
func buildDict(data []byte, a *TrainArgs) (words []entry, nwords, nlabels int32, ntokens int64, err error) {
	index := make(map[string]int32)
	for pos := 0; pos < len(data); {
		tok, n := NextWord(data[pos:])
		pos += n
		if tok == nil {
			break
		}
		ntokens++
		if i, ok := index[string(tok)]; ok {
			words[i].count++
			continue
		}
		w := string(tok)
		typ := int8(0)
		if strings.HasPrefix(w, a.Label) {
			typ = 1
		}
		index[w] = int32(len(words))
		words = append(words, entry{word: w, count: 1, typ: typ})
	}
	stdSort(words, func(a, b *entry) bool {
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		return a.count > b.count
	})
	kept := words[:0]
	for _, e := range words {
		if (e.typ == 0 && e.count < int64(a.MinCount)) || (e.typ == 1 && e.count < int64(a.MinCountLabel)) {
			continue
		}
		kept = append(kept, e)
		if e.typ == 0 {
			nwords++
		} else {
			nlabels++
		}
	}
	if len(kept) == 0 {
		return nil, 0, 0, 0, errors.New("empty vocabulary: try a smaller -minCount")
	}
	if nlabels == 0 {
		return nil, 0, 0, 0, fmt.Errorf("no labels with prefix %q in the input", a.Label)
	}
	return kept, nwords, nlabels, ntokens, nil
}
