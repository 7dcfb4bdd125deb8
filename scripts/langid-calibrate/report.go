package main

import (
	"fmt"
	"math"
	"sort"

	"github.com/curator-dev/curator/filters/langid"
	"github.com/curator-dev/curator/filters/langid/ngram"
)

// top returns the probability c gives the top language of it, and whether
// that language is the true one (false without evidence).
func (it *item) top(c langid.Calibration) (float64, bool) {
	switch it.path {
	case ngram.PathRule:
		return c.Rule, it.rule == it.truth
	case ngram.PathTrigram, ngram.PathHigh:
	default:
		return 0, false
	}
	t := c.HighTemperature
	if it.path == ngram.PathTrigram {
		t = c.TrigramScale * math.Pow(float64(max(it.ngrams, 1)), c.TrigramPower)
	}
	total := 0.0
	for _, s := range it.scores {
		total += math.Exp((s - it.scores[0]) / t)
	}
	return 1 / total, it.trueIdx == 0
}

// stats summarizes held-out items under a calibration.
type stats struct {
	n, correct  int
	conf, brier float64
	bins        [10]struct {
		n, ok int
		conf  float64
	}
	above, aboveOK int // top probability > 0.65
}

func (s *stats) add(p float64, ok bool) {
	s.n++
	y := 0.0
	if ok {
		s.correct++
		y = 1
	}
	s.conf += p
	s.brier += (p - y) * (p - y)
	b := min(int(p*10), 9)
	s.bins[b].n++
	s.bins[b].conf += p
	if ok {
		s.bins[b].ok++
	}
	if p > 0.65 {
		s.above++
		if ok {
			s.aboveOK++
		}
	}
}

// ece is the expected calibration error over ten equal-width bins.
func (s *stats) ece() float64 {
	e := 0.0
	for _, b := range s.bins {
		if b.n > 0 {
			e += math.Abs(float64(b.ok)-b.conf) / float64(s.n)
		}
	}
	return e
}

func report(items []item, raw, fit langid.Calibration) {
	sources := map[string]bool{}
	for _, it := range items {
		sources[it.source] = true
	}
	names := []string{"all"}
	for s := range sources {
		names = append(names, s)
	}
	sort.Strings(names[1:])
	fmt.Println("| texts (held out) | n | accuracy | lingua: mean top confidence | ECE | calibrated: mean top probability | ECE | precision of top > 0.65, lingua / calibrated |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	all := map[string]*[2]stats{}
	for _, name := range names {
		var st [2]stats
		for i := range items {
			it := &items[i]
			if !it.test || (name != "all" && it.source != name) {
				continue
			}
			for j, c := range []langid.Calibration{raw, fit} {
				p, ok := it.top(c)
				st[j].add(p, ok)
			}
		}
		all[name] = &st
		fmt.Printf("| %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f / %.4f |\n", name, st[0].n,
			float64(st[0].correct)/float64(st[0].n), st[0].conf/float64(st[0].n), st[0].ece(),
			st[1].conf/float64(st[1].n), st[1].ece(),
			float64(st[0].aboveOK)/float64(max(st[0].above, 1)), float64(st[1].aboveOK)/float64(max(st[1].above, 1)))
	}
	fmt.Println("\nReliability of the calibrated top probability (all held-out texts):")
	fmt.Println("\n| probability | n | mean probability | accuracy |")
	fmt.Println("|---|---:|---:|---:|")
	st := all["all"][1]
	for i, b := range st.bins {
		if b.n == 0 {
			continue
		}
		fmt.Printf("| %.1f-%.1f | %d | %.3f | %.3f |\n", float64(i)/10, float64(i+1)/10, b.n, b.conf/float64(b.n), float64(b.ok)/float64(b.n))
	}
}
