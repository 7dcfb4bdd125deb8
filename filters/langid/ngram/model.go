package ngram

import (
	"fmt"
	"math"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/pemistahl/lingua-go"
)

const (
	numLangs = 75 // lingua.Unknown
	codeBits = 10
	maxCode  = 1<<codeBits - 1
)

// Models holds lingua-go's n-gram models of all 75 languages in compact
// tables. Unigrams, bigrams and trigrams (all that lingua needs for texts of
// 120 letters or more, and in low-accuracy mode) are loaded by LoadModels;
// quadrigrams and fivegrams on the first short text in high-accuracy mode.
// A Models is safe for concurrent use and shared by any number of Detectors.
type Models struct {
	cls      classTable
	code     []uint16 // rune (< 0x10000) -> dense code of runes in bigrams and longer (0: none)
	runeOf   []rune   // code -> rune
	mapEntry []uint8  // rune (< 0x2000) -> charsToLanguages index + 1
	tabs     [6]*table

	highOnce sync.Once
	highErr  error
	// buildHighFn, if set (tests), replaces buildHigh in loadHighCached.
	buildHighFn func() ([2]*table, error)
}

// LoadModels reads lingua-go's embedded unigram, bigram and trigram models.
func LoadModels() (*Models, error) {
	m := &Models{cls: newClassTable(), code: make([]uint16, 0x10000), runeOf: []rune{0},
		mapEntry: make([]uint8, 0x2000)}
	for i, e := range charsToLanguages {
		for _, r := range e.chars {
			m.mapEntry[r] = uint8(i + 1)
		}
	}
	for n := 1; n <= 3; n++ {
		t, err := m.build(n)
		if err != nil {
			return nil, err
		}
		m.tabs[n] = t
	}
	m.link(m.tabs[2])
	m.link(m.tabs[3])
	m.tabs[2].pack()
	m.tabs[3].pack()
	// The high-accuracy path reads only keys, off, lang and logp of these.
	m.tabs[2].delta, m.tabs[3].delta, m.tabs[2].parent, m.tabs[3].parent = nil, nil, nil, nil
	return m, nil
}

// loadHigh loads quadrigrams and fivegrams once: from the disk cache
// (cache.go) if it holds them, else built from lingua's models and cached.
func (m *Models) loadHigh() error {
	m.highOnce.Do(func() {
		ts, err := m.loadHighCached()
		if err != nil {
			m.highErr = err
			return
		}
		m.tabs[4], m.tabs[5] = ts[0], ts[1]
	})
	return m.highErr
}

// key returns the table key of an n-gram of the models. Orders >= 2 give new
// runes a code only while assign is set (construction of orders 2 and 3).
func (m *Models) key(s string, n int, assign bool) (uint64, error) {
	if n == 1 {
		r, size := utf8.DecodeRuneInString(s)
		if size != len(s) || r == utf8.RuneError {
			return 0, fmt.Errorf("unigram %q is not one rune", s)
		}
		return uint64(r), nil
	}
	var k uint64
	i := 0
	for _, r := range s {
		if i == n {
			return 0, fmt.Errorf("%d-gram %q is too long", n, s)
		}
		var c uint16
		if r < 0x10000 {
			c = m.code[r]
		}
		if c == 0 {
			if !assign || r >= 0x10000 || len(m.runeOf) > maxCode {
				return 0, fmt.Errorf("%d-gram %q: rune %U has no code", n, s, r)
			}
			c = uint16(len(m.runeOf))
			m.code[r] = c
			m.runeOf = append(m.runeOf, r)
		}
		k |= uint64(c) << (codeBits * i)
		i++
	}
	if i != n {
		return 0, fmt.Errorf("%d-gram %q is too short", n, s)
	}
	return k, nil
}

