package filters

import (
	"errors"
	"io"
)

// Deduper is a step whose decision on a document depends on every document
// before it in the run's canonical order (task index, then record index):
// exact and near-duplicate removal, as if one process read the whole run
// in that order, whatever the number of workers.
//
// Like a Ranker it runs in two phases. In the first, the tree asks the
// Deduper for the document's fingerprint at its node (what the decision
// needs: shingle hashes, a content key; computed by the workers, in
// parallel) and hands document and fingerprint to the Sink's Stage. Once
// every task of the run has been through, the coordinator feeds the
// fingerprints, in canonical order, to a Judge (one per group of tasks, see
// GroupSize), which answers each with a verdict; Tree.ResumeJudged applies
// the verdicts and takes the documents on.
type Deduper interface {
	// Fingerprint appends to dst what the Judge needs of d. A non-empty
	// reason removes d before dedup.
	Fingerprint(d *Doc, dst []byte) (fp []byte, reason string, err error)
	// NewJudge returns an empty judge for one group of tasks.
	NewJudge() (Judge, error)
	// Apply applies a Judge's verdict to d: it may change d's text and set
	// signals; a non-empty reason removes d.
	Apply(d *Doc, verdict []byte) (reason string, err error)
	// GroupSize is the number of consecutive tasks (by index) deduplicated
	// together, each group against itself only (DCLM's local shards); 0:
	// the whole run is one group.
	GroupSize() int
	// PlanBytes is the memory a Judge needs, known before the run.
	PlanBytes() uint64
}

// Judge decides on the fingerprints of one group, one document after the
// other in canonical order. It is used by one goroutine.
type Judge interface {
	// Judge appends the verdict on the document whose fingerprint is fp
	// to dst.
	Judge(fp, dst []byte) ([]byte, error)
}

// Snapshotter is a Judge whose final state can be saved, for a later run to
// start from (bff_dedup's seed_from: dedup a new crawl against old ones).
type Snapshotter interface {
	// WriteTo writes the judge's state.
	WriteTo(w io.Writer) (int64, error)
}

// ErrNoSnapshot is returned by a Snapshotter whose state cannot be saved
// (an exact set, say): the run goes on without one.
var ErrNoSnapshot = errors.New("this judge keeps no snapshot")
