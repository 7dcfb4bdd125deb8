package fineweb

import (
	"sync"
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/golden"
)

// realTexts reads the real pages of testdata/dclm_golden.
func realTexts(t testing.TB) []string { return golden.Texts(t) }

var edgeDocs = []string{"", " ", "\n", "\n\n\n", "...", "\x00\x01", "\xff\xfe abc.", "a\r\nb.\r\n",
	"Привет, как дела? Это тест.", "这是一个测试。这是一个测试。", "🙂🙂🙂 🙂", "x\nx\nx", " \n \n "}

func TestRealDocs(t *testing.T) {
	step := build(t, nil)
	reasons := map[string]int{}
	for _, s := range realTexts(t) {
		d := &filters.Doc{ID: "real", Text: s}
		r, err := step.Filter(d)
		if err != nil {
			t.Fatal(err)
		}
		reasons[r]++
		if err := filters.CheckDecision(step, d); err != nil {
			t.Error(err)
		}
		if err := filters.CheckGauges(step, d); err != nil {
			t.Error(err)
		}
	}
	t.Logf("fineweb_quality reasons %v", reasons)
	if reasons[""] == 0 || reasons[ReasonEmpty] != 0 || len(reasons) < 3 {
		t.Errorf("reasons %v: want some kept, several rules firing, none empty", reasons)
	}
}

func TestEdgeCases(t *testing.T) {
	steps := []filters.Decider{build(t, nil), build(t, func(p *QualityParams) { p.LinePunctExcludeZero, p.ShortLineThr = true, 2 })}
	for _, s := range edgeDocs {
		for _, step := range steps {
			d := &filters.Doc{ID: "edge", Text: s}
			if _, err := step.Filter(d); err != nil {
				t.Errorf("%q: %v", s, err)
			}
			if err := filters.CheckDecision(step, d); err != nil {
				t.Error(err)
			}
			if err := filters.CheckGauges(step, d); err != nil {
				t.Error(err)
			}
		}
	}
}

func TestConcurrent(t *testing.T) {
	step := build(t, nil)
	texts := realTexts(t)[:40]
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range texts {
				if _, err := step.Filter(&filters.Doc{Text: s}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestParamsAndYAML(t *testing.T) {
	r, err := filters.ParseRecipe("fw.yaml", []byte("name: fw\nsteps:\n  - use: fineweb_quality\n    with: {line_punct_thr: 0.2, line_punct_exclude_zero: true, short_line_length: 20}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 1 {
		t.Fatalf("%d steps", len(r.Steps))
	}
	if _, err := filters.BuildStep[QualityParams]("fineweb_quality", func(p *QualityParams) { p.Language = "de" }, filters.Env{}); err == nil {
		t.Error("language de built")
	}
}

func FuzzFineWebQuality(f *testing.F) {
	for _, s := range append(edgeDocs, "hi.\nbye.\nok.", "One two three.\n\n\n!") {
		f.Add(s)
	}
	steps := []filters.Decider{build(f, nil), build(f, func(p *QualityParams) { p.LinePunctExcludeZero, p.ShortLineThr = true, 2 })}
	f.Fuzz(func(t *testing.T, s string) {
		for _, step := range steps {
			d := &filters.Doc{ID: "fuzz", Text: s}
			if err := filters.CheckDecision(step, d); err != nil {
				t.Fatal(err)
			}
			if err := filters.CheckGauges(step, d); err != nil {
				t.Fatal(err)
			}
		}
	})
}
