package tokens

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	loader "github.com/pkoukk/tiktoken-go-loader"
)

func TestCountCacheGetPut(t *testing.T) {
	c := newCountCache()
	for i, p := range []string{"a", "a\x00", "\x00", "ab", strconv.Itoa(1 << 40), "abcdefghijklmnopqrstuvwx", "жжжжжжжжжжжж"} {
		k := c.key(p)
		if _, ok := c.get(&k); ok {
			t.Fatalf("%q: hit in an empty slot", p)
		}
		c.put(&k, i+7)
		if n, ok := c.get(&k); !ok || n != i+7 {
			t.Fatalf("%q: get = %d, %v after put(%d)", p, n, ok, i+7)
		}
	}
	// Keys that differ only by trailing zero bytes (the padding) or length
	// must not match each other.
	ka, kb := c.key("x"), c.key("x\x00")
	c.put(&ka, 1)
	if ka.slot == kb.slot {
		if _, ok := c.get(&kb); ok {
			t.Fatal(`"x\x00" hits the entry of "x"`)
		}
	}
}

// collidingPieces returns n distinct pieces of the same count cache slot.
func collidingPieces(c *countCache, n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	first := ""
	var out []string
	for len(out) < n {
		b := make([]byte, 1+rng.IntN(maxCountPiece))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		p := string(b)
		if first == "" {
			first, out = p, []string{p}
			continue
		}
		if k, f := c.key(p), c.key(first); k.slot == f.slot && p != first {
			out = append(out, p)
		}
	}
	return out
}

// TestCountCacheRace has goroutines put and get pieces that share one slot:
// every hit must return the count put for that very piece (run with -race).
func TestCountCacheRace(t *testing.T) {
	c := newCountCache()
	pieces := collidingPieces(c, 3)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range 20000 {
				j := (i + g) % len(pieces)
				k := c.key(pieces[j])
				if n, ok := c.get(&k); ok && n != 100+j {
					errs <- pieces[j]
					return
				}
				c.put(&k, 100+j)
			}
		})
	}
	wg.Wait()
	close(errs)
	for p := range errs {
		t.Errorf("piece %q: wrong count from a shared slot", p)
	}
}

// TestRankTableFindsEveryToken looks every r50k_base byte string up in the
// rank table (pair table, filter and packed tables) and checks its rank.
func TestRankTableFindsEveryToken(t *testing.T) {
	ranks, err := loader.NewOfflineLoader().LoadTiktokenBpe("r50k_base.tiktoken")
	if err != nil {
		t.Fatal(err)
	}
	e := mustR50k(t)
	for s, r := range ranks {
		if got, ok := e.ranks.get(s); !ok || got != uint32(r) {
			t.Fatalf("rank of %q = %d, %v; want %d", s, got, ok, r)
		}
		if len(s) > 1 {
			// A string one byte longer that is not a token is not found.
			x := s + "\x00"
			if _, in := ranks[x]; !in {
				if _, ok := e.ranks.get(x); ok {
					t.Fatalf("%q found, but it is not a token", x)
				}
			}
		}
	}
}
