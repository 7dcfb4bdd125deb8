// Package teststeps registers tiny steps, under names starting with test_,
// for the tests of the run path (workers, coordinator): they exercise the
// engine on real data without depending on the real steps' behaviour. Only
// tests import it.
package teststeps

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/curator-dev/curator/filters"
)

type noParams struct{}

// CountCalls counts the documents test_count saw; tests reset it.
var CountCalls atomic.Int64

// stripTags replaces every <...> in s with a space.
func stripTags(s string) string {
	var sb strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			sb.WriteByte(' ')
		case !in:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

type htmlText struct{}

func (htmlText) Modify(d *filters.Doc) (string, error) {
	if d.HTML == nil {
		return "", nil
	}
	t := strings.Join(strings.Fields(stripTags(strings.ToValidUTF8(string(d.HTML), "\uFFFD"))), " ")
	d.HTML = nil
	d.SetText(t)
	if t == "" {
		return "no_text", nil
	}
	return "", nil
}

type counter struct{}

func (counter) Annotate(d *filters.Doc) error { CountCalls.Add(1); return nil }

type words struct{}

func (words) Annotate(d *filters.Doc) error {
	d.SetSignal("test_words", len(strings.Fields(d.Text)))
	return nil
}

type evenLength struct{}

func (evenLength) Filter(d *filters.Doc) (string, error) {
	if len(d.Text)%2 == 1 {
		return "odd_length", nil
	}
	return "", nil
}

type upper struct{}

func (upper) Modify(d *filters.Doc) (string, error) {
	d.SetText(strings.ToUpper(d.Text))
	return "", nil
}

// SlowParams are test_slow's parameters.
type SlowParams struct {
	Millis int `yaml:"millis" doc:"milliseconds spent on each document"`
}

type slow struct{ d time.Duration }

func (s slow) Annotate(d *filters.Doc) error { time.Sleep(s.d); return nil }

type flaky struct{}

func (flaky) Filter(d *filters.Doc) (string, error) {
	if sum := sha256.Sum256([]byte(d.ID)); sum[0] < 32 {
		return "", errors.New("flaky step refuses this document")
	}
	return "", nil
}

// RankParams are test_rank's parameters.
type RankParams struct {
	KeepTop float64 `yaml:"keep_top" doc:"fraction kept"`
}

// rank scores a document by a hash of its text: a Ranker.
type rank struct{ top float64 }

func (r rank) Score(d *filters.Doc) (float64, string, error) {
	sum := sha256.Sum256([]byte(d.Text))
	score := float64(binary.BigEndian.Uint32(sum[:])) / (1 << 32)
	d.SetSignal("test_rank", score)
	return score, "", nil
}

func (r rank) KeepTop() float64 { return r.top }

func init() {
	filters.Register(filters.Spec{Name: "test_rank", Kind: filters.KindFilter, Doc: "test step"}, RankParams{KeepTop: 0.1},
		func(p RankParams, _ filters.Env) (any, error) { return rank{p.KeepTop}, nil })
	reg := func(name string, kind filters.Kind, step any) {
		filters.Register(filters.Spec{Name: name, Kind: kind, Doc: "test step"}, noParams{},
			func(noParams, filters.Env) (any, error) { return step, nil })
	}
	reg("test_html_text", filters.KindModifier, htmlText{})
	reg("test_count", filters.KindAnnotator, counter{})
	reg("test_words", filters.KindAnnotator, words{})
	reg("test_even_length", filters.KindFilter, evenLength{})
	reg("test_upper", filters.KindModifier, upper{})
	reg("test_flaky", filters.KindFilter, flaky{})
	filters.Register(filters.Spec{Name: "test_slow", Kind: filters.KindAnnotator, Doc: "test step"}, SlowParams{Millis: 400},
		func(p SlowParams, _ filters.Env) (any, error) {
			return slow{time.Duration(p.Millis) * time.Millisecond}, nil
		})
}
