package tokens

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// edgeCases are synthetic strings for what real text seldom holds.
var edgeCases = []string{
	"", " ", "  ", "\n", "\r\n", "a", "Hello world,", "Hello world", " Hello", "  Hello",
	"Hello  world", "Hello\tworld", "Hello \tworld", "Hello\t world", "a \n b", "a\n\nb", "a \n\n b",
	"line one\r\nline two\r\n\r\nthree\r\n", "trailing   ", "   leading", "\t\t\tx", " \u00a0x", "\u00a0\u00a0x",
	"\u3000\u3000漢字", "x\u2028y", "x\u0085y", "\v\f\r", "a\u200bb", "\u1680\u2000x",
	"don't we'll they're I've she'd it's I'm", "DON'T WE'LL", "'s'S 's ''s '''", "rock 'n' roll", "o'clock",
	"'re're 've'll 'd'm", "'", "''", "' ", " '", "a's", "1's", "!'s", "x'", "'ll", "'l", "'r", "'v",
	"1234567890", " 123 456", "3.14159", "1,000,000", "२०२४ ١٢٣ ½ ²³ Ⅻ", "12abc", "abc12", "x²", "①②③",
	"😀😃😄", " 😀", "👨‍👩‍👧‍👦 family", "🇫🇷🇩🇪", "e\u0301 é", "नमस्ते दुनिया", "Привет, мир!",
	"你好，世界！", "こんにちは世界", "안녕하세요 세계", "مرحبا بالعالم", "שלום עולם", "ສະບາຍດີ", "ᚠᛇᚻ",
	"<|endoftext|>", "a<|endoftext|>b", "<html><body>x</body></html>", "http://example.com/a?b=c&d=e#f",
	"$$$ %%% ^^^", " !!!", "...", " ...", "—–-", "«quote» “quote” ‘q’", "tab\there", "\x00\x01\x02",
	"\xff", "\xff\xfe", "a\xffb", "\xe2\x82", "\xe2\x82\xac\xe2", "caf\xe9", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xc0\xaf", "héllo\x80 wörld", " \xff", "\xff ", "\xef\xbf\xbd", "\U0010FFFF", "\uFEFFbom",
	strings.Repeat(" ", 300) + "x", strings.Repeat("\n", 200), strings.Repeat("ab", 400),
	strings.Repeat("=", 1000), strings.Repeat("a", 129), strings.Repeat("a", 128), strings.Repeat("9", 500),
	strings.Repeat("€", 100), strings.Repeat("xyzzy", 300) + " end",
}

func TestR50kBasics(t *testing.T) {
	e := mustR50k(t)
	if e.Name() != "r50k_base" {
		t.Errorf("Name = %q", e.Name())
	}
	if e.VocabSize() != 50257 {
		t.Errorf("VocabSize = %d", e.VocabSize())
	}
	// The example of the brief, from tiktoken's documentation.
	if got, want := e.Encode("Hello world,", nil), []uint32{15496, 995, 11}; !slices.Equal(got, want) {
		t.Errorf("Encode(Hello world,) = %v, want %v", got, want)
	}
	if e2, _ := R50k(); e2 != e {
		t.Error("R50k returned a second encoder")
	}
	// Encode appends.
	if got := e.Encode(" world", []uint32{7}); !slices.Equal(got, []uint32{7, 995}) {
		t.Errorf("Encode appends: %v", got)
	}
}

