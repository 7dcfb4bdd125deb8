package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Inline SVG charts: no script, no network, readable without the page's
// style sheet.

const (
	colKept    = "#3b6fb6"
	colRemoved = "#d9822b"
	colLine    = "#b3261e"
	colMuted   = "#6b7280"
)

// histogramSVG draws g's histogram: bins whose values every threshold
// keeps in blue, the others in orange, the thresholds as red lines, the
// values below and above the axis as separate bars at the ends.
func histogramSVG(g Gauge) template.HTML {
	const w, h, pad, side, top, bottom = 360.0, 120.0, 30.0, 14.0, 14.0, 22.0
	plotW := w - 2*pad
	plotH := h - top - bottom
	var maxC int64 = 1
	for _, c := range g.Counts {
		maxC = max(maxC, c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="hist" viewBox="0 0 %g %g" width="%g" height="%g" role="img" data-gauge="%s" data-n="%d">`,
		w, h, w, h, html.EscapeString(g.Name), g.N)
	fmt.Fprintf(&b, `<title>%s: %d documents</title>`, html.EscapeString(g.Name), g.N)
	y := func(c int64) float64 { return top + plotH - plotH*float64(c)/float64(maxC) }
	bw := plotW / float64(g.Bins)
	for i := 1; i <= g.Bins && i < len(g.Counts); i++ {
		c := g.Counts[i]
		if c == 0 {
			continue
		}
		lo, hi := g.Edge(i), g.Edge(i+1)
		col := colKept
		if !keptAll(g, (lo+hi)/2) {
			col = colRemoved
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>[%s, %s): %d</title></rect>`,
			pad+float64(i-1)*bw, y(c), math.Max(bw-0.5, 0.5), top+plotH-y(c), col, Num(lo), Num(hi), c)
	}
	// Below the axis and at or above its end.
	ends := []struct {
		i    int
		x    float64
		v    float64
		name string
	}{{0, pad - side, g.Min - 1, "below " + Num(g.Min)}, {g.Bins + 1, pad + plotW + 2, g.Max, "at or above " + Num(g.Max)}}
	for _, e := range ends {
		if e.i >= len(g.Counts) || g.Counts[e.i] == 0 {
			continue
		}
		c := g.Counts[e.i]
		col := colKept
		if !keptAll(g, e.v) {
			col = colRemoved
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" opacity="0.6"><title>%s: %d</title></rect>`,
			e.x, y(c), side-2, top+plotH-y(c), col, e.name, c)
	}
	// Axis and its labels.
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s"/>`, pad, top+plotH, pad+plotW, top+plotH, colMuted)
	for _, t := range ticks(g) {
		f := g.Pos(t)
		anchor := "middle"
		switch {
		case f < 0.05:
			anchor = "start"
		case f > 0.95:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s"/>`, pad+f*plotW, top+plotH, pad+f*plotW, top+plotH+3, colMuted)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="10" fill="%s" text-anchor="%s">%s</text>`,
			pad+f*plotW, h-6, colMuted, anchor, tickLabel(t))
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" fill="%s">%d</text>`, pad, top-3, colMuted, maxC)
	for _, t := range g.Thresholds {
		x := pad + g.Pos(t.Value)*plotW
		fmt.Fprintf(&b, `<line class="threshold" x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="1.5" stroke-dasharray="4 2" data-value="%s"><title>%s: keeps %s %s</title></line>`,
			x, top-2, x, top+plotH, colLine, Num(t.Value), html.EscapeString(t.Param), html.EscapeString(t.Keep), Num(t.Value))
		anchor := "start"
		if x > pad+plotW*0.7 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="10" fill="%s" text-anchor="%s">%s %s</text>`,
			x+map[string]float64{"start": 3, "end": -3}[anchor], top+9, colLine, anchor, html.EscapeString(t.Keep), Num(t.Value))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// ticks are the axis values labelled: the ends and the middle of a linear
// axis, the powers of ten (every other one on a long axis) of a log axis.
func ticks(g Gauge) []float64 {
	if !g.Log {
		return []float64{g.Min, (g.Min + g.Max) / 2, g.Max}
	}
	var out []float64
	lo, hi := math.Ceil(math.Log10(g.Min)), math.Floor(math.Log10(g.Max))
	every := 1.0
	if hi-lo > 4 {
		every = 2
	}
	for e := lo; e <= hi; e += every {
		out = append(out, math.Pow(10, e))
	}
	return out
}

// tickLabel formats an axis value: 1, 10, 1k, 1M.
func tickLabel(v float64) string {
	switch {
	case v >= 1e6 && v == math.Trunc(v):
		return Num(v/1e6) + "M"
	case v >= 1e3 && v == math.Trunc(v):
		return Num(v/1e3) + "k"
	}
	return Num(v)
}

// keptAll reports whether every threshold of g keeps v.
func keptAll(g Gauge, v float64) bool {
	for _, t := range g.Thresholds {
		if !t.Satisfied(v) {
			return false
		}
	}
	return true
}

// funnelSVG draws a recipe's funnel: the documents remaining after each
// step, as bars over the documents read.
func funnelSVG(r Recipe) template.HTML {
	const w, rowH, labelW = 420.0, 18.0, 190.0
	h := rowH*float64(len(r.Steps)+1) + 6
	total := max(r.Documents.Records, 1)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="funnel" viewBox="0 0 %g %g" width="%g" height="%g" role="img" data-recipe="%s">`,
		w, h, w, h, html.EscapeString(r.Name))
	bar := func(row int, label string, n int64, col string) {
		yy := float64(row)*rowH + 3
		bw := (w - labelW - 60) * float64(n) / float64(total)
		if utf8.RuneCountInString(label) > 30 {
			label = shorten(label, 29, "…")
		}
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" font-size="11" text-anchor="end">%s</text>`, labelW-6, yy+12, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%g" y="%.1f" width="%.1f" height="%g" fill="%s"/>`, labelW, yy+2, math.Max(bw, 1), rowH-5, col)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="%s">%s</text>`, labelW+bw+4, yy+12, colMuted, Int(n))
	}
	bar(0, "read", r.Documents.Records, colMuted)
	for i, s := range r.Steps {
		bar(i+1, s.ID, s.Kept, colKept)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// intervalSVG draws a value with its interval on [lo, hi].
func intervalSVG(iv Interval, lo, hi float64) template.HTML {
	const w, h = 110.0, 16.0
	if !(hi > lo) {
		return ""
	}
	x := func(v float64) float64 { return 4 + (w-8)*math.Min(math.Max((v-lo)/(hi-lo), 0), 1) }
	return template.HTML(fmt.Sprintf(`<svg class="interval" viewBox="0 0 %g %g" width="%g" height="%g"><line x1="4" y1="8" x2="%g" y2="8" stroke="#e5e7eb"/>`+
		`<line x1="%.1f" y1="8" x2="%.1f" y2="8" stroke="%s" stroke-width="3"/><circle cx="%.1f" cy="8" r="3.5" fill="%s"/></svg>`,
		w, h, w, h, w-4, x(iv.Low), x(iv.High), colKept, x(iv.Value), colLine))
}
