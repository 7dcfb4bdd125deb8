//go:build trafilatura

package extract

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/curator-dev/curator/internal/benchutil"
	"github.com/curator-dev/curator/workers/shard"
)

// Corpora for comparing the engines beyond testdata: the real pages of the
// project's shared data (../shared beside the repository) and a benchmark
// pool of WARC shards (EXTRACT_POOL, default /tmp/pool20k/warc). Both are
// optional: the benchmarks that use them skip when they are absent.
const sharedData = "../../../shared/data"

func poolDir() string {
	if d := os.Getenv("EXTRACT_POOL"); d != "" {
		return d
	}
	return "/tmp/pool20k/warc"
}

// testdataPages are every HTML page in testdata/extract.
func testdataPages(t testing.TB) []page {
	t.Helper()
	docs := pages(t)
	names := make([]string, 0, 3)
	w := wikipedia(t)
	for n := range w {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		docs = append(docs, page{name: n, body: w[n]})
	}
	for _, n := range ccPages {
		docs = append(docs, page{name: n, body: readGz(t, n)})
	}
	return docs
}

// ccPages are the Common Crawl pages of ../shared/data/html copied into
// testdata/extract (see SOURCES.md).
var ccPages = []string{
	"dclm_common_crawl_paragraph1.html.gz", "dclm_common_crawl_paragraph3.html.gz",
	"dclm_common_crawl_paragraph5.html.gz",
}

// sharedPages reads the HTML responses of ../shared/data/warc/*.warc.gz and
// the pages of ../shared/data/html; nil when ../shared is absent.
func sharedPages(t testing.TB) []page {
	t.Helper()
	var docs []page
	files, _ := filepath.Glob(filepath.Join(sharedData, "html", "*.html"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, page{name: filepath.Base(f), body: b})
	}
	warcs, _ := filepath.Glob(filepath.Join(sharedData, "warc", "*.warc.gz"))
	for _, f := range warcs {
		docs = append(docs, warcPages(t, f, 0)...)
	}
	return docs
}

// poolPages reads the first n HTML responses of the pool's shards; nil when
// the pool is absent.
func poolPages(t testing.TB, n int) []page {
	t.Helper()
	shards, _ := filepath.Glob(filepath.Join(poolDir(), "*.warc.gz"))
	sort.Strings(shards)
	var docs []page
	for _, f := range shards {
		if len(docs) >= n {
			break
		}
		docs = append(docs, warcPages(t, f, n-len(docs))...)
	}
	return docs
}

// warcPages reads up to max (0: all) HTML response bodies of a WARC file.
// Bad records are skipped: the reader's own tests cover them.
func warcPages(t testing.TB, path string, max int) []page {
	t.Helper()
	r, err := shard.Open(context.Background(), shard.Whole(path), shard.Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	var docs []page
	for max == 0 || len(docs) < max {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var re *shard.RecordError
			if errors.As(err, &re) {
				continue
			}
			break // a truncated file ends here
		}
		if len(rec.HTML) == 0 || !strings.Contains(strings.ToLower(rec.ContentType), "html") {
			continue
		}
		docs = append(docs, page{name: filepath.Base(path) + "#" + rec.ID, contentType: rec.ContentType, url: rec.URL, body: rec.HTML})
	}
	return docs
}

// agreement summarises how much text two engines share over a corpus.
type agreement struct {
	pages, bothEmpty, onlyCurator, onlyTrafilatura int
	// means over pages where both engines gave text
	both                    int
	curInTraf, trafInCur, j float64
	// word totals over all pages
	curWords, trafWords, sharedWords int
}

// extractedOnce holds the testdata pages with both engines' results
// (default options), computed once for the tests that share them.
var extractedOnce struct {
	sync.Once
	docs []page
	res  [][2]Result
	errs []error
}

// extracted returns the testdata pages, both engines' results and
// trafilatura's errors.
func extracted(t testing.TB) ([]page, [][2]Result, []error) {
	t.Helper()
	e := &extractedOnce
	e.Do(func() {
		docs := testdataPages(t)
		res := make([][2]Result, len(docs))
		errs := make([]error, len(docs))
		for i, d := range docs {
			res[i][0], _ = Extract(d.body, d.contentType, DefaultOptions())
			res[i][1], errs[i] = ExtractTrafilatura(d.body, d.contentType, DefaultTrafilaturaOptions())
		}
		e.docs, e.res, e.errs = docs, res, errs
	})
	if e.docs == nil {
		t.Fatal("the testdata pages could not be read")
	}
	return e.docs, e.res, e.errs
}

// agree runs both engines on every page and compares their words: the share
// of curator's words (with multiplicity) found in trafilatura's text and the
// reverse, and the multiset Jaccard index (shared / union).
func agree(docs []page, fallback bool) agreement {
	to := DefaultTrafilaturaOptions()
	to.Fallback = fallback
	res := make([][2]Result, len(docs))
	for i, d := range docs {
		res[i][0], _ = Extract(d.body, d.contentType, DefaultOptions())
		res[i][1], _ = ExtractTrafilatura(d.body, d.contentType, to)
	}
	return agreeOn(res)
}

