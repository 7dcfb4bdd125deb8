package eval

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func FuzzParseManifest(f *testing.F) {
	raw, err := os.ReadFile("suite/manifest.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"format":1,"name":"x","human":{"file":"h","sha256":"` + strings.Repeat("0", 64) + `"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		// A valid manifest names valid, distinct files and sane parameters.
		seen := map[string]bool{}
		for _, r := range m.Files() {
			if seen[r.File] || r.File == ManifestFile || len(r.SHA256) != 64 {
				t.Fatalf("accepted bad file reference %+v", r)
			}
			seen[r.File] = true
		}
		if m.NearDup.Bands*m.NearDup.Rows > 1024 || m.Bootstrap.Samples < 1 || m.LM.Order < 1 {
			t.Fatalf("accepted bad parameters %+v", m)
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	f.Add("x.jsonl", []byte("{\"id\":\"a\",\"text\":\"b\",\"label\":1}\n{\"id\":\"c\",\"text\":\"\"}\r\n\n"))
	f.Add("x.jsonl.zst", []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x00, 0x00})
	// A small real zstd frame (a large seed makes the fuzzer spend its time
	// minimizing): the first two Brown documents of the default suite, cut.
	s, err := Load("suite")
	if err != nil {
		f.Fatal(err)
	}
	sets, err := s.Heldout()
	if err != nil {
		f.Fatal(err)
	}
	var small bytes.Buffer
	for _, d := range sets[1].Docs[:2] {
		fmt.Fprintf(&small, "{\"id\":%q,\"text\":%q}\n", d.ID, d.Text[:200])
	}
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("w.jsonl.zst", enc.EncodeAll(small.Bytes(), nil))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		n := 0
		ids := map[string]bool{}
		err := readJSONL(name, data, func(id, text string, label *int) error {
			if id == "" || ids[id] {
				t.Fatalf("empty or repeated id %q accepted", id)
			}
			ids[id] = true
			n++
			return nil
		})
		if err == nil && !strings.HasSuffix(name, ".zst") && n > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d records from %d lines", n, bytes.Count(data, []byte("\n"))+1)
		}
	})
}

func FuzzDomain(f *testing.F) {
	for _, d := range readWebDocs(f)[:10] {
		f.Add(d.URL)
	}
	f.Add("HTTP://WWW.X.COM.:80/")
	f.Add("mailto:a@b")
	f.Fuzz(func(t *testing.T, u string) {
		d := Domain(u)
		if d != strings.ToLower(d) {
			t.Fatalf("Domain(%q) = %q not lower-case", u, d)
		}
		if strings.HasPrefix(d, "www.") && !strings.Contains(strings.ToLower(u), "www.www.") {
			t.Fatalf("Domain(%q) = %q keeps www.", u, d)
		}
		st := Domains([]string{u, u})
		if (d == "") != (st.NoHost == 2) || (d != "" && (st.Count != 1 || st.Top[0].Domain != d)) {
			t.Fatalf("Domains(%q) = %+v, Domain %q", u, st, d)
		}
	})
}

func FuzzNearDup(f *testing.F) {
	f.Add("a b c d e f g", "a b c d e f h", uint8(5))
	f.Add("", "x", uint8(1))
	f.Fuzz(func(t *testing.T, a, b string, shingle uint8) {
		p := DefaultNearDupParams()
		p.Shingle = int(shingle%8) + 1
		flags := NearDupFlags([]string{a, b, a}, p)
		if flags[0] {
			t.Fatal("first document flagged")
		}
		// A copy of a document with words is always a near duplicate.
		if len(strings.Fields(a)) > 0 && !flags[2] {
			t.Fatalf("copy of %q not flagged", a)
		}
	})
}

// wordsRef is the definition minHasher.words implements.
func wordsRef(text string) []uint64 {
	var out []uint64
	for _, w := range strings.Fields(strings.ToLower(text)) {
		out = append(out, fnv64a(w))
	}
	return out
}

func FuzzWords(f *testing.F) {
	f.Add("Hello,  WORLD\u00a0Ünïcödé\u0085x\xff\xfe İstanbul ΣΑΣ\u2028end")
	f.Add("")
	mh := newMinHasher(DefaultNearDupParams())
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mh.words(s, nil), wordsRef(s); !slices.Equal(got, want) {
			t.Fatalf("words(%q) = %x, want %x", s, got, want)
		}
	})
}
