package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/curator-dev/curator/internal/jsonlzst"
)

// readEval reads the parts of eval.json the report shows; nil when the run
// was not evaluated.
func readEval(path string) (*Eval, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var raw struct {
		Suite     string `json:"suite"`
		SuiteHash string `json:"suite_hash"`
		Recipes   []struct {
			Recipe string `json:"recipe"`
			Human  struct {
				Pages     int      `json:"pages"`
				Precision Interval `json:"precision"`
				Recall    Interval `json:"recall"`
				F1        Interval `json:"f1"`
			} `json:"human"`
			LM struct {
				TrainTokens int64    `json:"train_tokens"`
				BitsPerByte Interval `json:"bits_per_byte"`
			} `json:"lm"`
			Diversity struct {
				DistinctNgramRatio float64 `json:"distinct_ngram_ratio"`
				Domains            struct {
					Count   int     `json:"count"`
					Entropy float64 `json:"entropy_bits"`
				} `json:"domains"`
				NearDup struct {
					Rate float64 `json:"rate"`
				} `json:"near_dup"`
			} `json:"diversity"`
		} `json:"recipes"`
		LMDifferences []LMDifference `json:"lm_differences"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("report: %s: %w", path, err)
	}
	ev := &Eval{Suite: raw.Suite, SuiteHash: raw.SuiteHash, LMDifferences: raw.LMDifferences}
	if ev.LMDifferences == nil {
		ev.LMDifferences = []LMDifference{}
	}
	for _, r := range raw.Recipes {
		ev.Recipes = append(ev.Recipes, EvalRecipe{Recipe: r.Recipe, Precision: r.Human.Precision, Recall: r.Human.Recall,
			F1: r.Human.F1, Pages: r.Human.Pages, BitsPerByte: r.LM.BitsPerByte, TrainTokens: r.LM.TrainTokens,
			DistinctNgramRatio: r.Diversity.DistinctNgramRatio, Domains: r.Diversity.Domains.Count,
			DomainEntropy: r.Diversity.Domains.Entropy, NearDupRate: r.Diversity.NearDup.Rate})
	}
	return ev, nil
}

// overlaps compares the kept document ids of every pair of recipes, read
// from their data/ shards.
func overlaps(dir string, recipes []Recipe) ([]Overlap, error) {
	out := []Overlap{}
	if len(recipes) < 2 {
		return out, nil
	}
	ids := make([]map[string]struct{}, len(recipes))
	for i, r := range recipes {
		set, err := keptIDs(filepath.Join(dir, r.Name, "data"))
		if err != nil {
			return nil, err
		}
		ids[i] = set
	}
	for i := range recipes {
		for j := i + 1; j < len(recipes); j++ {
			a, b := ids[i], ids[j]
			if len(a) > len(b) {
				a, b = b, a
			}
			var both int64
			for id := range a {
				if _, ok := b[id]; ok {
					both++
				}
			}
			o := Overlap{A: recipes[i].Name, B: recipes[j].Name, Both: both}
			if union := int64(len(ids[i])+len(ids[j])) - both; union > 0 {
				o.Jaccard = float64(both) / float64(union)
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// keptIDs reads the ids of the documents in a recipe's data directory.
func keptIDs(dir string) (map[string]struct{}, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl.zst"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	set := map[string]struct{}{}
	for _, f := range files {
		err := jsonlzst.EachLine(f, func(line []byte) error {
			var d struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(line, &d); err != nil {
				return err
			}
			set[d.ID] = struct{}{}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	return set, nil
}
