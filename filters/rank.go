package filters

// Ranker is a filter whose threshold depends on the whole run: it keeps the
// documents whose score is among the top KeepTop fraction of every score it
// gives in the run (DCLM keeps the top ~10% by its fastText score).
//
// A Ranker runs in two phases. In the first, the tree scores a document at
// the Ranker's node and hands it to the Sink's Stage instead of going on;
// once every task of the run has been scored, the coordinator fixes the
// threshold from all the scores, and Tree.Resume takes each staged
// document on from the node: kept iff its score is at least the threshold.
type Ranker interface {
	// Score computes d's score and records it as a signal. A non-empty
	// reason removes d before ranking; NaN scores are errors.
	Score(d *Doc) (score float64, reason string, err error)
	// KeepTop is the fraction of scored documents to keep, in (0, 1].
	KeepTop() float64
}

// ReasonNotTop is the reason given for a document whose score is below the
// run's threshold at a Ranker node.
const ReasonNotTop = "below_top_fraction"

// Sink receives what a tree makes of documents.
type Sink interface {
	// Emit receives one recipe's outcome for a document: the document as
	// the recipe left it (as it was when removed, for a removed one).
	Emit(recipe int, d *Doc, o Outcome) error
	// Stage receives a document that reached the Ranker at node with its
	// score, or the Deduper at node with its fingerprint (which the sink
	// must copy to keep). The recipes below the node get no outcome for it
	// until Tree.Resume or Tree.ResumeJudged takes it on.
	Stage(node int, d *Doc, score float64, fp []byte) error
}

// EmitFunc is a Sink for trees without Rankers: Stage fails.
type EmitFunc func(recipe int, d *Doc, o Outcome) error

// Emit implements Sink.
func (f EmitFunc) Emit(recipe int, d *Doc, o Outcome) error { return f(recipe, d, o) }

// Stage implements Sink; it is an error, as EmitFunc cannot keep documents.
func (f EmitFunc) Stage(node int, d *Doc, _ float64, _ []byte) error {
	return &StageError{Node: node, DocID: d.ID}
}

// StageError is returned when a document reaches a Ranker (or, in a tree, a
// Deduper) but nothing can stage it (Recipe.Run, an EmitFunc).
type StageError struct {
	Node  int
	DocID string
}

func (e *StageError) Error() string {
	return "document " + e.DocID + " reached a keep_top or run-wide dedup step, which needs the whole run (use curator run)"
}
