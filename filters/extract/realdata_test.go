package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

const testdata = "../../testdata/extract"

// page is a real HTML body from testdata/extract with its HTTP Content-Type.
type page struct {
	name, contentType, url string
	body                   []byte
}

func readGz(t testing.TB, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// pages returns the WARC response bodies listed in pages.tsv.
func pages(t testing.TB) []page {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata, "pages.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []page
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("pages.tsv: bad line %q", line)
		}
		out = append(out, page{cols[0], cols[1], cols[2], readGz(t, cols[0])})
	}
	if len(out) < 5 {
		t.Fatalf("pages.tsv lists %d pages", len(out))
	}
	return out
}

func wikipedia(t testing.TB) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, n := range []string{"dclm_wikipedia_paragraph1.html.gz", "dclm_wikipedia_paragraph3.html.gz", "dclm_wikipedia_paragraph5.html.gz"} {
		m[n] = readGz(t, n)
	}
	return m
}

// tokens splits text into words, ignoring list bullets.
func tokens(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(s) {
		if w != "•" {
			m[w]++
		}
	}
	return m
}

// coverage is the share of a's tokens (with multiplicity) found in b.
func coverage(a, b map[string]int) float64 {
	n, hit := 0, 0
	for w, c := range a {
		n += c
		hit += min(c, b[w])
	}
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// TestWhirlwindAgainstWET compares the extraction of the whirlwind page with
// Common Crawl's own WET text of it. The WET is not main content (it keeps
// the title, menus and buttons), so main_content=false is compared.
func TestWhirlwindAgainstWET(t *testing.T) {
	var ww page
	for _, p := range pages(t) {
		if p.name == "whirlwind_escopete.html.gz" {
			ww = p
		}
	}
	wet, err := os.ReadFile(filepath.Join(testdata, "whirlwind_escopete.wet.txt"))
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.MainContent = false
	all, cs, err := Text(ww.body, ww.contentType, o)
	if err != nil || cs != "utf-8" {
		t.Fatalf("Text: charset %q, %v", cs, err)
	}
	main, _, _ := Text(ww.body, ww.contentType, DefaultOptions())
	wetT, allT, mainT := tokens(string(wet)), tokens(all), tokens(main)
	t.Logf("word coverage: WET in all %.3f, all in WET %.3f, main in all %.3f, main in WET %.3f; bytes: WET %d, all %d, main %d",
		coverage(wetT, allT), coverage(allT, wetT), coverage(mainT, allT), coverage(mainT, wetT), len(wet), len(all), len(main))
	if c := coverage(wetT, allT); c < 0.88 {
		t.Errorf("only %.3f of the WET's words are in main_content=false text", c)
	}
	if c := coverage(allT, wetT); c < 0.95 {
		t.Errorf("only %.3f of the main_content=false words are in the WET", c)
	}
	if c := coverage(mainT, allT); c != 1 {
		t.Errorf("main_content=true text is not a subset of main_content=false text: %.3f", c)
	}
	if c := coverage(mainT, wetT); c < 0.95 {
		t.Errorf("only %.3f of the main-content words are in the WET", c)
	}
	if len(main) > len(all)*3/4 {
		t.Errorf("main content (%d bytes) is hardly smaller than everything (%d bytes)", len(main), len(all))
	}
	// The article's first sentence is in both; the menu only in the WET and
	// the main_content=false text.
	first := "Escopete ye un municipio d'a provincia de Guadalachara"
	for name, s := range map[string]string{"WET": string(wet), "all": all, "main": main} {
		if !strings.Contains(s, first) {
			t.Errorf("%s text lacks %q", name, first)
		}
	}
	for _, nav := range []string{"Menú principal", "Una pachina a l'azar", "Politica de privacidat"} {
		if !strings.Contains(string(wet), nav) || !strings.Contains(all, nav) {
			t.Errorf("%q should be in the WET and in main_content=false text", nav)
		}
		if strings.Contains(main, nav) {
			t.Errorf("main content keeps navigation %q", nav)
		}
	}
}

// TestWikipedia checks article paragraphs are kept and the page chrome is
// dropped in main-content mode, with and without the role="main" zone.
func TestWikipedia(t *testing.T) {
	chrome := []string{"Jump to content", "Main page", "Privacy policy", "Contents", "Toggle the table of contents",
		"Create account", "Log in", "Random article", "Donate", "Cookie statement", "Powered by MediaWiki"}
	for name, body := range wikipedia(t) {
		t.Run(name, func(t *testing.T) {
			all, _, _ := Text(body, "", Options{PreserveFormatting: true, ListBullets: true, AltTexts: true})
			paras := articleParagraphs(t, body)
			for _, variant := range []string{"zone", "heuristics"} {
				b := body
				if variant == "heuristics" {
					b = bytes.ReplaceAll(body, []byte(`role="main"`), nil)
				}
				main, cs, err := Text(b, "", DefaultOptions())
				if err != nil || cs != "utf-8" {
					t.Fatalf("%s: charset %q, %v", variant, cs, err)
				}
				for _, p := range paras {
					if !strings.Contains(main, p) {
						t.Errorf("%s: article paragraph missing: %.80q", variant, p)
					}
				}
				for _, c := range chrome {
					if strings.Contains(main, c) {
						t.Errorf("%s: chrome %q kept", variant, c)
					}
				}
				if len(main) < len(all)/3 || len(main) >= len(all) {
					t.Errorf("%s: main content %d bytes of %d", variant, len(main), len(all))
				}
			}
			for _, c := range []string{"Main page", "Privacy policy"} {
				if !strings.Contains(all, c) {
					t.Errorf("main_content=false lacks %q", c)
				}
			}
		})
	}
}

// articleParagraphs returns the text of the long <p> elements inside the
// article body (mw-parser-output), extracted one at a time with
// main_content=false, to be found again in the page's main content.
func articleParagraphs(t *testing.T, body []byte) []string {
	t.Helper()
	start := bytes.Index(body, []byte(`class="mw-parser-output"`))
	if start < 0 {
		t.Fatal("no mw-parser-output")
	}
	var out []string
	rest := body[start:]
	for len(out) < 6 {
		i := bytes.Index(rest, []byte("<p>"))
		if i < 0 {
			break
		}
		j := bytes.Index(rest[i:], []byte("</p>"))
		if j < 0 {
			break
		}
		frag := rest[i : i+j+4]
		before := rest[max(0, i-300):i]
		rest = rest[i+j+4:]
		if bytes.Contains(frag, []byte("<math")) || bytes.Contains(frag, []byte("<style")) ||
			bytes.Contains(before, []byte("gallery")) {
			continue
		}
		s, _, _ := Text(frag, "", Options{PreserveFormatting: true, AltTexts: true})
		if len(s) > 200 {
			out = append(out, s)
		}
	}
	if len(out) < 2 {
		t.Fatalf("found %d article paragraphs", len(out))
	}
	return out
}

// TestRealPagesValid extracts every test page with several option sets and
// checks the output is valid UTF-8 without trailing blanks, and that main
// content is a subset of everything.
func TestRealPagesValid(t *testing.T) {
	bodies := map[string]page{}
	for _, p := range pages(t) {
		bodies[p.name] = p
	}
	for n, b := range wikipedia(t) {
		bodies[n] = page{name: n, body: b}
	}
	for _, p := range bodies {
		main, _, _ := Text(p.body, p.contentType, DefaultOptions())
		o := DefaultOptions()
		o.MainContent = false
		all, _, _ := Text(p.body, p.contentType, o)
		o.ListBullets = false
		noBullets, _, _ := Text(p.body, p.contentType, o)
		o.PreserveFormatting = false
		flat, _, _ := Text(p.body, p.contentType, o)
		for _, s := range []string{main, all, flat} {
			if !utf8.ValidString(s) || strings.TrimRight(s, " \t\n") != s {
				t.Errorf("%s: invalid UTF-8 or trailing blanks", p.name)
			}
			if strings.Contains(s, "\n\n\n") {
				t.Errorf("%s: more than one blank line in a row", p.name)
			}
		}
		if strings.Contains(flat, "\n") {
			t.Errorf("%s: preserve_formatting=false has line breaks", p.name)
		}
		if c := coverage(tokens(main), tokens(all)); c < 0.999 {
			t.Errorf("%s: main content is not a subset of everything (%.3f)", p.name, c)
		}
		if c := coverage(tokens(noBullets), tokens(flat)); c != 1 {
			t.Errorf("%s: flat text lost words (%.3f)", p.name, c)
		}
	}
}
