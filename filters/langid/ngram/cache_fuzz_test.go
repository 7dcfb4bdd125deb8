package ngram

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// smallTables builds tiny order-4 and order-5 tables with the build code,
// spreading the n-grams over parts workers as assign says.
func smallTables(t testing.TB) [2]*table {
	return smallTablesBy(t, 2, func(j, l int) int { return (j + l) % 2 })
}

func smallTablesBy(t testing.TB, parts int, assign func(j, l int) int) [2]*table {
	var ts [2]*table
	for i, n := range []int{4, 5} {
		w := newWideBuild(n, parts)
		hmask := uint64(1)<<(codeBits*n) - 1
		for j, k := range []uint64{1, 2, 3, 1 << 20, 12345678} {
			for _, l := range []int{0, 7, 74} {
				h := k * wideMul & hmask
				p := w.parts[assign(j, l)]
				e := h<<(64-w.lowBits) | uint64(l)<<w.siBits | uint64(j%2)
				p.groups[h>>w.lowBits] = append(p.groups[h>>w.lowBits], e)
			}
		}
		// Languages share one value and have one of their own each.
		for _, l := range []int{0, 7, 74} {
			w.sets[l] = []float64{math.Log(0.5), math.Log(0.25) - float64(l)}
		}
		tab, err := w.finish(2)
		if err != nil {
			t.Fatal(err)
		}
		ts[i] = tab
	}
	return ts
}

// FuzzCacheParse: a cache file edited at fuzzed offsets (its checksum then
// made valid again, so that the structural checks are reached) is either
// rejected or yields tables whose lookups stay in range.
func FuzzCacheParse(f *testing.F) {
	ts := smallTables(f)
	var key [32]byte
	path := filepath.Join(f.TempDir(), "c.bin")
	if err := writeCache(path, key, ts); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := parseCache(good, key); err != nil {
		f.Fatalf("good file: %v", err)
	}
	f.Add([]byte{}, uint32(0), false)
	f.Add([]byte{0xff}, uint32(60), false)
	f.Add([]byte{1, 2, 3, 4}, uint32(cacheHdrSize), false)
	f.Add([]byte{0}, uint32(len(good)-20), true)
	f.Fuzz(func(t *testing.T, edit []byte, at uint32, truncate bool) {
		data := make([]byte, len(good), len(good)+len(edit))
		copy(data, good)
		if truncate {
			data = data[:int(at)%len(data)]
		} else {
			for i, b := range edit {
				if p := (int(at) + i) % len(data); p < len(data)-8 {
					data[p] = b
				} else {
					data = append(data, b)
				}
			}
		}
		if len(data) >= 8 {
			binary.NativeEndian.PutUint32(data[len(data)-8:], crc32.Checksum(data[:len(data)-8], crcTable))
		}
		aligned := asBytesU64(make([]uint64, (len(data)+7)/8))[:len(data)]
		copy(aligned, data)
		got, err := parseCache(aligned, key)
		if err != nil {
			return
		}
		for _, tab := range got {
			for k := range uint64(64) {
				if s := tab.lookup(k * 0x1234567); s >= 0 {
					for p := tab.off[s]; p < tab.off[s+1]; p++ {
						_, _ = tab.langOf(p), tab.value(p)
					}
				}
			}
		}
	})
}

// TestSmallTables: the build lays out a tiny model as expected, and the
// cache file of it reads back equal.
func TestSmallTables(t *testing.T) {
	ts := smallTables(t)
	for _, tab := range ts {
		if len(tab.wrem) != 5 || len(tab.wpost) != 15 || len(tab.vals) != 4 {
			t.Fatalf("order %d: %d keys, %d postings, %d values", tab.order, len(tab.wrem), len(tab.wpost), len(tab.vals))
		}
		for j, k := range []uint64{1, 2, 3, 1 << 20, 12345678} {
			s := tab.lookup(k)
			if s < 0 {
				t.Fatalf("order %d: key %d missing", tab.order, k)
			}
			for _, l := range []uint8{0, 7, 74} {
				want := []float64{math.Log(0.5), math.Log(0.25) - float64(l)}[j%2]
				if v, ok := tab.lookupLang(s, l); !ok || v != want {
					t.Errorf("order %d key %d language %d: %v %v, want %v", tab.order, k, l, v, ok, want)
				}
			}
			if _, ok := tab.lookupLang(s, 1); ok {
				t.Errorf("order %d key %d: language 1 found", tab.order, k)
			}
		}
		if tab.lookup(4) >= 0 {
			t.Errorf("order %d: key 4 found", tab.order)
		}
	}
	var key [32]byte
	path := filepath.Join(t.TempDir(), "c.bin")
	if err := writeCache(path, key, ts); err != nil {
		t.Fatal(err)
	}
	data, err := readCacheFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseCache(data, key)
	if err != nil {
		t.Fatal(err)
	}
	sameTables(t, "read back", got, ts)
	// The layout does not depend on which part (worker) read what.
	sameTables(t, "one part", smallTablesBy(t, 1, func(int, int) int { return 0 }), ts)
	sameTables(t, "three parts", smallTablesBy(t, 3, func(j, l int) int { return (j * l) % 3 }), ts)
}
