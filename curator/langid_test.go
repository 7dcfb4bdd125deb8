package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestLangidCommand runs `curator langid` on JSONL and plain lines: ids are
// copied, every line gets an answer, curator's engine agrees with lingua-go
// itself (--lingua) on every line, and a bad line is an error naming it.
func TestLangidCommand(t *testing.T) {
	b, err := os.ReadFile("../testdata/langid/lingua_sentences_sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	// The samples of eight languages, as JSONL with ids, then the same texts
	// as plain lines.
	const langs = "en,de,fr,es,it,nl,pt,sv"
	var jsonl, plain bytes.Buffer
	var want []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for i := 0; sc.Scan(); i++ {
		var s struct{ Lang, Text string }
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(langs, s.Lang) {
			continue
		}
		line, _ := json.Marshal(map[string]any{"id": i, "text": s.Text})
		jsonl.Write(append(line, '\n'))
		plain.WriteString(strings.ReplaceAll(s.Text, "\n", " ") + "\n")
		want = append(want, s.Lang)
	}
	langid := func(input string, args ...string) []langidLine {
		t.Helper()
		var out, errb bytes.Buffer
		if err := cmdLangid(args, strings.NewReader(input), &out, &errb); err != nil {
			t.Fatalf("langid %v: %v\n%s", args, err, &errb)
		}
		var lines []langidLine
		for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var x langidLine
			if err := json.Unmarshal([]byte(l), &x); err != nil {
				t.Fatalf("output line %q: %v", l, err)
			}
			lines = append(lines, x)
		}
		return lines
	}
	// --fast: trigrams only on both sides (the high-accuracy models take
	// tens of seconds to load; ngram's own tests compare that mode).
	ours := langid(jsonl.String(), "--fast", "--raw", "--languages", langs)
	ref := langid(jsonl.String(), "--fast", "--languages", langs, "--lingua")
	text := langid(plain.String(), "--fast", "--raw", "--languages", langs)
	cal := langid(jsonl.String(), "--fast", "--languages", langs)
	if len(ours) != len(want) || len(ref) != len(want) || len(text) != len(want) {
		t.Fatalf("%d inputs, outputs %d / %d / %d", len(want), len(ours), len(ref), len(text))
	}
	right, calibrated := 0, 0
	for i := range want {
		if string(ours[i].ID) != string(ref[i].ID) || len(ours[i].ID) == 0 || text[i].ID != nil {
			t.Errorf("line %d: ids %s / %s / %s", i, ours[i].ID, ref[i].ID, text[i].ID)
		}
		if ours[i].Lang != ref[i].Lang || ours[i].Lang != text[i].Lang || ours[i].Score != ref[i].Score {
			t.Errorf("line %d: curator %+v, lingua-go %+v, plain %+v", i, ours[i], ref[i], text[i])
		}
		if cal[i].Lang != ours[i].Lang || !(cal[i].Score > 0 && cal[i].Score <= 1) && cal[i].Lang != "" {
			t.Errorf("line %d: calibrated %+v, lingua's %+v", i, cal[i], ours[i])
		}
		if cal[i].Score != ours[i].Score {
			calibrated++
		}
		if ours[i].Lang == want[i] {
			right++
		}
	}
	if calibrated < len(want)/2 {
		t.Errorf("the calibrated score differs from lingua's on %d of %d lines", calibrated, len(want))
	}
	if right < len(want)*7/10 {
		t.Errorf("right on %d of %d sentences", right, len(want))
	}

	var out, errb bytes.Buffer
	err = cmdLangid([]string{"--fast"}, strings.NewReader("{\"text\": \"fine\"}\n{\"text\": 3}\n"), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a text that is not a string: %v", err)
	}
	if err := cmdLangid([]string{"--languages", "en"}, strings.NewReader(""), &out, &errb); err == nil {
		t.Error("one candidate language accepted")
	}
}
