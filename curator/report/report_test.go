package report

import (
	"math"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
)

func TestDiff(t *testing.T) {
	for _, c := range []struct {
		before, after, want string
	}{
		{"a\nb\nc", "a\nc", " a|-b| c"},
		{"a\nb", "a\nB\nb", " a|+B| b"},
		{"", "x", "+x"},
		{"x", "", "-x"},
		{"same", "same", " same"},
		{"a\nb\nc\nd", "b\nX\nd", "-a| b|-c|+X| d"},
	} {
		var got []string
		for _, l := range Diff(c.before, c.after) {
			got = append(got, string(l.Op)+l.Text)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("Diff(%q, %q) = %q, want %q", c.before, c.after, g, c.want)
		}
	}
	// Long texts are compared in bounded time: the lines past the bound are one.
	long := strings.Repeat("line\n", 5*maxDiffLines)
	if n := len(Diff(long, long+"more")); n > maxDiffLines+2 {
		t.Errorf("diff of long texts has %d lines", n)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Int(0), "0"}, {Int(999), "999"}, {Int(1000), "1,000"}, {Int(-1234567), "-1,234,567"},
		{Short(9908422), "9.91 M"}, {Short(166480), "166 k"}, {Short(9999), "9,999"},
		{Bytes(512), "512 B"}, {Bytes(1 << 20), "1 MiB"},
		{Pct(1, 3), "33.3%"}, {Pct(1, 0), ""},
		{Num(0.1), "0.1"}, {Num(100000), "100000"}, {Num(math.NaN()), "n/a"}, {Num(2.0 / 3), "0.6667"}, {Num(3162.28), "3162.3"},
		{tickLabel(1e6), "1M"}, {tickLabel(1000), "1k"}, {tickLabel(10), "10"},
		{sparkline([]int64{0, 1, 4, 8}), " ▂▅█"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestHistogramSVG(t *testing.T) {
	g := Gauge{Gauge: filters.FractionGauge("dup_line_frac", "duplicated lines",
		filters.Threshold{Param: "max_line_count_frac", Value: 0.3, Keep: "<="})}
	g.Counts = make([]int64, g.Bins+2)
	for _, v := range []float64{0, 0, 0.1, 0.29, 0.31, 0.9, 1.5} {
		g.Counts[g.Bin(v)]++
		g.N++
	}
	svg := string(histogramSVG(g))
	if n := strings.Count(svg, "<rect"); n != 6 { // 5 bins on the axis and the one beyond it
		t.Errorf("%d bars, want 6:\n%s", n, svg)
	}
	if n := strings.Count(svg, `fill="`+colRemoved+`"`); n != 3 { // 0.31, 0.9 and 1.5 are removed
		t.Errorf("%d bars drawn removed, want 3:\n%s", n, svg)
	}
	if !strings.Contains(svg, `class="threshold"`) || !strings.Contains(svg, `data-value="0.3"`) {
		t.Errorf("no threshold line at 0.3:\n%s", svg)
	}
	// Names are escaped.
	g.Name = `<b>"x"`
	if svg := string(histogramSVG(g)); strings.Contains(svg, "<b>") {
		t.Errorf("the gauge's name is not escaped: %s", svg)
	}
}

func TestViolated(t *testing.T) {
	gs := []Gauge{{Gauge: filters.Gauge{Name: "words", Thresholds: []filters.Threshold{
		{Param: "min_length", Value: 50, Keep: ">="}, {Param: "max_length", Value: 100000, Keep: "<="}}}}}
	if v := violated(gs, map[string]float64{"words": 12}); len(v) != 1 || !strings.Contains(v[0], "min_length") {
		t.Errorf("violated: %q", v)
	}
	if v := violated(gs, map[string]float64{"words": 500}); len(v) != 0 {
		t.Errorf("violated: %q", v)
	}
	if v := violated(gs, map[string]float64{}); len(v) != 0 {
		t.Errorf("violated without a value: %q", v)
	}
}

func TestTree(t *testing.T) {
	// Two recipes sharing their first step: the shared node once, the
	// branches one deeper, each branch's chain at the branch's depth.
	recipes := []Recipe{
		{Name: "a", Steps: []Step{{ID: "x", Use: "extract", Node: 0}, {ID: "p", Use: "page_length_filter", Node: 1}, {ID: "q", Use: "stop_word_filter", Node: 2}}},
		{Name: "b", Steps: []Step{{ID: "x", Use: "extract", Node: 0}, {ID: "l", Use: "lang", Node: 3}}},
	}
	nodes := tree(recipes, &coordinator.Observations{})
	var got []string
	for _, n := range nodes {
		got = append(got, strings.Repeat(".", n.Depth)+n.ID+"("+strings.Join(n.Recipes, ",")+")")
	}
	if g := strings.Join(got, " "); g != "x(a,b) .p(a) .q(a) .l(b)" {
		t.Errorf("tree: %s", g)
	}
}
