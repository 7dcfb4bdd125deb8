package quality

import (
	"bufio"
	"errors"
	"io"
	"strconv"
)

// WritePredictions prints, as fasttext predict (probs false) or predict-prob (probs
// true) does, one line per fastText getLine of r: a newline, or a literal "</s>"
// token, ends a prediction; a last line without a newline still gets one. Each line is
// "LABEL[ PROB]" pairs separated by spaces, empty when nothing was predicted.
func WritePredictions(p *Predictor, r io.Reader, w io.Writer, k int, threshold float32, probs bool) error {
	br := bufio.NewReaderSize(r, 1<<16)
	bw := bufio.NewWriterSize(w, 1<<16)
	var long, num []byte
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, line...)
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(long) > 0 {
			long = append(long, line...)
			line = long
			long = long[:0]
		}
		for pos := 0; pos < len(line); {
			preds, n := p.PredictNext(line[pos:], k, threshold)
			pos += n
			for i, pr := range preds {
				if i > 0 {
					bw.WriteByte(' ')
				}
				bw.WriteString(pr.Label)
				if probs {
					bw.WriteByte(' ')
					num = AppendProb(num[:0], pr.Prob)
					bw.Write(num)
				}
			}
			if err := bw.WriteByte('\n'); err != nil {
				return err
			}
		}
		if err != nil { // io.EOF
			return bw.Flush()
		}
	}
}

// AppendProb formats a probability as C++'s default `ostream << float` does
// (%g with 6 significant digits, e.g. 0.123457, 1.00001, 1e-05).
func AppendProb(b []byte, f float32) []byte {
	return strconv.AppendFloat(b, float64(f), 'g', 6, 64)
}
