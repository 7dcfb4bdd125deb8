package ngram

import (
	"fmt"
	"sync"

	"github.com/pemistahl/lingua-go"
)

// Options configures a Detector.
type Options struct {
	// Languages are the candidates (lingua's FromLanguages); empty: all 75.
	Languages []lingua.Language
	// LowAccuracy uses trigrams only, as lingua's WithLowAccuracyMode does.
	// Otherwise texts under 120 letters use unigrams to fivegrams.
	LowAccuracy bool
}

// Confidence is one language's confidence value, as lingua's ConfidenceValue.
type Confidence struct {
	Language lingua.Language
	Value    float64
}

// Detector computes lingua-go v1.4.0's ComputeLanguageConfidenceValues for
// its candidate languages. It is safe for concurrent use; its scratch state
// is pooled, so Detect allocates nothing but the result and DetectInto
// nothing at all once warm.
type Detector struct {
	m        *Models
	low      bool
	langs    []lingua.Language // candidates in lingua's order
	cand     langSet
	oneLang  [numScripts + 1]int8 // script -> its only language if a candidate, else -1
	unique   map[rune][]uint8     // rune -> candidates having it as unique character
	scripts  [numScripts + 1]langSet
	mapLangs []langSet // charsToLanguages entry -> its languages
	pool     sync.Pool
}

// langSet is a set of lingua languages (bit l: lingua.Language(l)).
type langSet [2]uint64

func (s *langSet) add(l int)     { s[l>>6] |= 1 << (l & 63) }
func (s langSet) has(l int) bool { return s[l>>6]>>(l&63)&1 != 0 }
func (s langSet) and(o langSet) langSet {
	return langSet{s[0] & o[0], s[1] & o[1]}
}

// NewDetector returns a detector over m for the given options.
func NewDetector(m *Models, opt Options) (*Detector, error) {
	d := &Detector{m: m, low: opt.LowAccuracy, unique: map[rune][]uint8{}}
	langs := opt.Languages
	if len(langs) == 0 {
		langs = lingua.AllLanguages()
	}
	for _, l := range langs {
		if l < 0 || l >= numLangs {
			return nil, fmt.Errorf("ngram: unsupported language %v", l)
		}
		if !d.cand.has(int(l)) {
			d.cand.add(int(l))
			d.langs = append(d.langs, l)
		}
	}
	// lingua's allAlphabetsSupportingSingleLanguage, restricted to candidates.
	var perScript [numScripts + 1][]lingua.Language
	for l := lingua.Language(0); l < numLangs; l++ {
		for _, sc := range languageScripts(l) {
			perScript[sc] = append(perScript[sc], l)
			if d.cand.has(int(l)) {
				d.scripts[sc].add(int(l))
			}
		}
	}
	for sc := range d.oneLang {
		d.oneLang[sc] = -1
		if sc > 0 && len(perScript[sc]) == 1 && d.cand.has(int(perScript[sc][0])) {
			d.oneLang[sc] = int8(perScript[sc][0])
		}
	}
	for _, l := range d.langs {
		for _, r := range uniqueCharacters[l] {
			d.unique[r] = append(d.unique[r], uint8(l))
		}
	}
	for _, e := range charsToLanguages {
		var s langSet
		for _, l := range e.langs {
			s.add(int(l))
		}
		d.mapLangs = append(d.mapLangs, s)
	}
	d.pool.New = func() any { return d.newScratch() }
	return d, nil
}

// Languages returns the candidate languages.
func (d *Detector) Languages() []lingua.Language { return append([]lingua.Language(nil), d.langs...) }

// Detect returns the confidence values of all candidates for text, sorted as
// lingua sorts them (by value descending, then by language), with the values
// lingua-go's ComputeLanguageConfidenceValues returns.
func (d *Detector) Detect(text string) []Confidence {
	return d.DetectInto(make([]Confidence, 0, len(d.langs)), text)
}

// DetectInto is Detect appending to dst[:0], which it reuses when large enough.
func (d *Detector) DetectInto(dst []Confidence, text string) []Confidence {
	s := d.pool.Get().(*scratch)
	dst = d.detect(s, dst[:0], text)
	d.pool.Put(s)
	return dst
}

// Top returns the most likely language and its confidence (lingua.Unknown
// and 0 when every value is 0).
func (d *Detector) Top(text string) (lingua.Language, float64) {
	s := d.pool.Get().(*scratch)
	s.res = d.detect(s, s.res[:0], text)
	top := s.res[0]
	d.pool.Put(s)
	if top.Value == 0 {
		return lingua.Unknown, 0
	}
	return top.Language, top.Value
}
