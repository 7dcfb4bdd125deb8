package quality

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Vectors are word vectors in fastText's text format (.vec): a header line "N DIM",
// then one word a line followed by its DIM values, as `fasttext skipgram`, `cbow` and
// `print-word-vectors` write them.
type Vectors struct {
	Dim   int
	Words []string
	Data  []float32 // len(Words) * Dim, row i is Words[i]'s vector
}

// LoadVectors reads the .vec file at path for `-pretrainedVectors`; dim > 0 is the
// training dimension, which the file's must equal (as fastText requires).
func LoadVectors(path string, dim int) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pretrained vectors: %w", err)
	}
	defer f.Close()
	return ReadVectors(f, path, dim)
}

// vecSpace is the C locale's isspace, which separates the tokens fastText reads with
// operator>>.
func vecSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// ReadVectors parses a .vec file from r (name is used in errors). Unlike fastText,
// which reads whitespace-separated tokens without checking them, it requires each
// word and its values on one line and every value to be a finite float, and reports
// the first problem with its line number; lines past the N announced are ignored, as
// fastText ignores them.
func ReadVectors(r io.Reader, name string, dim int) (*Vectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	line := 0
	errAt := func(format string, args ...any) error {
		return fmt.Errorf("pretrained vectors %s line %d: %s", name, line, fmt.Sprintf(format, args...))
	}
	var buf []byte
	next := func() ([]byte, error) {
		buf = buf[:0]
		for {
			part, err := br.ReadSlice('\n')
			buf = append(buf, part...)
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if len(buf) > 0 {
				line++
				return bytes.TrimSuffix(buf, []byte("\n")), nil
			}
			if err == nil {
				err = io.EOF
			}
			return nil, err
		}
	}
	head, err := next()
	if err != nil {
		line = 1
		if errors.Is(err, io.EOF) {
			return nil, errAt("empty file, want a header \"N DIM\"")
		}
		return nil, errAt("%v", err)
	}
	f := bytes.FieldsFunc(head, func(r rune) bool { return r < 0x80 && vecSpace(byte(r)) })
	if len(f) != 2 {
		return nil, errAt("header %q: want \"N DIM\"", clip(head))
	}
	n, err1 := strconv.ParseInt(string(f[0]), 10, 64)
	d, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	if err1 != nil || err2 != nil || n < 0 || d <= 0 || d > math.MaxInt32 {
		return nil, errAt("header %q: want two integers N >= 0 and DIM > 0", clip(head))
	}
	if dim > 0 && d != int64(dim) {
		return nil, errAt("dimension of pretrained vectors (%d) does not match dimension (%d)", d, dim)
	}
	v := &Vectors{Dim: int(d)}
	for i := int64(0); i < n; i++ {
		b, err := next()
		if err != nil {
			line++
			if errors.Is(err, io.EOF) {
				return nil, errAt("end of file after %d of the %d vectors the header announces", i, n)
			}
			return nil, errAt("%v", err)
		}
		pos := 0
		field := func() []byte {
			for pos < len(b) && vecSpace(b[pos]) {
				pos++
			}
			start := pos
			for pos < len(b) && !vecSpace(b[pos]) {
				pos++
			}
			return b[start:pos]
		}
		w := field()
		if len(w) == 0 {
			return nil, errAt("empty line, want a word and %d values", d)
		}
		v.Words = append(v.Words, string(w))
		for j := int64(0); j < d; j++ {
			t := field()
			if len(t) == 0 {
				return nil, errAt("word %q has %d values, want %d", clip(w), j, d)
			}
			x, err := parseVecFloat(t)
			if err != nil {
				return nil, errAt("word %q value %d %q: %v", clip(w), j+1, clip(t), err)
			}
			v.Data = append(v.Data, x)
		}
		if t := field(); len(t) > 0 {
			return nil, errAt("word %q has more than %d values (%q)", clip(w), d, clip(t))
		}
	}
	return v, nil
}

// parseVecFloat parses a decimal float as operator>>(float&) does in the C locale:
// no hexadecimal, infinities or NaN, and no value out of float32 range.
func parseVecFloat(t []byte) (float32, error) {
	for _, c := range t {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, errors.New("not a decimal number")
		}
	}
	x, err := strconv.ParseFloat(string(t), 32)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			err = ne.Err
		}
		return 0, err
	}
	return float32(x), nil
}

// clip shortens a token for an error message.
func clip(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// addToDict is the dictionary part of FastText::getInputMatrixFromFile: every
// pretrained word is added (Dictionary::add: one more token, and a new entry of
// count 1, a label if it has the label prefix, or one more count for a known entry),
// then Dictionary::threshold(1, 0) sorts the entries again (std::sort: words first,
// by count descending) and keeps them all.
func (v *Vectors) addToDict(words []entry, ntokens int64, a *TrainArgs) (_ []entry, nwords, nlabels int32, _ int64, err error) {
	index := make(map[string]int, len(words)+len(v.Words))
	for i := range words {
		index[words[i].word] = i
	}
	for _, w := range v.Words {
		ntokens++
		if i, ok := index[w]; ok {
			words[i].count++
			continue
		}
		typ := int8(0)
		if strings.HasPrefix(w, a.Label) {
			typ = 1
		}
		index[w] = len(words)
		words = append(words, entry{word: w, count: 1, typ: typ})
	}
	if len(words) > math.MaxInt32 {
		return nil, 0, 0, 0, errors.New("pretrained vectors: too many words")
	}
	stdSort(words, func(a, b *entry) bool {
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		return a.count > b.count
	})
	for _, e := range words {
		if e.typ == 0 {
			nwords++
		} else {
			nlabels++
		}
	}
	return words, nwords, nlabels, ntokens, nil
}

// overwrite copies the pretrained vectors of m's words over its input rows (a word
// listed twice keeps its last vector; labels are skipped).
func (v *Vectors) overwrite(m *Model) {
	dim := v.Dim
	for i, w := range v.Words {
		id := m.find([]byte(w), Hash(w))
		if id < 0 || id >= m.nwords {
			continue
		}
		copy(m.in.data[int(id)*dim:int(id+1)*dim], v.Data[i*dim:(i+1)*dim])
	}
}
