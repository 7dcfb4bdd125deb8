package quality

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// TestResult is fastText's Meter for `fasttext test`: the examples with at least one
// known label and one input row, the gold labels, the predictions and the correct ones.
type TestResult struct {
	K                       int
	N, Gold, Predicted, Hit int64
}

// Precision is P@K (NaN without predictions, as in fastText).
func (r TestResult) Precision() float64 { return float64(r.Hit) / float64(r.Predicted) }

// Recall is R@K.
func (r TestResult) Recall() float64 { return float64(r.Hit) / float64(r.Gold) }

// Write prints r as `fasttext test` does: "N\t<n>", then P@k and R@k with C++'s
// setprecision(3) (%g with 3 significant digits).
func (r TestResult) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "N\t%d\nP@%d\t%s\nR@%d\t%s\n", r.N, r.K, fmtG3(r.Precision()), r.K, fmtG3(r.Recall()))
	return err
}

func fmtG3(f float64) string {
	if math.IsNaN(f) {
		return "nan" // as fastText 0.9.2 prints 0.0/0.0
	}
	return strconv.FormatFloat(f, 'g', 3, 64)
}

// Test evaluates m on data (fastText-format lines with labels) as FastText::test does:
// each getLine with known labels and a non-empty input is predicted with k and
// threshold and counted.
func (m *Model) Test(data []byte, k int, threshold float32) TestResult {
	p := m.NewPredictor()
	r := TestResult{K: k}
	var labels []string
	for pos := 0; pos < len(data); {
		n := p.getLine(data[pos:], false)
		labels = labels[:0]
		for q := pos; q < pos+n; {
			tok, c := NextWord(data[q : pos+n])
			q += c
			if tok == nil {
				break
			}
			if wid := m.find(tok, hashBytes(tok)); wid >= 0 && m.words[wid].typ == 1 {
				labels = append(labels, m.words[wid].word)
			}
		}
		pos += n
		if n == 0 {
			break
		}
		if len(labels) == 0 || len(p.ids) == 0 {
			continue
		}
		preds := p.predict(k, threshold)
		r.N++
		r.Gold += int64(len(labels))
		r.Predicted += int64(len(preds))
		for _, pr := range preds {
			for _, l := range labels {
				if l == pr.Label {
					r.Hit++
					break
				}
			}
		}
	}
	return r
}