// checkSame fails t if Encode or Count disagree with tiktoken-go on text.
func checkSame(t *testing.T, e *Encoder, text, what string) {
	t.Helper()
	want := refIDs(mustReference(t), text)
	got := e.Encode(text, nil)
	if !slices.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: Encode differs from tiktoken-go at token %d of %d/%d: got %v, want %v (text %q)",
			what, i, len(got), len(want), got[i:min(i+8, len(got))], want[i:min(i+8, len(want))], clip(text, 200))
	}
	if n := e.Count(text); n != len(want) {
		t.Fatalf("%s: Count = %d, tiktoken-go has %d tokens (text %q)", what, n, len(want), clip(text, 200))
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func TestMatchesTiktokenEdgeCases(t *testing.T) {
	e := mustR50k(t)
	for _, s := range edgeCases {
		checkSame(t, e, s, "edge case")
	}
}

func TestMatchesTiktokenRealData(t *testing.T) {
	e := mustR50k(t)
	for _, name := range []string{"web_en.jsonl.gz", "brown.jsonl.gz", "sentences_75langs.jsonl.gz"} {
		texts := readJSONLText(t, name)
		for i, s := range texts {
			checkSame(t, e, s, name+" #"+strconv.Itoa(i))
		}
		// Once more, now that the cache is warm.
		for i, s := range texts[:min(len(texts), 20)] {
			checkSame(t, e, s, name+" again #"+strconv.Itoa(i))
		}
	}
	// Raw HTTP bodies in windows-1251, GB2312 and GBK: not valid UTF-8.
	for _, name := range []string{"page_cp1251.bin", "page_gb2312.bin", "page_gbk.bin"} {
		s := readBin(t, name)
		if utf8.ValidString(s) {
			t.Fatalf("%s is valid UTF-8; the test needs invalid bytes", name)
		}
		checkSame(t, e, s, name)
	}
}

// TestPiecesMatchRegexp2 checks the hand-coded pre-tokenizer against the
// pattern run by dlclark/regexp2, as tiktoken-go runs it, piece by piece.
func TestPiecesMatchRegexp2(t *testing.T) {
	re := regexp2.MustCompile(`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, regexp2.None)
	e := mustR50k(t)
	texts := append(slices.Clone(edgeCases), readJSONLText(t, "sentences_75langs.jsonl.gz")...)
	texts = append(texts, readJSONLText(t, "web_en.jsonl.gz")[:10]...)
	for _, s := range texts {
		s = validUTF8(s)
		var want []string
		for m, _ := re.FindStringMatch(s); m != nil; m, _ = re.FindNextMatch(m) {
			want = append(want, m.String())
		}
		var got []string
		for i := 0; i < len(s); {
			j := e.class.nextPiece(s, i)
			got = append(got, s[i:j])
			i = j
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pieces of %q:\n got %q\nwant %q", clip(s, 200), got[:min(len(got), 30)], want[:min(len(want), 30)])
		}
	}
}

// TestHeapMatchesScan checks the two merge loops against each other on long
// pieces of few distinct letters (many ties and many merges).
func TestHeapMatchesScan(t *testing.T) {
	e := mustR50k(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		alphabet := []string{"ab", "aeiou", "the", "xyz0", "€ä", " \n"}[rng.IntN(6)]
		var b strings.Builder
		n := 2 + rng.IntN(600)
		for b.Len() < n {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		piece := b.String()
		scan := e.bpeScan(piece, make([]part, len(piece)+1), nil)
		hp := e.bpeHeap(piece, nil)
		if !slices.Equal(scan, hp) {
			t.Fatalf("piece %q: scan %v, heap %v", clip(piece, 100), scan, hp)
		}
	}
}

func TestConcurrent(t *testing.T) {
	e := mustR50k(t)
	texts := readJSONLText(t, "sentences_75langs.jsonl.gz")
	want := make([][]uint32, len(texts))
	for i, s := range texts {
		want[i] = e.Encode(s, nil)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for k := range texts {
				i := (k*7 + g*13) % len(texts)
				if got := e.Encode(texts[i], nil); !slices.Equal(got, want[i]) {
					errs <- texts[i]
					return
				}
				if n := e.Count(texts[i]); n != len(want[i]) {
					errs <- texts[i]
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Errorf("concurrent encoding of %q differs", s)
	}
}

// TestRandomStringsMatchTiktoken compares with tiktoken-go on random
// strings made of the fragments the pattern distinguishes: a structured
// complement to FuzzMatchesTiktoken, whose byte mutations seldom build them.
func TestRandomStringsMatchTiktoken(t *testing.T) {
	frags := []string{"a", "Z", "é", "ж", "中", "ア", "ก", "\u0301", "1", "٣", "½", "'", "s", "t", "re", "ve",
		"ll", "d", "m", "S", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "!", ".", "-",
		"😀", "\u200d", "\xff", "\xe2\x82", "<|endoftext|>", "the", " the", "ing", "http://", "\x00"}
	e := mustR50k(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		checkSame(t, e, b.String(), "random string")
	}
}
