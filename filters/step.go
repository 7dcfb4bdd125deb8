package filters

// A step is built from its registered Spec and implements exactly one of
// Filter, Modifier or Annotator. Steps are shared by all worker goroutines of
// a process: they must be safe for concurrent use and keep no per-document
// state outside the Doc.

// Filter decides whether a document stays.
type Filter interface {
	// Filter returns "" to keep d, or a short reason (a stable token such as
	// "too_short") when d is removed. It may record signals on d.
	Filter(d *Doc) (reason string, err error)
}

// Modifier rewrites a document's text with d.SetText.
type Modifier interface {
	// Modify changes d in place. It returns a non-empty reason when the
	// document is removed because nothing is left of it.
	Modify(d *Doc) (reason string, err error)
}

// Annotator computes signals and never removes or changes text.
type Annotator interface {
	// Annotate records one or more signals on d.
	Annotate(d *Doc) error
}

// Kind says which of the step interfaces a step implements.
type Kind string

// The kinds of step.
const (
	KindFilter    Kind = "filter"
	KindModifier  Kind = "modifier"
	KindAnnotator Kind = "annotator"
)

// Closer is implemented by steps that hold resources to release when a run ends.
type Closer interface {
	Close() error
}
