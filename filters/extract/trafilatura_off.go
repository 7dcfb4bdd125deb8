//go:build !trafilatura

package extract

// trafilaturaBuilt says this build has the trafilatura engine: it has not
// (build with -tags trafilatura).
const trafilaturaBuilt = false

// ExtractTrafilatura extracts page with go-trafilatura; this build has no
// go-trafilatura, so it fails with a message that says how to build one.
func ExtractTrafilatura(_ []byte, _ string, _ TrafilaturaOptions) (Result, error) {
	return Result{}, errNoTrafilatura
}
