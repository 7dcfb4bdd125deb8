package tokens

import (
	"strings"
	"testing"
)

// benchTexts are the benchmark inputs: real English web pages (DCLM pool),
// and sentences of 75 languages, each joined into one text.
func benchTexts(b *testing.B) map[string]string {
	return map[string]string{
		"web_en":       strings.Join(readJSONLText(b, "web_en.jsonl.gz"), "\n\n"),
		"multilingual": strings.Join(readJSONLText(b, "sentences_75langs.jsonl.gz"), "\n"),
	}
}

// BenchmarkR50k measures Count and Encode (with and without the piece
// cache) beside tiktoken-go's Encode on the same texts, in MB/s.
func BenchmarkR50k(b *testing.B) {
	e := mustR50k(b)
	noCache := *e
	noCache.cache, noCache.counts = nil, nil
	ref := mustReference(b)
	for _, name := range []string{"web_en", "multilingual"} {
		text := benchTexts(b)[name]
		b.Run(name+"/Count", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				e.Count(text)
			}
		})
		b.Run(name+"/Encode", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			var dst []uint32
			for b.Loop() {
				dst = e.Encode(text, dst[:0])
			}
		})
		b.Run(name+"/CountNoCache", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				noCache.Count(text)
			}
		})
		b.Run(name+"/TiktokenGoEncode", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				ref.Encode(text, nil, nil)
			}
		})
	}
}

// BenchmarkR50kParallel measures Count from all cores on English web text.
func BenchmarkR50kParallel(b *testing.B) {
	e := mustR50k(b)
	text := benchTexts(b)["web_en"]
	b.SetBytes(int64(len(text)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.Count(text)
		}
	})
}

// BenchmarkR50kLongPiece measures one 256 KB run of letters (as base64 data
// without digits would be): a single piece, merged with the heap.
func BenchmarkR50kLongPiece(b *testing.B) {
	e := mustR50k(b)
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	buf := make([]byte, 256<<10)
	x := uint32(1)
	for i := range buf {
		x = x*1664525 + 1013904223
		buf[i] = letters[(x>>16)%uint32(len(letters))]
	}
	text := string(buf)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		e.Count(text)
	}
}
