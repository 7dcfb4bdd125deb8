package metrics

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// This file is a strict checker of the text exposition format 0.0.4, used
// by the tests to parse back what WriteTo writes. It rejects anything the
// format does not allow (and the few things it allows that WriteTo never
// writes: free comments, timestamps, untyped families).

// sample is one parsed sample line.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// exposition is a parsed exposition.
type exposition struct {
	help    map[string]string // unescaped, by family
	types   map[string]string
	samples []sample
}

var (
	metricNameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*`)
	labelNameRE  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*`)
	floatRE      = regexp.MustCompile(`^([-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]Inf|NaN)$`)
)

// parseExposition parses text and checks the format's rules: line
// grammar, escapes, # TYPE before a family's samples, families
// contiguous, series unique, histograms cumulative with a +Inf bucket
// equal to _count.
func parseExposition(text string) (*exposition, error) {
	e := &exposition{help: map[string]string{}, types: map[string]string{}}
	if text == "" {
		return e, nil
	}
	if !strings.HasSuffix(text, "\n") {
		return nil, fmt.Errorf("exposition does not end with a newline")
	}
	closed := map[string]bool{}
	current := ""
	// enter moves to family f's block; false if f's block was already closed.
	enter := func(f string) bool {
		if f != current {
			if closed[f] {
				return false
			}
			closed[current], current = true, f
		}
		return true
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d %q: %s", i+1, line, fmt.Sprintf(format, args...))
		}
		if strings.HasPrefix(line, "#") {
			kw, name, rest, err := parseComment(line)
			if err != nil {
				return nil, fail("%v", err)
			}
			if !enter(name) {
				return nil, fail("family %s appears twice", name)
			}
			if kw == "HELP" {
				if _, ok := e.help[name]; ok {
					return nil, fail("second HELP for %s", name)
				}
				if e.help[name], err = unescape(rest, false); err != nil {
					return nil, fail("%v", err)
				}
				continue
			}
			if _, ok := e.types[name]; ok {
				return nil, fail("second TYPE for %s", name)
			}
			if !slices.Contains([]string{"counter", "gauge", "histogram", "summary"}, rest) {
				return nil, fail("unknown type %q", rest)
			}
			e.types[name] = rest
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fail("%v", err)
		}
		fam := familyOf(s.name, e.types)
		if e.types[fam] == "" || !enter(fam) {
			return nil, fail("sample without TYPE or outside its family's block (family %q)", fam)
		}
		if k := seriesKey(s.name, s.labels); seen[k] {
			return nil, fail("duplicate series")
		} else {
			seen[k] = true
		}
		e.samples = append(e.samples, s)
	}
	return e, checkHistograms(e)
}

// parseComment parses "# HELP name text" or "# TYPE name type".
func parseComment(line string) (kw, name, rest string, err error) {
	kw, after, ok := strings.Cut(strings.TrimPrefix(line, "# "), " ")
	if !strings.HasPrefix(line, "# ") || !ok || (kw != "HELP" && kw != "TYPE") {
		return "", "", "", fmt.Errorf("not a HELP or TYPE line")
	}
	name, rest, ok = strings.Cut(after, " ")
	if !ok || metricNameRE.FindString(name) != name {
		return "", "", "", fmt.Errorf("bad metric name %q", name)
	}
	return kw, name, rest, nil
}

// parseSample parses name{label="value",...} value.
func parseSample(line string) (sample, error) {
	s := sample{name: metricNameRE.FindString(line), labels: map[string]string{}}
	if s.name == "" {
		return s, fmt.Errorf("no metric name")
	}
	rest := line[len(s.name):]
	if strings.HasPrefix(rest, "{") {
		rest = rest[1:]
		for !strings.HasPrefix(rest, "}") {
			ln := labelNameRE.FindString(rest)
			if ln == "" || !strings.HasPrefix(rest[len(ln):], `="`) {
				return s, fmt.Errorf("bad label at %q", rest)
			}
			rest = rest[len(ln)+2:]
			end := closingQuote(rest)
			if end < 0 {
				return s, fmt.Errorf("unterminated label value")
			}
			v, err := unescape(rest[:end], true)
			if err != nil {
				return s, err
			}
			if _, dup := s.labels[ln]; dup {
				return s, fmt.Errorf("label %s twice", ln)
			}
			s.labels[ln] = v
			rest = rest[end+1:]
			if strings.HasPrefix(rest, ",") && !strings.HasPrefix(rest, ",}") {
				rest = rest[1:]
			} else if !strings.HasPrefix(rest, "}") {
				return s, fmt.Errorf("want , or } at %q", rest)
			}
		}
		rest = rest[1:]
	}
	if !strings.HasPrefix(rest, " ") || !floatRE.MatchString(rest[1:]) {
		return s, fmt.Errorf("bad value %q", rest)
	}
	v, err := strconv.ParseFloat(rest[1:], 64)
	s.value = v
	return s, err
}

