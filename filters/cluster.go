package filters

// Clusterer is a Judge that needs every fingerprint of its group before
// its first verdict: MinHash-LSH clustering, where a document belongs to
// the cluster of an earlier one through a later one (A and C share a
// band, C and B share another: A, B and C are one cluster, although B
// shares nothing with anything before it).
//
// The run judges a Clusterer in two passes over the group's fingerprints,
// both in canonical order: first Observe on every fingerprint, then Judge
// on every fingerprint again, one verdict each. Other Judges see one pass.
type Clusterer interface {
	Judge
	// Observe records the fingerprint of the next document of the first
	// pass. Observe is never called after the first Judge.
	Observe(fp []byte) error
}