// agreeOn compares pairs of results (curator, trafilatura).
func agreeOn(res [][2]Result) agreement {
	var a agreement
	for _, r := range res {
		cur, traf := r[0], r[1]
		a.pages++
		ct, tt := tokens(cur.Text), tokens(traf.Text)
		nc, nt, shared := 0, 0, 0
		for w, c := range ct {
			nc += c
			shared += min(c, tt[w])
		}
		for _, c := range tt {
			nt += c
		}
		a.curWords += nc
		a.trafWords += nt
		a.sharedWords += shared
		switch {
		case nc == 0 && nt == 0:
			a.bothEmpty++
		case nt == 0:
			a.onlyCurator++
		case nc == 0:
			a.onlyTrafilatura++
		default:
			a.both++
			a.curInTraf += float64(shared) / float64(nc)
			a.trafInCur += float64(shared) / float64(nt)
			a.j += float64(shared) / float64(nc+nt-shared)
		}
	}
	if a.both > 0 {
		a.curInTraf /= float64(a.both)
		a.trafInCur /= float64(a.both)
		a.j /= float64(a.both)
	}
	return a
}

func (a agreement) log(t testing.TB, corpus string) {
	t.Helper()
	t.Logf("%s: %d pages; both empty %d, only curator has text %d, only trafilatura %d; on the %d with both: "+
		"mean share of curator's words in trafilatura's %.3f, of trafilatura's in curator's %.3f, mean Jaccard %.3f; "+
		"words overall: curator %d, trafilatura %d, shared %d (%.3f of curator's, %.3f of trafilatura's)",
		corpus, a.pages, a.bothEmpty, a.onlyCurator, a.onlyTrafilatura, a.both, a.curInTraf, a.trafInCur, a.j,
		a.curWords, a.trafWords, a.sharedWords, ratio(a.sharedWords, a.curWords), ratio(a.sharedWords, a.trafWords))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestEngineAgreement compares the engines on the testdata pages. Both aim
// at the main content, so most of trafilatura's (precision-oriented, hence
// shorter) text must be in curator's; they must overlap without being the
// same text.
func TestEngineAgreement(t *testing.T) {
	docs, res, _ := extracted(t)
	a := agreeOn(res)
	a.log(t, "testdata/extract")
	if a.both != len(docs) {
		t.Errorf("only %d of %d pages have text from both engines", a.both, len(docs))
	}
	if r := ratio(a.sharedWords, a.trafWords); r < 0.85 {
		t.Errorf("share of trafilatura's words in curator's text %.3f < 0.85", r)
	}
	if r := ratio(a.sharedWords, a.curWords); r < 0.6 || r > 0.99 {
		t.Errorf("share of curator's words in trafilatura's text %.3f outside [0.6, 0.99]", r)
	}
	if a.j < 0.3 || a.j > 0.99 {
		t.Errorf("mean Jaccard %.3f outside [0.3, 0.99]", a.j)
	}
}

// BenchmarkEngineAgreement logs the agreement of the engines on the shared
// data and on the first 1000 pages of the pool (run with -benchtime 1x and
// -v); it skips the corpora that are absent.
func BenchmarkEngineAgreement(b *testing.B) {
	for _, c := range benchCorpora(b) {
		for _, fb := range []bool{true, false} {
			name := c.name + "/fallback"
			if !fb {
				name = c.name + "/no_fallback"
			}
			b.Run(name, func(b *testing.B) {
				if len(c.docs) == 0 {
					b.Skip("corpus absent")
				}
				var a agreement
				for b.Loop() {
					a = agree(c.docs, fb)
				}
				a.log(b, name)
				b.ReportMetric(a.curInTraf, "cur_in_traf")
				b.ReportMetric(a.trafInCur, "traf_in_cur")
				b.ReportMetric(a.j, "jaccard")
			})
		}
	}
}

type corpus struct {
	name string
	docs []page
}

func benchCorpora(b *testing.B) []corpus {
	return []corpus{
		{"testdata", testdataPages(b)},
		{"shared", sharedPages(b)},
		{"pool1000", poolPages(b, 1000)},
	}
}

// BenchmarkEngines extracts every page of each corpus per iteration with
// each engine: pages/s and MB/s of HTML (per core with -cpu 1; MB/cpu-s
// counts the process's CPU time).
func BenchmarkEngines(b *testing.B) {
	for _, c := range benchCorpora(b) {
		total := 0
		for _, d := range c.docs {
			total += len(d.body)
		}
		noFallback := DefaultTrafilaturaOptions()
		noFallback.Fallback = false
		for _, e := range []struct {
			name string
			run  func(d page)
		}{
			{"curator", func(d page) { _, _ = Extract(d.body, d.contentType, DefaultOptions()) }},
			{"trafilatura", func(d page) { _, _ = ExtractTrafilatura(d.body, d.contentType, DefaultTrafilaturaOptions()) }},
			{"trafilatura_no_fallback", func(d page) { _, _ = ExtractTrafilatura(d.body, d.contentType, noFallback) }},
		} {
			b.Run(c.name+"/"+e.name, func(b *testing.B) {
				if len(c.docs) == 0 {
					b.Skip("corpus absent")
				}
				b.SetBytes(int64(total))
				b.ReportAllocs()
				start := benchutil.CPUTime()
				for b.Loop() {
					for _, d := range c.docs {
						e.run(d)
					}
				}
				b.ReportMetric(float64(len(c.docs))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
				if cpu := benchutil.CPUTime() - start; cpu > 0 && start > 0 {
					b.ReportMetric(float64(len(c.docs))*float64(b.N)/cpu.Seconds(), "pages/cpu-s")
				}
				reportCPU(b, start, total)
			})
		}
	}
}
