package ngram

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pemistahl/lingua-go"
)

var edgeCases = []string{
	"", " ", "12345 678.90", "!!! ??? ...", "a", "I", "ab", "abc", "Hello", "word",
	"ß", "straße", "łódź", "Ελληνικά", "日本語", "ひらがな", "カタカナ", "中文汉字",
	"한국어 텍스트", "漢字とひらがな", "中文 日本語 ひらがな",
	"Hello мир κόσμος", "abc абв", "abc абв αβγ", "hello world привет мир",
	"mañana", "ñ", "çà", "Ёлка", "Українська мова ї є ґ", "Қазақ тілі",
	"Tiếng Việt có dấu", "ẹ ọ", "Ōtautahi", "ăâ", "føroyskt æ ø å",
	"मराठी ळ भाषा", "हिन्दी भाषा", "ไทย", "עברית", "العربية", "فارسی",
	"English text with a few words in it.", "Der schnelle braune Fuchs",
	"İstanbul ığ", "ÐÞ þð", "\xff\xfe invalid utf8 \xc3", "a\u0301b\u0301c",
	"x" + strings.Repeat("y", 200), strings.Repeat("ab ", 100), "ǅungla ǈubav",
	"\u2e80\u2e81 \u30a0 \u3005", "ＡＢＣ ｄｅｆ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters", "😀 emoji only 😀",
}

// TestAgreementEdgeCases compares synthetic edge cases in both modes and with
// candidate sets that leave rule-decided languages out.
func TestAgreementEdgeCases(t *testing.T) {
	sets := [][]lingua.Language{nil,
		{lingua.English, lingua.German, lingua.French},
		{lingua.Chinese, lingua.English},
		{lingua.Japanese, lingua.Korean, lingua.English},
		{lingua.Russian, lingua.Ukrainian, lingua.English, lingua.Greek}}
	for _, langs := range sets {
		for _, low := range []bool{false, true} {
			d, err := NewDetector(testModels(t), Options{Languages: langs, LowAccuracy: low})
			if err != nil {
				t.Fatal(err)
			}
			ld := linguaFor(langs, low)
			var a agreement
			for _, text := range edgeCases {
				a.check(t, d, ld, text)
			}
			a.report(t, "edge cases "+langKey(langs))
		}
	}
}

func TestRuleDecided(t *testing.T) {
	d, err := NewDetector(testModels(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]lingua.Language{
		"한국어 텍스트": lingua.Korean, "ひらがなカタカナ": lingua.Japanese, "Ελληνικά": lingua.Greek,
		"ไทย": lingua.Thai, "ճշմարտություն": lingua.Armenian,
	} {
		if got := d.Detect(text); got[0].Language != want || got[0].Value != 1 || got[1].Value != 0 {
			t.Errorf("%q: got %v %v, want %v 1", text, got[0].Language, got[0].Value, want)
		}
	}
}

func TestDetectAllocations(t *testing.T) {
	d, err := NewDetector(testModels(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts := readJSONL(t, "../../../testdata/langid/web_docs_sample.jsonl", "text")[:10]
	texts = append(texts, "a short sentence in English", "eine kurze Nachricht auf Deutsch")
	// The engine with one scratch object (DetectInto takes it from a
	// sync.Pool, which may drop objects at a GC and, under -race, at random).
	buf := make([]Confidence, 0, numLangs)
	s := d.newScratch()
	for _, x := range texts {
		buf = d.detect(s, buf[:0], x)
	}
	allocs := testing.AllocsPerRun(20, func() {
		for _, x := range texts {
			buf = d.detect(s, buf[:0], x)
		}
	})
	if allocs != 0 {
		t.Errorf("detect allocates %.1f times per run of %d texts", allocs, len(texts))
	}
}

func TestLinguaModelsLinked(t *testing.T) {
	entries, err := languageModels.ReadDir("language-models")
	if err != nil {
		t.Fatalf("lingua's embedded models are not reachable through go:linkname: %v", err)
	}
	if len(entries) != numLangs {
		t.Fatalf("lingua embeds %d language directories, want %d (lingua-go version changed?)", len(entries), numLangs)
	}
	if len(lingua.AllLanguages()) != numLangs {
		t.Fatalf("lingua has %d languages, this engine %d", len(lingua.AllLanguages()), numLangs)
	}
}

// TestSmallestLogProbability backs the zeroSum threshold of the trigram engine.
func TestSmallestLogProbability(t *testing.T) {
	m := testModels(t)
	smallest := math.Inf(-1)
	for n := 1; n <= 3; n++ {
		for _, v := range m.tabs[n].logp {
			if v < 0 && v > smallest {
				smallest = v
			}
		}
	}
	if smallest > -10*-zeroSum {
		t.Fatalf("smallest non-zero |log p| is %g, too close to zeroSum %g", -smallest, zeroSum)
	}
	t.Logf("smallest non-zero |log p| in orders 1-3: %g", -smallest)
}

func FuzzAgreement(f *testing.F) {
	for _, s := range edgeCases {
		f.Add(s)
	}
	// Load every model up front: the fuzzer kills inputs that take seconds.
	if err := testModels(f).loadHigh(); err != nil {
		f.Fatal(err)
	}
	lingua.NewLanguageDetectorBuilder().FromAllLanguages().WithPreloadedLanguageModels().Build()
	f.Fuzz(func(t *testing.T, text string) {
		m := testModels(t)
		for _, low := range []bool{true, false} {
			d, err := NewDetector(m, Options{LowAccuracy: low})
			if err != nil {
				t.Fatal(err)
			}
			var a agreement
			a.check(t, d, linguaFor(nil, low), text)
		}
	})
}

// TestConcurrentDetect runs detectors of both modes from several goroutines
// (for -race) and checks each result against a sequential one.
func TestConcurrentDetect(t *testing.T) {
	m := testModels(t)
	texts := append(readJSONL(t, "../../../testdata/langid/web_docs_sample.jsonl", "text")[:8], edgeCases...)
	for _, low := range []bool{true, false} {
		d, err := NewDetector(m, Options{LowAccuracy: low})
		if err != nil {
			t.Fatal(err)
		}
		want := make([][]Confidence, len(texts))
		for i, x := range texts {
			want[i] = d.Detect(x)
		}
		done := make(chan error, 4)
		for g := 0; g < 4; g++ {
			go func() {
				for i, x := range texts {
					got := d.Detect(x)
					for j := range got {
						if got[j] != want[i][j] {
							done <- fmt.Errorf("text %d: %v, sequentially %v", i, got[j], want[i][j])
							return
						}
					}
				}
				done <- nil
			}()
		}
		for g := 0; g < 4; g++ {
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}
}