// build reads the order-n models (n <= 3) of all languages into one table in
// two passes (count, then fill) over the unzipped models.
func (m *Models) build(n int) (*table, error) {
	t := newTable(n, uniqueHint[n]*4/3+1)
	var models [numLangs][]byte // kept between passes for small orders
	visit := func(pass int, f func(l uint8, prob float64, ngram []byte) error) error {
		// Up to two models are read (unzipped) ahead of the
		// table building, in parallel, and consumed in language order.
		var ready [numLangs]chan readResult
		for l := range ready {
			ready[l] = make(chan readResult, 1)
		}
		ahead := make(chan struct{}, 2)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			for l := 0; l < numLangs; l++ {
				if models[l] != nil {
					ready[l] <- readResult{raw: models[l]}
					continue
				}
				select {
				case ahead <- struct{}{}:
				case <-stop:
					return
				}
				go func(l int) {
					raw, err := readModel(lingua.Language(l), n)
					ready[l] <- readResult{raw, err}
				}(l)
			}
		}()
		for l := 0; l < numLangs; l++ {
			r := <-ready[l]
			if models[l] == nil {
				<-ahead
			}
			if r.err != nil {
				return r.err
			}
			if pass == 0 {
				models[l] = r.raw
			}
			if err := walkModel(r.raw, func(prob float64, g []byte) error { return f(uint8(l), prob, g) }); err != nil {
				return fmt.Errorf("%d-grams of %v: %w", n, lingua.Language(l), err)
			}
		}
		return nil
	}
	// Keys are counted and put in batches whose table slots are touched
	// first: the batch's cache misses then overlap instead of queueing.
	batch := make([]posting, 0, buildBatch)
	if err := visit(0, func(_ uint8, _ float64, g []byte) error {
		k, err := m.key(bytesString(g), n, true)
		if err != nil {
			return err
		}
		if batch = append(batch, posting{k: k}); len(batch) == buildBatch {
			t.countBatch(batch)
			batch = batch[:0]
		}
		return nil
	}); err != nil {
		return nil, err
	}
	t.countBatch(batch)
	batch = batch[:0]
	t.layout()
	// Consecutive n-grams share their set's probability: its log is
	// computed once per set.
	lastProb, lp := math.NaN(), 0.0
	err := visit(1, func(l uint8, prob float64, g []byte) error {
		if prob != lastProb {
			if !(prob > 0) {
				return fmt.Errorf("%d-grams of %v: probability %v", n, lingua.Language(l), prob)
			}
			lastProb, lp = prob, math.Log(prob)
		}
		k, err := m.key(bytesString(g), n, false)
		if err != nil {
			return err
		}
		if batch = append(batch, posting{k: k, lang: l, lp: lp}); len(batch) == buildBatch {
			t.putBatch(batch)
			batch = batch[:0]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.putBatch(batch)
	return t, nil
}

// uniqueHint is the number of distinct n-grams of each order in lingua-go
// v1.4.0's models (all 75 languages), to size the tables once; a table that
// needs more slots grows.
var uniqueHint = [...]int{0, 0, 0, 262196}

// buildBatch is the number of n-grams counted or put together.
const buildBatch = 256

// posting is one n-gram of a language on its way into a table.
type posting struct {
	k    uint64
	lp   float64
	lang uint8
}

// countBatch counts the keys of batch, their home slots touched first.
func (t *table) countBatch(batch []posting) {
	t.touch(batch)
	for _, e := range batch {
		t.count(e.k)
	}
}

// putBatch stores the postings of batch, their home slots touched first.
func (t *table) putBatch(batch []posting) {
	t.touch(batch)
	for _, e := range batch {
		t.logp[t.put(e.k, e.lang)] = e.lp
	}
}

// touch reads the home slot of every key of batch, so that their cache
// misses are in flight together; sink keeps the reads from being dropped.
func (t *table) touch(batch []posting) {
	var x uint64
	for _, e := range batch {
		h := t.home(e.k)
		x += t.keys[h] + uint64(t.off[h+1])
	}
	t.sink += x
}

type readResult struct {
	raw []byte
	err error
}

// bytesString views b as a string without copying; the string must not
// outlive b.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// link sets parent and delta of an order-2 or order-3 table (lower orders
// must be linked already).
func (m *Models) link(t *table) {
	t.parent = make([]uint32, len(t.keys))
	t.delta = make([]float64, len(t.lang))
	mask := uint64(1)<<(codeBits*(t.order-1)) - 1
	for s, k := range t.keys {
		if k == 0 {
			continue
		}
		par := noParent
		if t.order == 3 {
			if ps := m.tabs[2].find(k & mask); ps >= 0 {
				par = uint32(ps)
			}
		}
		if par == noParent {
			if us := m.tabs[1].find(uint64(m.runeOf[k&maxCode])); us >= 0 {
				par = parentUni | uint32(us)
			}
		}
		t.parent[s] = par
		for p := t.off[s]; p < t.off[s+1]; p++ {
			t.delta[p] = t.logp[p] - m.backoff(par, t.lang[p])
		}
	}
}

// backoff is the log-probability language l finds at parent node par after
// backing off as lingua does (0: none).
func (m *Models) backoff(par uint32, l uint8) float64 {
	for par != noParent {
		if par&parentUni != 0 {
			v, _ := m.tabs[1].lookupLang(int(par&^parentUni), l)
			return v
		}
		if v, ok := m.tabs[2].lookupLang(int(par), l); ok {
			return v
		}
		par = m.tabs[2].parent[par]
	}
	return 0
}

// MemoryBytes reports the memory held by the loaded tables: heap, except
// for quadrigrams and fivegrams mapped from the cache file (cache.go).
func (m *Models) MemoryBytes() int {
	b := len(m.cls) + 2*len(m.code) + len(m.mapEntry)
	for _, t := range m.tabs {
		if t != nil {
			b += t.bytes()
		}
	}
	return b
}
