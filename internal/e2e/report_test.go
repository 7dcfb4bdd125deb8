package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/curator-dev/curator/curator/report"
	"github.com/curator-dev/curator/internal/browser"
	"github.com/curator-dev/curator/internal/testcluster"
)

const (
	example = "../../testdata/example"
	recipes = "../../recipes"
)

func TestMain(m *testing.M) { os.Exit(testcluster.Main(m)) }

// curatorBin builds the curator binary with the test steps (test_slow).
func curatorBin(t *testing.T) string {
	return testcluster.BuildWith(t, testcluster.BuildOptions{Tags: []string{"faults"}}).Curator
}

// startBrowser starts headless Chromium for the test.
func startBrowser(t *testing.T) *browser.Browser {
	exe := browser.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := browser.Start(ctx, exe)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// screenshot saves the page as name in $CURATOR_SCREENSHOTS, else in the
// test's directory (so that taking it is tested either way).
func screenshot(ctx context.Context, t *testing.T, p *browser.Page, name string, full bool) {
	t.Helper()
	dir := os.Getenv("CURATOR_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := p.Screenshot(ctx, filepath.Join(dir, name), full); err != nil {
		t.Fatal(err)
	}
}

// noErrors fails the test for every console error, uncaught exception or
// failed request the page had.
func noErrors(t *testing.T, p *browser.Page) {
	t.Helper()
	for _, e := range p.Errors() {
		t.Errorf("page error: %s", e)
	}
}

// The example run's report.html (the README's first command: both recipes,
// evaluated with the default suite), opened from its file with no network:
// every section is there, the funnel and histograms show report.json's
// numbers, and a removed document's sample opens.
func TestReportInBrowser(t *testing.T) {
	bin := curatorBin(t)
	out := filepath.Join(t.TempDir(), "example")
	cmd := exec.Command(bin, "run", "--http", "", "--log-level", "warn", "--output", out, "--eval",
		"--recipe", filepath.Join(recipes, "dclm-baseline.yaml"), "--recipe", filepath.Join(recipes, "weak-langid.yaml"), example)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("curator run: %v\n%s", err, b)
	}
	var rep report.Report
	b, err := os.ReadFile(filepath.Join(out, report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Eval == nil || len(rep.Overlap) != 1 {
		t.Fatalf("the report has no evaluation or no overlap: %+v %+v", rep.Eval, rep.Overlap)
	}

	br := startBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, _ := filepath.Abs(filepath.Join(out, report.HTMLFile))
	p, err := br.Open(ctx, "file://"+abs)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.WaitFor(ctx, `document.readyState === "complete"`); err != nil {
		t.Fatal(err)
	}

	// Every section, shown.
	var sections []string
	if err := p.Eval(ctx, `[...document.querySelectorAll("main > section")].filter(s => s.offsetHeight > 0).map(s => s.id)`, &sections); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sections, " "); got != "summary funnel removals signals evaluation overlap samples failed lineage" {
		t.Errorf("sections shown: %s", got)
	}
	// Nothing is wider than the window.
	var widths struct{ Scroll, Window int }
	if err := p.Eval(ctx, `({Scroll: document.documentElement.scrollWidth, Window: document.documentElement.clientWidth})`, &widths); err != nil {
		t.Fatal(err)
	}
	if widths.Scroll > widths.Window {
		var wide []string
		_ = p.Eval(ctx, `[...document.querySelectorAll("body *")].filter(e => !e.closest(".scroll") && e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 3).map(e => e.tagName + "." + e.className + "#" + (e.closest("section") || {id: ""}).id + " " + JSON.stringify(e.getBoundingClientRect()) + " parent " + e.parentElement.className + " " + e.parentElement.getBoundingClientRect().width + " " + getComputedStyle(e.parentElement).overflowX)`, &wide)
		t.Errorf("the page is %d px wide in a %d px window: %v", widths.Scroll, widths.Window, wide)
	}
	// The summary and the funnel show report.json's numbers.
	var kept map[string]int64
	if err := p.Eval(ctx, `Object.fromEntries([...document.querySelectorAll("#summary tr[data-recipe]")].map(r => [r.dataset.recipe, +r.dataset.kept]))`, &kept); err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Recipes {
		if kept[r.Name] != r.Documents.Kept {
			t.Errorf("summary shows %d kept for %s, report.json %d", kept[r.Name], r.Name, r.Documents.Kept)
		}
	}
	var rows []struct {
		Node int    `json:"node"`
		In   int64  `json:"in"`
		Kept int64  `json:"kept"`
		Text string `json:"text"`
	}
	if err := p.Eval(ctx, `[...document.querySelectorAll("#funnel tr.node")].map(r => ({node: +r.dataset.node, in: +r.dataset.in, kept: +r.dataset.kept, text: r.innerText}))`, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(rep.Tree) {
		t.Fatalf("the funnel shows %d steps, the tree has %d", len(rows), len(rep.Tree))
	}
	for i, n := range rep.Tree {
		if r := rows[i]; r.Node != n.Index || r.In != n.In || r.Kept != n.Kept || !strings.Contains(r.Text, report.Int(n.Kept)) {
			t.Errorf("funnel row %d: %+v, tree node %d in %d kept %d", i, r, n.Index, n.In, n.Kept)
		}
	}
	// A histogram for every gauge, with its thresholds drawn.
	gauges, thresholds := 0, 0
	for _, n := range rep.Tree {
		for _, g := range n.Gauges {
			gauges++
			thresholds += len(g.Thresholds)
		}
	}
	var drawn struct{ Hists, Thresholds, Bars int }
	if err := p.Eval(ctx, `({Hists: document.querySelectorAll("#signals svg.hist").length, Thresholds: document.querySelectorAll("#signals svg.hist line.threshold").length, Bars: document.querySelectorAll("#signals svg.hist rect").length})`, &drawn); err != nil {
		t.Fatal(err)
	}
	if drawn.Hists != gauges || drawn.Thresholds != thresholds || drawn.Bars < gauges {
		t.Errorf("drawn %+v, report.json has %d gauges with %d thresholds", drawn, gauges, thresholds)
	}
	// The evaluation's intervals and the overlap.
	var evalRows, overlapRows int
	_ = p.Eval(ctx, `document.querySelectorAll("#evaluation tr[data-recipe]").length`, &evalRows)
	_ = p.Eval(ctx, `document.querySelectorAll("#overlap tr.overlap").length`, &overlapRows)
	if evalRows != 2 || overlapRows != 1 {
		t.Errorf("%d evaluation rows, %d overlap rows", evalRows, overlapRows)
	}

	// A removed document's sample opens and shows its text and reason.
	var want *report.Sample
	for _, n := range rep.Tree {
		if len(n.Removals) > 0 && len(n.Gauges) > 0 {
			want = &n.Removals[0]
			break
		}
	}
	if want == nil {
		t.Fatal("no removed sample with gauges in the report")
	}
	sel := `details.sample.removed[data-id="` + want.ID + `"]`
	var open bool
	if err := p.Eval(ctx, `document.querySelector('`+sel+`').open`, &open); err != nil || open {
		t.Fatalf("sample closed before the click: open %v, %v", open, err)
	}
	if err := p.Click(ctx, sel+" > summary"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.querySelector('`+sel+`').open && document.querySelector('`+sel+` pre.text').offsetHeight > 0`); err != nil {
		t.Fatal(err)
	}
	var shown struct{ Text, Summary, Values string }
	if err := p.Eval(ctx, `(() => { const d = document.querySelector('`+sel+`'); return {Text: d.querySelector("pre.text").textContent, Summary: d.querySelector("summary").innerText, Values: (d.querySelector("table.values") || {innerText: ""}).innerText}; })()`, &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Text != want.Text || !strings.Contains(shown.Summary, want.Reason) || shown.Values == "" {
		t.Errorf("opened sample shows %q / %q / %q, want reason %s and text %.60q", shown.Summary, shown.Values, shown.Text[:min(60, len(shown.Text))], want.Reason, want.Text)
	}
	// A changed document shows what the step removed.
	if err := p.Click(ctx, "details.sample.changed > summary"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.querySelector("details.sample.changed").open && document.querySelectorAll("details.sample.changed pre.diff span.del, details.sample.changed pre.diff span.ins").length > 0`); err != nil {
		t.Fatal(err)
	}
	noErrors(t, p)
	if err := p.Eval(ctx, `document.querySelector("#signals").scrollIntoView()`, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.Eval(ctx, `window.scrollTo(0, 0)`, nil); err != nil {
		t.Fatal(err)
	}
	screenshot(ctx, t, p, "report.png", false)
	if err := p.Eval(ctx, `document.querySelector("#signals").scrollIntoView()`, nil); err != nil {
		t.Fatal(err)
	}
	screenshot(ctx, t, p, "report-signals.png", false)
	if err := p.Eval(ctx, `document.querySelector('`+sel+`').scrollIntoView()`, nil); err != nil {
		t.Fatal(err)
	}
	screenshot(ctx, t, p, "report-sample.png", false)
}
