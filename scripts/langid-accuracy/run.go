package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/curator-dev/curator/filters/langid/ngram"
	"github.com/pemistahl/lingua-go"
)

// label is one detector's answer for one text.
type label struct {
	// Decision follows lingua's DetectLanguageOf: the top language, or
	// Unknown when the two best confidence values are equal (all zero
	// included).
	Decision lingua.Language
	// Top follows curator's Detector.Top: the top language, or Unknown when
	// its confidence is 0.
	Top lingua.Language
	// Conf is the top confidence value.
	Conf float64
}

// fromValues derives a label from confidence values sorted as lingua sorts
// them (at least two entries).
func fromValues(top lingua.Language, v0, v1 float64) label {
	l := label{Decision: top, Top: top, Conf: v0}
	if v0 == v1 {
		l.Decision = lingua.Unknown
	}
	if v0 == 0 {
		l.Top = lingua.Unknown
	}
	return l
}

// linguaLabel runs lingua-go on text.
func linguaLabel(d lingua.LanguageDetector, text string) label {
	cv := d.ComputeLanguageConfidenceValues(text)
	return fromValues(cv[0].Language(), cv[0].Value(), cv[1].Value())
}

// curatorLabel runs curator's detector on text.
func curatorLabel(d *ngram.Detector, text string) label {
	c := d.Detect(text)
	return fromValues(c[0].Language, c[0].Value, c[1].Value)
}

// timed holds labels and the wall time spent computing them.
type timed struct {
	Labels []label
	Took   time.Duration
	// CPU is the process's user+system time over the run (0: unknown).
	CPU    time.Duration
	Cached bool
}

// cpuTime returns the user+system time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runAll computes f for every item with the given number of workers,
// logging progress under name.
func runAll(ctx context.Context, name string, items []item, workers int, f func(string) label) (timed, error) {
	out := make([]label, len(items))
	var next, done atomic.Int64
	start, cpu0 := time.Now(), cpuTime()
	var wg sync.WaitGroup
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					return
				}
				out[i] = f(items[i].Text)
				if n := done.Add(1); n%2000 == 0 {
					slog.Info("progress", "run", name, "done", n, "of", len(items), "elapsed", time.Since(start).Round(time.Second))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return timed{}, fmt.Errorf("%s: %w", name, err)
	}
	return timed{Labels: out, Took: time.Since(start), CPU: cpuTime() - cpu0}, nil
}

// cacheRecord is one line of a lingua label cache.
type cacheRecord struct {
	ID       string  `json:"id"`
	Hash     uint64  `json:"h"`
	Decision string  `json:"d"`
	Top      string  `json:"t"`
	Conf     float64 `json:"c"`
}

func textHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = io.WriteString(h, s)
	return h.Sum64()
}

var languageByName = func() map[string]lingua.Language {
	m := map[string]lingua.Language{lingua.Unknown.String(): lingua.Unknown}
	for _, l := range lingua.AllLanguages() {
		m[l.String()] = l
	}
	return m
}()

// readCache returns the lingua labels stored in path for items, or an error
// when the file is missing or does not match items one to one.
func readCache(path string, items []item) ([]label, timed, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, timed{}, err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return nil, timed{}, fmt.Errorf("%s: %w", path, err)
	}
	dec := json.NewDecoder(zr)
	var head struct {
		Items  int   `json:"items"`
		TookNS int64 `json:"took_ns"`
		CPUNS  int64 `json:"cpu_ns"`
	}
	if err := dec.Decode(&head); err != nil {
		return nil, timed{}, fmt.Errorf("%s header: %w", path, err)
	}
	if head.Items != len(items) {
		return nil, timed{}, fmt.Errorf("%s: %d labels for %d items", path, head.Items, len(items))
	}
	out := make([]label, len(items))
	for i := range items {
		var r cacheRecord
		if err := dec.Decode(&r); err != nil {
			return nil, timed{}, fmt.Errorf("%s at record %d: %w", path, i, err)
		}
		d, ok1 := languageByName[r.Decision]
		t, ok2 := languageByName[r.Top]
		if r.ID != items[i].ID || r.Hash != textHash(items[i].Text) || !ok1 || !ok2 {
			return nil, timed{}, fmt.Errorf("%s at record %d: does not match item %s", path, i, items[i].ID)
		}
		out[i] = label{Decision: d, Top: t, Conf: r.Conf}
	}
	return out, timed{Took: time.Duration(head.TookNS), CPU: time.Duration(head.CPUNS), Cached: true}, nil
}

// writeCache stores lingua labels for items in path.
func writeCache(path string, items []item, t timed) (err error) {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, fh.Close()) }()
	bw := bufio.NewWriter(fh)
	zw := gzip.NewWriter(bw)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(map[string]int64{"items": int64(len(items)), "took_ns": int64(t.Took), "cpu_ns": int64(t.CPU)}); err != nil {
		return err
	}
	for i, it := range items {
		l := t.Labels[i]
		if err := enc.Encode(cacheRecord{ID: it.ID, Hash: textHash(it.Text), Decision: l.Decision.String(),
			Top: l.Top.String(), Conf: l.Conf}); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// linguaSource builds lingua-go's high-accuracy detector over all languages
// on first use, timing the build (and the preload when asked).
type linguaSource struct {
	preload bool
	once    sync.Once
	det     lingua.LanguageDetector
	build   time.Duration
}

func (s *linguaSource) get() lingua.LanguageDetector {
	s.once.Do(func() {
		start := time.Now()
		b := lingua.NewLanguageDetectorBuilder().FromAllLanguages()
		if s.preload {
			b = b.WithPreloadedLanguageModels()
		}
		s.det = b.Build()
		s.build = time.Since(start)
		slog.Info("lingua-go detector built", "preload", s.preload, "took", s.build.Round(time.Millisecond))
	})
	return s.det
}

// runLingua returns lingua's labels for items, from cache when the cache
// file matches, else computed (and then stored when cache is set).
func runLingua(ctx context.Context, name string, items []item, src *linguaSource, workers int, cache string) (timed, error) {
	if cache != "" {
		if ls, t, err := readCache(cache, items); err == nil {
			slog.Info("lingua labels read from cache", "run", name, "file", cache)
			t.Labels = ls
			return t, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			slog.Warn("lingua cache not used", "err", err)
		}
	}
	d := src.get()
	t, err := runAll(ctx, "lingua "+name, items, workers, func(s string) label { return linguaLabel(d, s) })
	if err != nil {
		return t, err
	}
	if cache != "" {
		if err := writeCache(cache, items, t); err != nil {
			return t, fmt.Errorf("write cache: %w", err)
		}
	}
	return t, nil
}
