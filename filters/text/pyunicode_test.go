package text

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestPythonPredicates compares the predicates with CPython's for every code
// point (testdata/heuristics/python_ctype_ranges.txt, made with CPython 3.11,
// Unicode 14.0.0). Code points unassigned in Unicode 14.0 are skipped: Go's
// tables are Unicode 15.0.0, which assigned some of them.
func TestPythonPredicates(t *testing.T) {
	f, err := os.Open("../../testdata/heuristics/python_ctype_ranges.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type pred struct {
		bit  int
		name string
		fn   func(rune) bool
	}
	preds := []pred{{1, "isupper", IsUpper}, {2, "isdigit", IsDigit}, {4, "isdecimal", IsDecimal},
		{8, "isalpha", IsAlpha}, {16, "isalnum", IsAlnum}, {32, "isspace", IsSpace},
		{128, "lower differs", func(r rune) bool { return unicode.ToLower(r) != r && r != 0x130 }}}
	sc := bufio.NewScanner(f)
	checked, newer, bad := 0, 0, 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		lo, _ := strconv.ParseInt(fs[0], 16, 32)
		hi, _ := strconv.ParseInt(fs[1], 16, 32)
		m, _ := strconv.ParseInt(fs[2], 16, 32)
		for r := rune(lo); r <= rune(hi); r++ {
			if m&64 != 0 {
				newer++
				continue
			}
			checked++
			for _, p := range preds {
				if want := m&int64(p.bit) != 0; p.fn(r) != want {
					bad++
					if bad <= 20 {
						t.Errorf("U+%04X %s: got %v, CPython %v", r, p.name, !want, want)
					}
				}
			}
			if (IsWord(r) != (m&16 != 0 || r == '_')) && bad < 20 {
				bad++
				t.Errorf("U+%04X \\w: got %v", r, IsWord(r))
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 100000 {
		t.Fatalf("only %d code points checked", checked)
	}
	if bad > 0 {
		t.Errorf("%d differences with CPython", bad)
	}
	t.Logf("%d assigned code points identical to CPython; %d unassigned in Unicode 14.0 skipped", checked, newer)
}

func TestFoldRune(t *testing.T) {
	for _, c := range []struct {
		a, b rune
		same bool
	}{
		{'a', 'A', true}, {'i', 'ı', true}, {'i', 'İ', true}, {'s', 'ſ', true}, {'k', 'K', true},
		{'σ', 'ς', true}, {'Σ', 'ς', true}, {'µ', 'μ', true}, {'β', 'ϐ', true}, {'a', 'b', false},
		{'é', 'É', true}, {'é', 'e', false},
	} {
		if got := FoldRune(c.a) == FoldRune(c.b); got != c.same {
			t.Errorf("%q ~ %q: %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
