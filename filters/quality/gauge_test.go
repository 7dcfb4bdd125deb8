package quality_test

import (
	"testing"

	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/filters/quality"
)

// checkRemovedScore checks that a document step removes has a score below
// the gauge's threshold, and returns 1.
func checkRemovedScore(t *testing.T, step any, d *filters.Doc) int {
	t.Helper()
	g := step.(filters.Gauger)
	m, err := g.Measure(d.Clone())
	if err != nil {
		t.Fatal(err)
	}
	gs := g.Gauges()
	v := make([]float64, len(gs))
	if err := g.GaugeValues(m, v); err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || len(gs[0].Thresholds) != 1 || gs[0].Thresholds[0].Satisfied(v[0]) {
		t.Errorf("document %s is removed, with gauges %+v and values %v", d.ID, gs, v)
	}
	return 1
}

// TestGauges checks the score gauge of the threshold and keep_top forms.
func TestGauges(t *testing.T) {
	e, _ := filters.Lookup("fasttext_quality")
	for _, c := range []struct {
		p     quality.StepParams
		thres int
	}{
		{quality.StepParams{Model: smsModel, PositiveLabel: "__label__ham", Key: "hq", Threshold: 0.5}, 1},
		{quality.StepParams{Model: smsModel, PositiveLabel: "__label__ham", Key: "hq"}, 0},
		{quality.StepParams{Model: smsModel, PositiveLabel: "__label__ham", Key: "hq", KeepTop: 0.1}, 0},
	} {
		st, err := e.Build(c.p, filters.Env{})
		if err != nil {
			t.Fatal(err)
		}
		g, ok := st.(filters.Gauger)
		if !ok {
			t.Fatalf("%T is not a Gauger", st)
		}
		gs := g.Gauges()
		if len(gs) != 1 || gs[0].Name != "score" || len(gs[0].Thresholds) != c.thres || gs[0].Check() != nil {
			t.Errorf("%+v: gauges %+v", c.p, gs)
		}
		if c.thres == 1 && (gs[0].Thresholds[0] != filters.Threshold{Param: "threshold", Value: 0.5, Keep: ">="}) {
			t.Errorf("threshold %+v", gs[0].Thresholds[0])
		}
		d := &filters.Doc{ID: "x", Text: "Free entry in 2 a wkly comp to win FA Cup final tkts"}
		if err := filters.CheckGauges(st, d); err != nil {
			t.Error(err)
		}
	}
}
