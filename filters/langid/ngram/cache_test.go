package ngram

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pemistahl/lingua-go"
)

// TestMain points the cache of quadrigram and fivegram tables at a fresh
// temporary directory, so that tests never write to the user's cache (and
// always exercise the build, write and mapped read-back).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ngram-cache-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(cacheDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// highModels returns the shared test models with orders 4 and 5 loaded
// (through the cache of TestMain's directory) and the cache file's path.
func highModels(t *testing.T) (*Models, string) {
	t.Helper()
	m := testModels(t)
	if err := m.loadHigh(); err != nil {
		t.Fatal(err)
	}
	key, err := m.cacheKey()
	if err != nil {
		t.Fatal(err)
	}
	return m, cachePath(t, key)
}

// captureLog sends slog's default logger to a buffer for the test.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func sameTables(t *testing.T, what string, got, want [2]*table) {
	t.Helper()
	for i := range got {
		g, w := got[i], want[i]
		if g.order != w.order || g.hbits != w.hbits || g.rbits != w.rbits || g.n != w.n ||
			!slices.Equal(g.wdir, w.wdir) || !slices.Equal(g.wrem, w.wrem) || !slices.Equal(g.off, w.off) ||
			!slices.Equal(g.wpost, w.wpost) || !slices.Equal(g.vals, w.vals) {
			t.Fatalf("%s: order-%d table differs", what, w.order)
		}
	}
}

// TestWideTablesHoldModels: the order-4 and order-5 tables (as mapped from
// the cache) give every n-gram of a sample of lingua's models exactly
// math.Log of its probability for its language, and nothing for the others.
func TestWideTablesHoldModels(t *testing.T) {
	m, _ := highModels(t)
	langs := []lingua.Language{lingua.English, lingua.Chinese, lingua.Yoruba, lingua.Korean, lingua.Zulu}
	for n := 4; n <= 5; n++ {
		tab := m.tabs[n]
		if tab.wdir == nil || tab.keys != nil {
			t.Fatalf("order %d: not a bucketed table", n)
		}
		for _, l := range langs {
			raw, err := readModel(l, n)
			if err != nil {
				t.Fatal(err)
			}
			want := map[uint64]float64{}
			err = walkModel(raw, func(prob float64, g []byte) error {
				k, err := m.key(string(g), n, false)
				want[k] = math.Log(prob)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				s := tab.lookup(k)
				if s < 0 {
					t.Fatalf("%v %d-gram %x missing", l, n, k)
				}
				if got, ok := tab.lookupLang(s, uint8(l)); !ok || got != v {
					t.Fatalf("%v %d-gram %x: %v %v, want %v", l, n, k, got, ok, v)
				}
			}
			// Count l's postings: exactly its model's n-grams.
			count := 0
			for p := range tab.wpost {
				if tab.langOf(uint32(p)) == int(l) {
					count++
				}
			}
			if count != len(want) {
				t.Errorf("%v %d-grams: %d postings, model has %d", l, n, count, len(want))
			}
		}
	}
}

// TestCacheRejectsDamage: a damaged, truncated, extended or foreign cache
// file is rejected, including damage that keeps the checksum valid.
func TestCacheRejectsDamage(t *testing.T) {
	m, path := highModels(t)
	if !regexp.MustCompile(`^ngram-high-v\d+-[0-9a-f]{24}\.bin$`).MatchString(filepath.Base(path)) {
		t.Errorf("cache file name %q", filepath.Base(path))
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := m.cacheKey()
	if _, err := m.openCache(path, key); err != nil {
		t.Fatalf("good cache: %v", err)
	}
	resum := func(b []byte) []byte {
		binary.NativeEndian.PutUint32(b[len(b)-8:], crc32.Checksum(b[:len(b)-8], crcTable))
		return b
	}
	flip := func(at int) []byte {
		b := slices.Clone(good)
		b[at] ^= 0x10
		return b
	}
	off4 := cacheHdrSize + int(pad8(4*uint64(len(m.tabs[4].wdir)))+pad8(4*uint64(len(m.tabs[4].wrem))))
	wpost4 := off4 + int(pad8(4*uint64(len(m.tabs[4].off))))
	other := key
	other[0] ^= 1
	cases := map[string][]byte{
		"empty":              nil,
		"header only":        good[:cacheHdrSize],
		"truncated":          good[:len(good)-1],
		"half":               good[:len(good)/2],
		"extended":           append(slices.Clone(good), 0, 0, 0, 0, 0, 0, 0, 0),
		"bit flip in magic":  flip(0),
		"bit flip in sizes":  flip(56 + 8*3),
		"bit flip in data":   flip(len(good) / 2),
		"bit flip in crc":    flip(len(good) - 8),
		"language 127":       resum(func() []byte { b := slices.Clone(good); b[wpost4] |= langMask; return b }()),
		"value out of range": resum(func() []byte { b := slices.Clone(good); b[wpost4+3] = 0xff; return b }()),
		"offsets reversed":   resum(flip(off4 + 4 + 3)),
	}
	dir := t.TempDir()
	for name, b := range cases {
		p := filepath.Join(dir, "c.bin")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := m.openCache(p, key); err == nil {
			t.Errorf("%s: damaged cache accepted", name)
		}
	}
	if _, err := m.openCache(path, other); err == nil {
		t.Error("cache accepted under another key")
	}
}

// TestCacheRebuild: a corrupt cache file is reported, rebuilt and replaced
// by a good one; with an unwritable cache directory the failure is reported
// and the built tables are used from memory. (The build itself is the
// shared one of TestMain's cache; a second one would double the test's
// time, under -race minutes: the builder is replaced by one returning the
// shared tables.)
func TestCacheRebuild(t *testing.T) {
	m, path := highModels(t)
	want := [2]*table{m.tabs[4], m.tabs[5]}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv(cacheDirEnv, dir)
	bad := slices.Clone(good)
	bad[len(bad)/3] ^= 1
	mine := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(mine, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	logs := captureLog(t)
	m2, err := LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	builds := 0
	m2.buildHighFn = func() ([2]*table, error) { builds++; return want, nil }
	if err := m2.loadHigh(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "checksum") {
		t.Errorf("corrupt cache not reported: %s", logs)
	}
	if builds != 1 {
		t.Errorf("%d builds", builds)
	}
	sameTables(t, "rebuilt", [2]*table{m2.tabs[4], m2.tabs[5]}, want)
	if m2.tabs[5] == want[1] {
		t.Error("rebuilt tables not mapped from the new file")
	}
	if b, err := os.ReadFile(mine); err != nil || !bytes.Equal(b, good) {
		t.Errorf("corrupt cache not replaced by the same bytes (%v)", err)
	}

	logs.Reset()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(cacheDirEnv, filepath.Join(file, "sub"))
	m3, err := LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	built := false
	m3.buildHighFn = func() ([2]*table, error) { built = true; return want, nil }
	if err := m3.loadHigh(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "cannot cache") {
		t.Errorf("unwritable cache directory not reported: %s", logs)
	}
	if !built {
		t.Error("tables not built")
	}
	sameTables(t, "built in memory", [2]*table{m3.tabs[4], m3.tabs[5]}, want)
}
