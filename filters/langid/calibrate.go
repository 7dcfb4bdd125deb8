package langid

import (
	"math"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters/langid/ngram"
)

// Calibration turns lingua's evidence into probabilities that mean what
// they say: of the texts given 0.8 for a language, about 80% are in it.
//
// lingua's own confidences are a softmax of summed log-probabilities. The
// sums grow with the text, so on anything longer than a sentence the top
// language gets 1.0 and the rest 0, and on short texts the values are spread
// without regard to how often lingua is right. Calibration divides the sums
// by a temperature before the softmax (Guo et al. 2017, "On Calibration of
// Modern Neural Networks"), one per path of lingua's algorithm: on the
// trigram path the temperature grows with the text as TrigramScale ×
// n^TrigramPower for the n distinct trigrams summed over (lingua sums each
// distinct n-gram once, so n, not the length, is what the sums grow with),
// on the high-accuracy path (short texts, sums already
// divided by the unigram count) it is HighTemperature; a language decided by
// a rule (a script or character only it has) gets Rule.
//
// DefaultCalibration was fitted by scripts/langid-calibrate (maximum
// likelihood of the true language) on lingua's labelled sentences, UDHR
// paragraphs, runs of up to 128 sentences and a benchmark pool's documents;
// the script prints the held-out calibration error before and after. The
// fitted power is 1: the temperature is proportional to the distinct
// trigrams, so what counts is the mean log-probability margin per trigram,
// and more text of a confusable pair (Bosnian and Croatian, say) does not
// make lingua surer than it is right.
type Calibration struct {
	TrigramScale    float64 `json:"trigram_scale"`
	TrigramPower    float64 `json:"trigram_power"`
	HighTemperature float64 `json:"high_temperature"`
	Rule            float64 `json:"rule"`
}

// DefaultCalibration is the calibration the lang step uses (see Calibration).
//
//	go run ./scripts/langid-calibrate -data ../shared/data/langid -pool /tmp/pool20k
//
// (59,894 held-out texts: expected calibration error 0.0372 for lingua's
// confidences, 0.0075 calibrated; docs/langid.md has the tables.)
var DefaultCalibration = Calibration{TrigramScale: 0.06332, TrigramPower: 1, HighTemperature: 0.5967, Rule: 0.9846}

// LinguaCalibration reproduces lingua's own confidences (up to lingua's
// decimal rounding): temperature 1 everywhere, rules certain.
var LinguaCalibration = Calibration{TrigramScale: 1, TrigramPower: 0, HighTemperature: 1, Rule: 1}

// Temperature returns the divisor of the summed log-probabilities of ev.
func (c Calibration) Temperature(ev *ngram.Evidence) float64 {
	if ev.Path == ngram.PathHigh {
		return c.HighTemperature
	}
	return c.TrigramScale * math.Pow(float64(max(ev.Ngrams, 1)), c.TrigramPower)
}

// Apply appends to dst[:0] the calibrated probability of every language in
// play, highest first (ties by language as lingua orders them); languages not
// in play have probability 0 and are left out. A text without evidence gives
// an empty result.
func (c Calibration) Apply(ev *ngram.Evidence, dst []ngram.Confidence) []ngram.Confidence {
	dst = dst[:0]
	switch ev.Path {
	case ngram.PathRule:
		return append(dst, ngram.Confidence{Language: ev.Rule, Value: c.Rule})
	case ngram.PathTrigram, ngram.PathHigh:
	default:
		return dst
	}
	t := c.Temperature(ev)
	best := ev.Scores[0].Value
	total := 0.0
	for _, s := range ev.Scores {
		v := math.Exp((s.Value - best) / t)
		total += v
		dst = append(dst, ngram.Confidence{Language: s.Language, Value: v})
	}
	for i := range dst {
		dst[i].Value /= total
	}
	return dst
}

// Top returns the most likely language of ev and its calibrated probability
// (lingua.Unknown and 0 without evidence).
func (c Calibration) Top(ev *ngram.Evidence) (lingua.Language, float64) {
	switch ev.Path {
	case ngram.PathRule:
		return ev.Rule, c.Rule
	case ngram.PathTrigram, ngram.PathHigh:
	default:
		return lingua.Unknown, 0
	}
	t := c.Temperature(ev)
	best := ev.Scores[0].Value
	total := 0.0
	for _, s := range ev.Scores {
		total += math.Exp((s.Value - best) / t)
	}
	return ev.Scores[0].Language, 1 / total
}
