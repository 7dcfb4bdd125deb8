package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/curator/eval"
	"github.com/curator-dev/curator/curator/eval/kn"
	"github.com/curator-dev/curator/filters/langid"
	"github.com/curator-dev/curator/filters/langid/ngram"
	"github.com/curator-dev/curator/filters/tokens"
	"github.com/pemistahl/lingua-go"
)

// lmResult is the proxy language model's result for one recipe.
type lmResult struct {
	Order        int    `json:"order"`
	BudgetTokens int    `json:"budget_tokens"`
	Seed         uint64 `json:"seed"`
	// TrainDocuments and TrainTokens are the sample the model was trained
	// on; Short says the recipe kept fewer tokens than the budget (the
	// model saw everything it kept, and compares less fairly).
	TrainDocuments int  `json:"train_documents"`
	TrainTokens    int  `json:"train_tokens"`
	Short          bool `json:"short"`
	// BitsPerByte is over every held-out paragraph of every set; Sets
	// gives each set's.
	BitsPerByte eval.Interval  `json:"bits_per_byte"`
	Sets        []heldoutScore `json:"sets"`
}

// heldoutScore is the model's score on one held-out set.
type heldoutScore struct {
	Name        string        `json:"name"`
	Paragraphs  int           `json:"paragraphs"`
	Bytes       int64         `json:"bytes"`
	Tokens      int64         `json:"tokens"`
	BitsPerByte eval.Interval `json:"bits_per_byte"`
}

// evalRecipe measures one recipe's kept documents: yield, diversity,
// near duplicates, and the proxy LM. It returns the kept ids too.
func evalRecipe(dir string, r coordinator.RecipeRecord, suite *eval.Suite, enc *tokens.Encoder, heldout []heldoutSet) (*recipeEval, []string, error) {
	st, err := readStats(dir, r.Name)
	if err != nil {
		return nil, nil, err
	}
	var docs []keptDoc
	if err := readKept(dir, r.Name, func(d *keptDoc) error { docs = append(docs, *d); return nil }); err != nil {
		return nil, nil, err
	}
	if int64(len(docs)) != st.Documents.Kept {
		return nil, nil, fmt.Errorf("%s holds %d kept documents, its stats.json says %d", filepath.Join(dir, r.Name, "data"), len(docs), st.Documents.Kept)
	}
	re := &recipeEval{Recipe: r.Name, RecipeHash: r.Hash}
	ids := make([]string, len(docs))
	urls := make([]string, len(docs))
	texts := make([]string, len(docs))
	for i, d := range docs {
		ids[i], urls[i], texts[i] = d.ID, d.URL, d.Text
	}
	re.Yield = yieldOf(st)
	m := suite.Manifest

	// The LM's training sample: the same token budget for every recipe.
	seqs := make([][]uint32, len(docs))
	sample, last := eval.SampleBudget(ids, m.LM.Seed, m.LM.BudgetTokens, func(i int) int {
		seqs[i] = enc.Encode(texts[i], nil)
		return len(seqs[i])
	})
	train := make([][]uint32, len(sample))
	langs := make([]string, len(sample))
	ident, err := evalIdentifier()
	if err != nil {
		return nil, nil, err
	}
	lm := lmResult{Order: m.LM.Order, BudgetTokens: m.LM.BudgetTokens, Seed: m.LM.Seed, TrainDocuments: len(sample)}
	for k, i := range sample {
		train[k] = seqs[i]
		if k == len(sample)-1 {
			train[k] = seqs[i][:last]
		}
		lm.TrainTokens += len(train[k])
		langs[k] = ident(texts[i])
	}
	lm.Short = lm.TrainTokens < m.LM.BudgetTokens
	model, err := trainLM(m.LM.Order, enc.VocabSize(), train)
	if err != nil {
		return nil, nil, err
	}
	lm.BitsPerByte, lm.Sets, re.unitBits = scoreHeldout(model, heldout, m.Bootstrap)
	re.LM = lm

	re.Diversity = diversityResult{Ngram: m.LM.Ngram, DistinctNgramRatio: eval.DistinctNgramRatio(train, m.LM.Ngram),
		Domains: eval.Domains(urls), Languages: eval.LanguageMix(langs), NearDup: eval.NearDupRate(texts, m.NearDup)}
	return re, ids, nil
}

// yieldOf reads a recipe's shares kept from its stats.
func yieldOf(st *coordinator.RecipeStats) yieldResult {
	d := st.Documents
	y := yieldResult{Documents: d.Records, KeptDocuments: d.Kept, Tokens: d.Tokens, KeptTokens: d.KeptTokens, KeptTextBytes: d.KeptTextBytes}
	if len(st.Steps) > 0 {
		y.InputBytes = st.Steps[0].BytesIn
	}
	y.DocumentShare = share(y.KeptDocuments, y.Documents)
	y.TokenShare = share(y.KeptTokens, y.Tokens)
	y.ByteShare = share(y.KeptTextBytes, y.InputBytes)
	return y
}

func share(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// trainLM trains the proxy model on the sample.
func trainLM(order, vocab int, train [][]uint32) (*kn.Model, error) {
	b, err := kn.NewBuilder(order, vocab)
	if err != nil {
		return nil, err
	}
	for _, s := range train {
		if err := b.Add(s); err != nil {
			return nil, err
		}
	}
	return b.Build()
}

// scoreHeldout scores every held-out paragraph: bits per byte over all of
// them and per set, each with a bootstrap interval over paragraphs, and the
// bits of each paragraph (sets in order).
func scoreHeldout(m *kn.Model, sets []heldoutSet, b eval.Bootstrap) (eval.Interval, []heldoutScore, []float64) {
	var allBits, allBytes []float64
	var out []heldoutScore
	for _, s := range sets {
		bits := make([]float64, len(s.units))
		hs := heldoutScore{Name: s.name, Paragraphs: len(s.units)}
		for i, u := range s.units {
			bits[i] = m.Bits(u)
			hs.Bytes += int64(s.bytes[i])
			hs.Tokens += int64(len(u))
		}
		hs.BitsPerByte = eval.BootstrapRatio(bits, s.bytes, b)
		out = append(out, hs)
		allBits = append(allBits, bits...)
		allBytes = append(allBytes, s.bytes...)
	}
	return eval.BootstrapRatio(allBits, allBytes, b), out, allBits
}

// paragraphs splits a text into its non-empty lines.
func paragraphs(text string) []string {
	var out []string
	for l := range strings.Lines(text) {
		if l = strings.TrimRight(l, "\r\n"); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// evalIdentifier is the language identifier of the evaluation's language
// mix: curator's fast lingua detector over every language (the process's
// shared one), calibrated. The function it returns is for one goroutine.
func evalIdentifier() (func(string) string, error) {
	det, err := langid.SharedDetector(nil, false)
	if err != nil {
		return nil, err
	}
	var ev ngram.Evidence
	return func(text string) string {
		det.EvidenceInto(&ev, text)
		l, _ := langid.DefaultCalibration.Top(&ev)
		if l == lingua.Unknown {
			return "unknown"
		}
		return strings.ToLower(l.IsoCode639_1().String())
	}, nil
}
