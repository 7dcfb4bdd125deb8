package ngram

import (
	"cmp"
	"slices"

	"github.com/pemistahl/lingua-go"
)

// Path says how lingua's algorithm reached its answer for a text.
type Path uint8

// The paths of a detection.
const (
	// PathNone: no answer (no letters, or no language has any n-gram).
	PathNone Path = iota
	// PathRule: a rule decided (a script or unique character of one
	// language, or one language left by the filters); lingua's confidence 1.
	PathRule
	// PathTrigram: summed trigram log-probabilities (low accuracy, or texts
	// of 120 letters or more).
	PathTrigram
	// PathHigh: unigram to fivegram sums divided by the unigram count
	// (high accuracy on texts under 120 letters).
	PathHigh
)

// String names the path.
func (p Path) String() string {
	return [...]string{"none", "rule", "trigram", "high"}[p]
}

// evidence is what a detection rests on (scratch.ev).
type evidence struct {
	Path      Path
	Rule      lingua.Language // PathRule: the language
	Letters   int             // letters of the text, as lingua counts them
	Ngrams    int             // PathTrigram: the distinct trigrams summed over
	sums      [numLangs]float64
	incl      langSet
	first     *[numLangs]float64
	firstIncl langSet
}

// Evidence is the input of lingua's final softmax for one text: the path
// taken and, on the n-gram paths, the summed log-probability of each
// language in play (lingua's confidence is exp(LogProb) normalized over
// these). Calibration (package langid) rescales the sums.
type Evidence struct {
	Path    Path
	Rule    lingua.Language // PathRule: the language decided
	Letters int             // letters of the text, as lingua counts them
	// Ngrams (PathTrigram) counts the distinct trigrams the sums run over.
	Ngrams int
	// Scores: PathTrigram and PathHigh only, the languages in play with their
	// summed log-probabilities, highest first (ties by language).
	Scores []Confidence
}

// EvidenceInto computes the evidence for text, reusing dst.Scores.
func (d *Detector) EvidenceInto(dst *Evidence, text string) {
	s := d.pool.Get().(*scratch)
	d.evidence(s, text)
	e := &s.ev
	dst.Path, dst.Rule, dst.Letters, dst.Ngrams, dst.Scores = e.Path, e.Rule, e.Letters, e.Ngrams, dst.Scores[:0]
	if e.Path == PathTrigram || e.Path == PathHigh {
		for _, l := range d.langs {
			if e.incl.has(int(l)) {
				dst.Scores = append(dst.Scores, Confidence{l, e.sums[l]})
			}
		}
		slices.SortFunc(dst.Scores, func(a, b Confidence) int {
			if a.Value != b.Value {
				return -cmp.Compare(a.Value, b.Value)
			}
			return cmp.Compare(a.Language, b.Language)
		})
	}
	d.pool.Put(s)
}
