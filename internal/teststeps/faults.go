package teststeps

import (
	"log/slog"
	"os"
	"strings"

	"github.com/curator-dev/curator/filters"
)

// FaultParams choose the documents a fault step strikes: those read from
// a shard whose path contains Shard.
type FaultParams struct {
	Shard string `yaml:"shard" doc:"strike documents read from shards whose path contains this"`
}

// crash ends the process on a struck document, the way a segfaulting
// library would: no result, no acknowledgement.
type crash struct{ p FaultParams }

func (c crash) Annotate(d *filters.Doc) error {
	if c.p.Shard != "" && strings.Contains(d.Source.Shard, c.p.Shard) {
		slog.Error("test_crash: crashing the process", "shard", d.Source.Shard, "offset", d.Source.Offset)
		os.Exit(86)
	}
	return nil
}

// hang never returns on a struck document, the way a step caught in an
// endless loop would: the process lives and heartbeats, the task never ends.
type hang struct{ p FaultParams }

func (h hang) Annotate(d *filters.Doc) error {
	if h.p.Shard != "" && strings.Contains(d.Source.Shard, h.p.Shard) {
		slog.Error("test_hang: hanging", "shard", d.Source.Shard, "offset", d.Source.Offset)
		select {}
	}
	return nil
}

func init() {
	filters.Register(filters.Spec{Name: "test_crash", Kind: filters.KindAnnotator,
		Doc: "fault injection for tests: exits the process on documents of the chosen shards"}, FaultParams{},
		func(p FaultParams, _ filters.Env) (any, error) { return crash{p}, nil })
	filters.Register(filters.Spec{Name: "test_hang", Kind: filters.KindAnnotator,
		Doc: "fault injection for tests: never returns on documents of the chosen shards"}, FaultParams{},
		func(p FaultParams, _ filters.Env) (any, error) { return hang{p}, nil })
}