// closingQuote returns the index of the first unescaped '"' in s, or -1.
func closingQuote(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// unescape undoes \\ and \n (and \" in label values); any other escape,
// a raw newline or invalid UTF-8 is an error.
func unescape(s string, quoted bool) (string, error) {
	if !utf8Valid(s) {
		return "", fmt.Errorf("invalid UTF-8 %q", s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || (quoted && c == '"') {
			return "", fmt.Errorf("unescaped %q in %q", c, s)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i++; i == len(s) {
			return "", fmt.Errorf("trailing backslash in %q", s)
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case '"':
			if !quoted {
				return "", fmt.Errorf(`\" outside a label value in %q`, s)
			}
			b.WriteByte('"')
		default:
			return "", fmt.Errorf("bad escape \\%c in %q", s[i], s)
		}
	}
	return b.String(), nil
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// familyOf maps a sample name to its family: a histogram's _bucket, _sum
// and _count samples belong to the histogram.
func familyOf(name string, types map[string]string) string {
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suf); ok && types[base] == "histogram" {
			return base
		}
	}
	return name
}

// seriesKey identifies a series: its name and sorted labels.
func seriesKey(name string, labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k, v := range labels {
		keys = append(keys, strconv.Quote(k)+"="+strconv.Quote(v))
	}
	slices.Sort(keys)
	return name + "{" + strings.Join(keys, ",") + "}"
}

// checkHistograms checks, for every histogram series, that buckets are in
// ascending le order with non-decreasing counts, end with +Inf and that
// _count equals the +Inf bucket and _sum exists.
func checkHistograms(e *exposition) error {
	type series struct {
		les, counts []float64
		count       float64
		hasCount    bool
		hasSum      bool
	}
	all := map[string]*series{}
	get := func(name string, labels map[string]string) *series {
		k := seriesKey(name, labels)
		if all[k] == nil {
			all[k] = &series{}
		}
		return all[k]
	}
	for _, s := range e.samples {
		fam := familyOf(s.name, e.types)
		if e.types[fam] != "histogram" {
			continue
		}
		labels := maps.Clone(s.labels)
		le, hasLE := labels["le"]
		delete(labels, "le")
		h := get(fam, labels)
		switch s.name {
		case fam + "_bucket":
			if !hasLE || !floatRE.MatchString(le) {
				return fmt.Errorf("%s: bucket with le %q", fam, le)
			}
			v, _ := strconv.ParseFloat(le, 64)
			if n := len(h.les); n > 0 && (!(h.les[n-1] < v) || h.counts[n-1] > s.value) {
				return fmt.Errorf("%s: buckets not ascending or not cumulative at le=%s", fam, le)
			}
			h.les, h.counts = append(h.les, v), append(h.counts, s.value)
		case fam + "_sum":
			h.hasSum = !hasLE
		case fam + "_count":
			h.count, h.hasCount = s.value, !hasLE
		default:
			return fmt.Errorf("%s: sample %s in a histogram", fam, s.name)
		}
	}
	for k, h := range all {
		n := len(h.les)
		if n == 0 || !math.IsInf(h.les[n-1], 1) || !h.hasCount || !h.hasSum || h.count != h.counts[n-1] {
			return fmt.Errorf("histogram %s: incomplete or _count != +Inf bucket", k)
		}
	}
	return nil
}
