package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

type rustTokens struct {
	ID     string   `json:"id"`
	N      int      `json:"n"`
	SHA256 string   `json:"sha256"`
	Tokens []string `json:"tokens"`
}

func tokensOf(s string) []string {
	var out []string
	Tokens(s, func(tok string) bool { out = append(out, tok); return true })
	return out
}

// The tokens of every test text equal those of Rust's unicode-segmentation
// (DCLM's tokenize), recorded in rust_tokens.jsonl.zst by gen_rust_tokens.py.
func TestTokensMatchRust(t *testing.T) {
	want := map[string]rustTokens{}
	for _, r := range readJSONL[rustTokens](t, "rust_tokens.jsonl.zst") {
		want[r.ID] = r
	}
	docs := append(webDocs(t), readJSONL[testDoc](t, "tokenizer_inputs.jsonl.zst")...)
	bad := 0
	for _, d := range docs {
		w, ok := want[d.ID]
		if !ok {
			t.Fatalf("%s: no Rust tokens", d.ID)
		}
		got := tokensOf(d.Text)
		sum := sha256.Sum256([]byte(strings.Join(got, "\x1f")))
		if len(got) == w.N && hex.EncodeToString(sum[:]) == w.SHA256 {
			continue
		}
		bad++
		if w.Tokens != nil {
			t.Errorf("%s: tokens\n got %q\nwant %q", d.ID, got, w.Tokens)
		} else {
			t.Errorf("%s: %d tokens, Rust has %d (or a different sequence)", d.ID, len(got), w.N)
		}
	}
	t.Logf("%d texts, %d differ from Rust", len(docs), bad)
}

func TestTokensEdges(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" \t\n\r\n ", nil},
		{"Hello, world!", []string{"Hello", ",", "world", "!"}},
		{"e.g. U.S.A 3,000.5 don't", []string{"e.g", ".", "U.S.A", "3,000.5", "don't"}},
		{"a\u00a0b", []string{"a", "b"}},       // NBSP is White_Space: dropped
		{"a\x1cb", []string{"a", "\x1c", "b"}}, // Python isspace, not White_Space: kept
		{"中文 字", []string{"中", "文", "字"}},      // each ideograph a token
		{"👍🏽x", []string{"👍🏽", "x"}},           // modifier joins its base (Rust), unlike uniseg 0.7.1
		{"🇫🇷🇩🇪", []string{"🇫🇷", "🇩🇪"}},         // flags pair up
		{"a\xffb", []string{"a", "\xff", "b"}}, // invalid byte: a token of its own
	} {
		if got := tokensOf(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
