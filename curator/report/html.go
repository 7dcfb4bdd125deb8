package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

//go:embed report.css
var htmlStyle string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"int":       Int,
	"short":     Short,
	"bytes":     Bytes,
	"pct":       Pct,
	"num":       Num,
	"interval":  IntervalString,
	"histogram": histogramSVG,
	"funnel":    funnelSVG,
	"join":      strings.Join,
	"style":     func() template.CSS { return template.CSS(htmlStyle) },
	"diff":      Diff,
	"op":        func(b byte) string { return map[byte]string{'-': "del", '+': "ins"}[b] },
	"tokens":    tokensCell,
	"json":      indentJSON,
	"indent":    func(depth int) string { return fmt.Sprintf("padding-left:%.1fem", 0.4+1.1*float64(depth)) },
	"add":       func(a, b int) int { return a + b },
	"ivplot":    ivplot,
	"gaugeval":  gaugeValue,
	"barw":      func(n, of int64) string { return fmt.Sprintf("width:%.1f%%", 100*float64(n)/math.Max(float64(of), 1)) },
	"rankBy":    rankBy,
	"fails":     fails,
}).Parse(htmlTemplate))

// HTML renders r as one self-contained page: inline style and SVG, no
// script, nothing fetched.
func HTML(w io.Writer, r *Report) error {
	var buf bytes.Buffer
	if err := page.Execute(&buf, r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// tokensCell shows a node's tokens after it: one number when every
// recipe that runs it counts the same, else one per recipe.
func tokensCell(m map[string]int64, recipes []string) string {
	if len(recipes) == 0 {
		return ""
	}
	first := m[recipes[0]]
	same := true
	for _, r := range recipes[1:] {
		same = same && m[r] == first
	}
	if same {
		return Short(first)
	}
	var parts []string
	for _, r := range recipes {
		parts = append(parts, r+": "+Short(m[r]))
	}
	return strings.Join(parts, " · ")
}

// indentJSON renders v as indented JSON.
func indentJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// ivplot draws iv on the range of every recipe's intervals of the same
// metric (what picks it from an EvalRecipe).
func ivplot(iv Interval, all []EvalRecipe, metric string) template.HTML {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range all {
		x := metricOf(r, metric)
		lo, hi = math.Min(lo, x.Low), math.Max(hi, x.High)
	}
	if metric != "bits_per_byte" {
		lo, hi = math.Min(lo, 0), math.Max(hi, 1)
	} else {
		pad := (hi - lo) * 0.1
		lo, hi = lo-pad, hi+pad
	}
	return intervalSVG(iv, lo, hi)
}

func metricOf(r EvalRecipe, metric string) Interval {
	switch metric {
	case "precision":
		return r.Precision
	case "recall":
		return r.Recall
	case "f1":
		return r.F1
	}
	return r.BitsPerByte
}

// rankBy returns the 1-based rank of recipe by metric among all (higher
// is better, except bits per byte).
func rankBy(recipe string, all []EvalRecipe, metric string) int {
	sorted := slices.Clone(all)
	slices.SortStableFunc(sorted, func(a, b EvalRecipe) int {
		x, y := metricOf(a, metric).Value, metricOf(b, metric).Value
		if metric == "bits_per_byte" {
			x, y = -x, -y
		}
		switch {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	for i, r := range sorted {
		if r.Recipe == recipe {
			return i + 1
		}
	}
	return 0
}

// gaugeValue is a sample's value of gauge name, "n/a" when it has none.
func gaugeValue(values map[string]float64, name string) string {
	v, ok := values[name]
	if !ok {
		return "n/a"
	}
	return Num(v)
}

// fails reports whether a sample's value of g fails one of g's thresholds.
func fails(values map[string]float64, g Gauge) bool {
	v, ok := values[g.Name]
	return ok && !keptAll(g, v)
}
